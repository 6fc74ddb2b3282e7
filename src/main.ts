import { readFileSync } from 'node:fs';
import cluster from 'node:cluster';
import { pino, type Logger } from 'pino';
import { join } from 'node:path';
import { openMediaLibrary } from './media/library.ts';
import { loggerOptions } from './config/logging.ts';
import { buildApp } from './app.ts';
import { warmLivePages } from './http/reader/warm.ts';
import { relayNotices } from './bus/cluster/cluster-bus.ts';
import { ConfigError, loadConfig, type Config } from './config/config.ts';
import { guardProcess } from './process-guards.ts';
import { presenceHub } from './presence/cluster/cluster-board.ts';
import { openPresence, openServices } from './runtime.ts';
import { loadDemoIfEmpty } from './services/demo.ts';

function readConfig(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Migrates the database and, when it is empty, loads the demo page. Runs once per start. */
async function prepare(config: Config, log: Logger): Promise<void> {
  const services = await openServices(config, log);
  try {
    const demo = await loadDemoIfEmpty(services);
    if (demo)
      log.info({ slug: demo }, `empty database: loaded the demo live page at /live/${demo}`);
  } finally {
    await services.close();
  }
}

/** One server: the HTTP app on the configured port (shared by all workers under cluster). */
async function serve(config: Config, log: Logger): Promise<void> {
  const services = await openServices(config, log);
  const board = openPresence(config, log);
  const media = openMediaLibrary({
    ...config.media,
    dir: join(config.dataDir, 'media'),
    processing: { log },
  });
  const app = await buildApp(services, {
    ...(board && { presence: { board } }),
    logger: loggerOptions(config.logLevel),
    metricsToken: config.metricsToken,
    rateLimits: config.rateLimits,
    publicUrl: config.publicUrl,
    renderCacheBytes: config.renderCacheBytes,
    streams: { perAddress: config.streamsPerAddress, total: config.streamsTotal },
    scheduleEveryMs: config.scheduleEveryMs,
    ...(config.trustProxy !== null && { trustProxy: config.trustProxy }),
    latency: { sampleRate: config.latencySampleRate, redisUrl: config.redisUrl },
    widget: { frameAncestors: config.embedFrameAncestors },
    webhooks: { allowance: config.webhooksAllowPrivate, timeoutMs: config.webhooksTimeoutMs },
    outbox: {
      pollMs: config.outboxPollMs,
      leaseMs: config.outboxLeaseMs,
      retry: { firstDelayMs: config.outboxRetryFirstMs, retryForMs: config.outboxRetryForMs },
    },
    media,
    mediaRemoteOrigins: config.media.remoteOrigins,
    push: {
      vapidKeys: config.vapidKeys,
      subject: config.vapidSubject,
      services: config.pushServices,
      ca: config.pushServiceCaFile ? readFileSync(config.pushServiceCaFile, 'utf8') : null,
    },
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      await board?.close();
      await media.close();
      await services.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const warming = performance.now();
  try {
    const pages = await warmLivePages(app, services);
    const ms = Math.round(performance.now() - warming);
    app.log.info({ pages, ms }, `read ${pages} live pages before listening`);
  } catch (error) {
    // Only the first readers' speed depends on it.
    app.log.warn({ err: error }, 'could not read the live pages before listening');
  }
  // A restart brings every reader back at once (a reconnect storm): with Node's default queue
  // of 511 the rest of the SYNs overflow and wait for TCP's 1-3-7 s retransmissions. The
  // kernel caps this at net.core.somaxconn (4096 here).
  const address = await app.listen({ port: config.port, host: config.host, backlog: 65_535 });
  // Fastify listens for 'error' only while starting; later ones (EMFILE on accept) would
  // otherwise be an unhandled 'error' event.
  app.server.on('error', (error) => app.log.error({ err: error }, 'HTTP server error'));
  app.log.info(
    { database: services.store.kind, worker: cluster.worker?.id ?? null, address },
    `Liveline is serving on ${address}`,
  );
}

/** A worker that dies within this long of its start counts as failing to start. */
const QUICK_DEATH_MS = 5_000;

/**
 * The primary of WORKERS=N: forks the workers, relays their notices, replaces any that die.
 * Workers that die straight after starting (the database is away, say) are replaced after a
 * growing pause, up to 10 s, instead of in a tight crash loop.
 */
function supervise(config: Config, log: Logger): void {
  let stopping = false;
  let quickDeaths = 0;
  const started = new Map<number, number>();
  // Without Redis, the workers' desks share presence through the primary.
  const presence = config.redisUrl ? null : presenceHub(log);
  const fork = () => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
    relayNotices(worker, log);
    presence?.serve(worker);
  };
  for (let i = 0; i < config.workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    quickDeaths = lived < QUICK_DEATH_MS ? quickDeaths + 1 : 0;
    const delay = quickDeaths === 0 ? 0 : Math.min(100 * 2 ** quickDeaths, 10_000);
    log.error(
      { worker: worker.id, code, signal, restartInMs: delay },
      'worker died; starting another',
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    log.info({ signal }, 'stopping workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

const config = readConfig();
const log = pino(loggerOptions(config.logLevel));
guardProcess(log);
try {
  if (cluster.isPrimary) {
    await prepare(config, log);
    if (config.workers > 1) supervise(config, log);
    else await serve(config, log);
  } else {
    await serve(config, log);
  }
} catch (error) {
  // Most often the database cannot be reached at start: say so as JSON and stop.
  log.fatal({ err: error }, 'Liveline could not start');
  process.exit(1);
}
