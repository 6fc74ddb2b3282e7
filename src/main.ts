import cluster from 'node:cluster';
import { pino, type Logger } from 'pino';
import { loggerOptions } from './config/logging.ts';
import { buildApp } from './app.ts';
import { relayNotices } from './bus/cluster/cluster-bus.ts';
import { ConfigError, loadConfig, type Config } from './config/config.ts';
import { openServices } from './runtime.ts';
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
  const services = await openServices(config);
  try {
    const demo = await loadDemoIfEmpty(services);
    if (demo)
      log.info({ slug: demo }, `empty database: loaded the demo live page at /live/${demo}`);
  } finally {
    await services.close();
  }
}

/** One server: the HTTP app on the configured port (shared by all workers under cluster). */
async function serve(config: Config): Promise<void> {
  const services = await openServices(config);
  const app = await buildApp(services, {
    logger: loggerOptions(config.logLevel),
    metricsToken: config.metricsToken,
    rateLimits: config.rateLimits,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { database: services.store.kind, worker: cluster.worker?.id ?? null, address },
    `Liveline is serving on ${address}`,
  );
}

/** The primary of WORKERS=N: forks the workers, relays their notices, replaces any that die. */
function supervise(config: Config, log: Logger): void {
  let stopping = false;
  const fork = () => relayNotices(cluster.fork());
  for (let i = 0; i < config.workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log.error({ worker: worker.id, code, signal }, 'worker died; starting another');
    fork();
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
if (cluster.isPrimary) {
  const log = pino(loggerOptions(config.logLevel));
  await prepare(config, log);
  if (config.workers > 1) supervise(config, log);
  else await serve(config);
} else {
  await serve(config);
}
