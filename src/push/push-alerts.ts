import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { ServiceDeps } from '../services/deps.ts';
import type { JobHandler } from '../outbox/runner.ts';
import { pushJobHandler } from './jobs.ts';
import { guardedLookup, pushServices, type PushServices } from './push-services.ts';
import type { Delivery } from './sender.ts';
import { DEFAULT_PAGES_PER_ENDPOINT, DEFAULT_SUBSCRIBES_PER_MINUTE } from './subscription.ts';
import { vapidSource, type Vapid } from './vapid-keys.ts';

/** Push alerts' settings (config.ts reads them from the environment; tests pass their own). */
export interface PushOptions {
  /** VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY; without them the database keeps a generated pair. */
  vapidKeys?: { publicKey: string; privateKey: string } | null;
  /** VAPID_SUBJECT. */
  subject?: string;
  /** PUSH_SERVICES: push service hosts allowed besides the browsers' own. */
  services?: readonly string[];
  /** PUSH_SERVICE_CA's contents: PEM certificates trusted besides the usual roots. */
  ca?: string | null;
  /** Live pages one endpoint may get alerts from. */
  pagesPerEndpoint?: number;
  /** Subscribes and unsubscribes per client address per minute. */
  subscribesPerMinute?: number;
  /** How long a push service keeps an undelivered alert (seconds). */
  ttlSeconds?: number;
  /** Told of each alert's outcome (metrics, tests). */
  onDelivered?: (delivery: Delivery) => void;
}

/** Push alerts wired for one app: its routes' settings and the outbox's `push` handler. */
export interface PushAlerts {
  vapid: () => Promise<Vapid>;
  services: PushServices;
  pagesPerEndpoint: number;
  subscribesPerMinute: number;
  /** Sends the `push` jobs the commit path enqueues (src/push/jobs.ts). */
  handler: JobHandler;
  close(): Promise<void>;
}

type Log = { warn(details: object, message: string): void; error(d: object, m: string): void };

/** Sets push alerts up over the services' store (ADR 0023). */
export function pushAlerts(
  services: ServiceDeps,
  options: PushOptions & { baseUrl: string; log: Log },
): PushAlerts {
  const allowed = pushServices(options.services ?? []);
  const vapid = vapidSource(
    services.store.push,
    options.vapidKeys ?? null,
    options.subject ?? `mailto:alerts@${new URL(options.baseUrl).hostname}`,
  );
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 32,
    lookup: guardedLookup(allowed),
    ...(options.ca && { ca: [...rootCertificates, options.ca] }),
  });
  const handler = pushJobHandler({
    store: services.store.push,
    pages: services.store,
    now: services.now,
    vapid,
    agent,
    log: options.log,
    baseUrl: options.baseUrl,
    ...(options.ttlSeconds !== undefined && { ttlSeconds: options.ttlSeconds }),
    ...(options.onDelivered && { onDelivered: options.onDelivered }),
  });
  return {
    vapid,
    services: allowed,
    pagesPerEndpoint: options.pagesPerEndpoint ?? DEFAULT_PAGES_PER_ENDPOINT,
    subscribesPerMinute: options.subscribesPerMinute ?? DEFAULT_SUBSCRIBES_PER_MINUTE,
    handler,
    async close() {
      agent.destroy();
    },
  };
}
