import cookie from '@fastify/cookie';
import etag from '@fastify/etag';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { LivelineError } from './domain/errors.ts';
import { MemoryBoard } from './presence/memory/memory-board.ts';
import type { PresenceBoard } from './presence/presence.ts';
import { changeRoutes } from './http/api/changes.ts';
import { importRoutes } from './http/api/import.ts';
import { pageRoutes } from './http/api/pages.ts';
import { postRoutes } from './http/api/posts.ts';
import { admitGradually, type Admission, type AdmissionOptions } from './http/admission.ts';
import { registerAuditContext } from './http/audit-context.ts';
import { removalRoutes } from './http/api/removal.ts';
import { workflowRoutes } from './http/api/workflow.ts';
import { authHooks } from './http/auth.ts';
import { deskRoutes } from './http/desk/index.ts';
import type { HttpDeps } from './http/deps.ts';
import { registerDependencyMetrics } from './http/ops/dependency-metrics.ts';
import { healthRoutes } from './http/ops/health.ts';
import { metricsRoutes } from './http/ops/metrics.ts';
import { openApiRoutes } from './http/ops/openapi.ts';
import { sendProblem } from './http/problem.ts';
import { registerBodyParsers } from './http/body-parsers.ts';
import { clientErrorHandler } from './http/client-errors.ts';
import { trackRouteMethods } from './http/methods.ts';
import { loadReaderAssets } from './http/reader/assets.ts';
import { loadDeskAssets } from './http/desk/assets.ts';
import { deskShellRoutes } from './http/desk/shell.ts';
import { deskLatencyRoutes } from './http/desk/latency.ts';
import { latencyReportRoutes } from './http/reader/latency.ts';
import { LatencyBoard } from './realtime/latency/latency-board.ts';
import { RedisReachShare } from './realtime/latency/redis-reach-share.ts';
import { DEFAULT_REPORTING } from './realtime/latency/reporting.ts';
import { answerError } from './http/reader/error-page.ts';
import { clientAddressOf } from './http/client-address.ts';
import { addressKey } from './net/ip-address.ts';
import { EventStreams } from './http/reader/event-streams.ts';
import { eventRoutes, pageSnapshot } from './http/reader/events.ts';
import { readerRoutes } from './http/reader/pages.ts';
import { RenderCache } from './http/reader/render-cache.ts';
import { serveCachedPage } from './http/reader/fast-path.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { loadWidgetAssets } from './http/reader/widget-assets.ts';
import { widgetRoutes } from './http/reader/widget.ts';
import { DEFAULT_MEDIA_SOURCES, registerSecurityHeaders } from './http/security.ts';
import { validatorCompiler } from './http/validation.ts';
import { FanoutHub } from './realtime/hub.ts';
import { LivelineMetrics } from './realtime/metrics.ts';
import { StreamLimits } from './realtime/stream-limits.ts';
import { renderLiveEvent } from './render/index.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import type { ServiceDeps } from './services/deps.ts';
import { webhookRoutes } from './http/api/webhooks.ts';
import { OutboxRunner } from './outbox/runner.ts';
import type { RetryPolicy } from './outbox/retry.ts';
import {
  DEFAULT_WEBHOOK_SETTINGS,
  webhookDeliverer,
  type WebhookSettings,
} from './webhooks/deliverer.ts';
import { WEBHOOK_TOPIC } from './webhooks/jobs.ts';
import { deskMediaRoutes } from './http/desk/media.ts';
import { mediaRoutes } from './http/reader/media.ts';
import { temporaryMediaLibrary, type MediaLibrary } from './media/library.ts';
import { PUSH_TOPIC } from './push/jobs.ts';
import { pushAlerts, type PushOptions } from './push/push-alerts.ts';
import { pushRoutes } from './http/reader/push.ts';

/** Generous for people at keyboards, short of a runaway script or a token guesser. */
export const DEFAULT_RATE_LIMITS = { authFailuresPerMinute: 30, writesPerMinute: 300 };

/** Sign-in attempts per 15 minutes: the tenth wrong password in a row for one account is refused. */
export const DEFAULT_SIGN_IN_LIMITS = { perAccount: 9, perAddress: 60 };

/** The longest path segment routed; see routerOptions. */
const MAX_PARAM_LENGTH = 256;

/**
 * The largest JSON body Liveline reads: a post at every limit of src/domain/limits.ts is
 * under 128 KiB of JSON even in three-byte characters. The import reads text captures of up
 * to IMPORT_BODY_LIMIT (src/http/api/import.ts).
 */
export const BODY_LIMIT = 256 * 1024;

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  /** Per minute: failed authentications per address, writes per token (see ADR 0011). */
  rateLimits?: { authFailuresPerMinute?: number; writesPerMinute?: number };
  /** Sign-in attempts per 15 minutes, per account and per client address (ADR 0013). */
  signInLimits?: { perAccount?: number; perAddress?: number };
  /** The bearer token that may read /metrics; without one /metrics is a 404. */
  metricsToken?: string | null;
  /** Tuning of the event stream; the defaults suit production. */
  realtime?: {
    maxBufferedBytes?: number;
    heartbeatMs?: number;
    pollMs?: number;
    retryMs?: { first: number; max: number };
    /** Fan-out pacing (issue 13): see HubOptions.maxBacklog and maxPaceMs. */
    maxBacklog?: number;
    maxPaceMs?: number;
  };
  /** The site's public base URL (PUBLIC_URL); absolute links never come from `Host`. */
  publicUrl?: string;
  /** The render cache's budget in bytes (RENDER_CACHE_BYTES). */
  renderCacheBytes?: number;
  /** How long a rendering is served before the page is re-checked (1 s; tests lengthen it). */
  renderCacheFreshMs?: number;
  /** Open event streams allowed per client address and in total. */
  streams?: { perAddress: number; total: number };
  /** New connections reading towards their first request at once (ADR 0033). */
  admission?: AdmissionOptions;
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY). */
  trustProxy?: string;
  /** Latency reports from reader pages and the desk's panel (ADR 0017). */
  latency?: {
    /** LATENCY_SAMPLE_RATE: the chance a live event's delay is reported (default 0.1). */
    sampleRate?: number;
    reportEveryMs?: number;
    /** With Redis, instances share readers and delays through it (REDIS_URL). */
    redisUrl?: string | null;
    /** How often an instance publishes to Redis, and the key prefix there. */
    publishMs?: number;
    redisPrefix?: string;
  };
  /**
   * The presence board (Redis or cluster: main.ts; its owner closes it). Without one, a
   * board in this process, with `ttlMs` (default 30 s) and the services' clock.
   */
  presence?: { board?: PresenceBoard; ttlMs?: number };
  /**
   * How often this instance publishes what is due (SCHEDULE_EVERY_MS); unset runs no
   * scheduler (tests tick one themselves).
   */
  scheduleEveryMs?: number;
  /** The embeddable widget: who may frame the embed view (EMBED_FRAME_ANCESTORS, default any). */
  widget?: { frameAncestors?: string[] };
  // Webhooks and the outbox (ADR 0022).
  /** Which private addresses webhooks may reach, and one attempt's limits. */
  webhooks?: Partial<WebhookSettings>;
  /** The outbox runner's tuning; unset runs no runner (tests that deliver pass one). */
  outbox?: { pollMs: number; leaseMs: number; retry?: Partial<RetryPolicy>; owner?: string };
  /**
   * Where uploaded pictures live (ADR 0020; main.ts opens it from the config and closes it).
   * Without one, a library in a temporary folder that lives as long as the app.
   */
  media?: MediaLibrary;
  /** Origins remote pictures in posts may come from (MEDIA_REMOTE_ORIGINS; default `https:`). */
  mediaRemoteOrigins?: readonly string[];
  /** Push alerts for Breaking posts (ADR 0023): VAPID keys, allowed push services, limits. */
  push?: PushOptions;
}

/**
 * Builds the whole HTTP application around its dependencies. It never listens: main.ts
 * does, and tests inject requests.
 */
export async function buildApp(
  given: ServiceDeps,
  options: AppOptions = {},
): Promise<FastifyInstance> {
  // Publish and edit refuse remote media the CSP below would block (ADR 0020).
  const services: ServiceDeps = options.mediaRemoteOrigins
    ? { ...given, remoteOrigins: options.mediaRemoteOrigins }
    : given;
  const cache = new RenderCache({
    bus: services.bus,
    ...(options.renderCacheBytes !== undefined && { maxBytes: options.renderCacheBytes }),
    ...(options.renderCacheFreshMs !== undefined && { freshMs: options.renderCacheFreshMs }),
  });
  // Readers resuming their stream, once the hub exists (below); no request comes before.
  let serveResumed: (req: IncomingMessage, res: ServerResponse) => boolean = () => false;
  // New connections read a few at a time (ADR 0033); made with the server, below.
  let admission: Admission | null = null;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Slugs are at most 80 characters, ids 20: a longer segment is a 414 problem, a shorter
    // but invalid one reaches the schema and is named there.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    ...(options.trustProxy !== undefined && { trustProxy: options.trustProxy }),
    frameworkErrors: (error, request, reply) => sendProblem(error, request, reply),
    clientErrorHandler,
    // Cached live pages (fast-path.ts) and readers resuming their stream (event-streams.ts)
    // are answered before Fastify sees the request.
    serverFactory: (handler) => {
      const server = createServer((req, res) => {
        admission?.arrived(req.socket);
        // The cached pages first: they are the hottest requests, and a stream's URL fails
        // their pattern at once.
        if (serveCachedPage(cache, req, res) || serveResumed(req, res)) return;
        handler(req, res);
      });
      admission = admitGradually(server, options.admission);
      return server;
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const publicUrl = (options.publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
  // Push alerts (ADR 0023): the routes' settings and the outbox's `push` handler.
  const push = pushAlerts(services, {
    ...options.push,
    baseUrl: publicUrl,
    log: app.log,
  });
  app.addHook('onClose', async () => push.close());

  const allowedMethods = trackRouteMethods(app);
  registerBodyParsers(app);
  app.decorateRequest('actor', null);
  app.decorateRequest('actorTokenId', null);
  app.decorateRequest('session', null);
  registerAuditContext(app);
  app.setValidatorCompiler(validatorCompiler);
  const assets = await loadReaderAssets();
  // The embed view's stylesheet and script are served with the reader's (/assets/:name).
  const widgetAssets = await loadWidgetAssets();
  for (const [path, file] of widgetAssets.byPath) assets.byPath.set(path, file);
  // Readers get the site's HTML error page, programs problem+json (reader/error-page.ts).
  app.setErrorHandler((error, request, reply) => answerError(error, request, reply, assets.urls));
  app.setNotFoundHandler((request, reply) => {
    const allowed = allowedMethods(request.url);
    // A route that exists for this method but found nothing (an unknown asset) is a 404.
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        new LivelineError(
          'METHOD_NOT_ALLOWED',
          `${request.method} is not accepted here; use ${allowed.join(', ')}.`,
        ),
        request,
        reply,
      );
    }
    const error = new LivelineError(
      'ROUTE_NOT_FOUND',
      `Nothing at ${request.method} ${request.url}.`,
    );
    return answerError(error, request, reply, assets.urls, true);
  });

  const metrics = new LivelineMetrics();
  const snapshot = pageSnapshot(services);
  const hub = new FanoutHub({
    store: services.store,
    bus: services.bus,
    encode: (change, page) => JSON.stringify(renderLiveEvent(change, page)),
    snapshot: async (pageId) => {
      metrics.recordSnapshot();
      return snapshot(pageId);
    },
    onDelivered: (_pageId, count, change) => metrics.recordDelivery(count, change),
    onCutOff: () => metrics.recordCutOff(),
    // A failed read or render is logged and counted; the hub retries it by itself.
    onError: (err, pageId, during) => {
      metrics.recordHubError(during);
      app.log.error({ err, pageId, during }, 'event fan-out failed; retrying');
    },
    ...options.realtime,
  });
  metrics.watch(hub);
  if (admission) metrics.watchAdmission(admission);
  const latency = options.latency ?? {};
  const publishMs = latency.publishMs ?? 2_000;
  const board = new LatencyBoard({
    now: services.now,
    readers: () => hub.readerCounts(),
    share: latency.redisUrl
      ? RedisReachShare.connect(latency.redisUrl, {
          freshMs: publishMs * 3,
          ...(latency.redisPrefix !== undefined && { prefix: latency.redisPrefix }),
        })
      : null,
    publishMs,
    onError: (err) => app.log.warn({ err }, 'latency figures could not be shared through Redis'),
  });
  app.addHook('onClose', async () => board.close());
  registerDependencyMetrics(metrics.registry, services);
  metrics.watchCache(cache);
  const streamLimits = new StreamLimits(options.streams ?? { perAddress: 32, total: 10_000 });
  const eventStreams = new EventStreams({
    services,
    hub,
    limits: streamLimits,
    addressOf: clientAddressOf(options.trustProxy),
    onRefused: (reason) => metrics.recordRefused(reason),
    reporting: {
      sampleRate: latency.sampleRate ?? DEFAULT_REPORTING.sampleRate,
      reportEveryMs: latency.reportEveryMs ?? DEFAULT_REPORTING.reportEveryMs,
    },
  });
  serveResumed = (req, res) => eventStreams.serveResumed(req, res);
  // Readers are told to reconnect before the server stops waiting for connections to end.
  app.addHook('preClose', async () => {
    eventStreams.close();
    hub.close();
  });

  await registerSecurityHeaders(app, {
    mediaOrigin: null,
    remoteOrigins: options.mediaRemoteOrigins ?? DEFAULT_MEDIA_SOURCES.remoteOrigins,
  });
  await app.register(etag);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Liveline API',
        version: '1',
        description:
          'Live pages, posts and their change log. Reads are public; writes need a bearer token. Errors are application/problem+json (RFC 9457).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });

  await app.register(cookie);
  // Counters only: the auth hooks decide what counts (src/http/auth.ts).
  await app.register(rateLimit, { global: false });
  const minute = 60_000;
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const auth = authHooks(
    services,
    {
      authFailure: app.createRateLimit({
        max: limits.authFailuresPerMinute,
        timeWindow: minute,
        keyGenerator: (request) => `auth-failure|${addressKey(request.ip)}`,
      }),
      write: app.createRateLimit({
        max: limits.writesPerMinute,
        timeWindow: minute,
        keyGenerator: (request) =>
          `write|${request.actorTokenId ?? request.session?.id ?? addressKey(request.ip)}`,
      }),
    },
    { publicUrl },
  );
  // Fan-out pacing (issue 13): routes write through a bus that holds a writer while this
  // process's fan-out of the page is a pass behind, so a burst queues no more than a pass.
  const paced: ServiceDeps = { ...services, bus: hub.pacedBus(services.bus) };
  const deps: HttpDeps = { services: paced, auth, cache };
  for (const routes of [
    healthRoutes,
    openApiRoutes,
    pageRoutes,
    postRoutes,
    workflowRoutes,
    changeRoutes,
    importRoutes,
    removalRoutes,
  ]) {
    await app.register(routes, deps);
  }
  app.addHook('onClose', async () => cache.close());
  await app.register(readerRoutes, { ...deps, assets, publicUrl });
  // The desk's HTML shell and bundle (the desk's JSON routes are under /desk/api).
  await app.register(deskShellRoutes, { desk: await loadDeskAssets(), reader: assets.urls });
  await app.register(eventRoutes, { ...deps, streams: eventStreams });
  await app.register(latencyReportRoutes, {
    ...deps,
    board,
    onReport: (delays) => metrics.recordScreenLatency(delays),
  });
  await app.register(deskLatencyRoutes, { ...deps, board });
  await app.register(pushRoutes, { ...deps, push });
  const presence =
    options.presence?.board ??
    new MemoryBoard({
      now: services.now,
      log: app.log,
      ...(options.presence?.ttlMs !== undefined && { ttlMs: options.presence.ttlMs }),
    });
  if (!options.presence?.board) app.addHook('onClose', async () => presence.close());
  const deskDeps = {
    ...deps,
    presence,
    hub,
    limits: streamLimits,
    publicUrl,
    signInLimits: { ...DEFAULT_SIGN_IN_LIMITS, ...options.signInLimits },
    heartbeatMs: options.realtime?.heartbeatMs ?? 15_000,
  };
  await app.register(deskRoutes, deskDeps);
  // Pictures (ADR 0020): uploads at the desk, variants for readers.
  const media = options.media ?? (await temporaryMediaLibrary());
  if (!options.media) app.addHook('onClose', () => media.close());
  await app.register(deskMediaRoutes, { ...deskDeps, media });
  await app.register(mediaRoutes, { media });
  // The embeddable widget: the embed view, its scripts and /oembed (ADR 0024).
  await app.register(widgetRoutes, {
    ...deps,
    assets: widgetAssets,
    readerAssets: assets.urls,
    publicUrl,
    frameAncestors: options.widget?.frameAncestors ?? ['*'],
  });
  await app.register(metricsRoutes, {
    ...deps,
    metrics,
    metricsToken: options.metricsToken ?? null,
  });
  const scheduler =
    options.scheduleEveryMs === undefined
      ? null
      : new Scheduler(services, { everyMs: options.scheduleEveryMs, log: app.log });
  if (scheduler) app.addHook('onClose', () => scheduler.stop());
  // Webhooks and the outbox (ADR 0022): the routes, and this instance's runner of due jobs.
  const webhookSettings = { ...DEFAULT_WEBHOOK_SETTINGS, ...options.webhooks };
  for (const base of ['/api/webhooks', '/desk/api/webhooks'] as const)
    await app.register(webhookRoutes, { ...deps, base, allowance: webhookSettings.allowance });
  const outbox = options.outbox
    ? new OutboxRunner({
        store: services.store,
        now: services.now,
        log: app.log,
        handlers: {
          [WEBHOOK_TOPIC]: webhookDeliverer({ ...services, publicUrl, settings: webhookSettings }),
          [PUSH_TOPIC]: push.handler,
        },
        ...options.outbox,
      })
    : null;
  if (outbox) {
    // A change committed anywhere may have enqueued jobs: look now, not at the next tick.
    const unsubscribe = services.bus.subscribe(() => outbox.nudge());
    app.addHook('onClose', async () => {
      unsubscribe();
      await outbox.stop();
    });
  }
  await app.ready();
  outbox?.start();
  // It ticks once at start: what fell due while no instance ran publishes now.
  scheduler?.start();
  return app;
}
