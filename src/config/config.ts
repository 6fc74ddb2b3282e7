import { resolve } from 'node:path';
import { isVapidPair } from '../push/vapid-keys.ts';
import { PROVIDERS } from '../embeds/providers.ts';
import type { OEmbedEndpoints } from '../embeds/oembed.ts';
import { parseAllowance, type PrivateAllowance } from '../webhooks/address-guard.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Liveline's configuration, read once from the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  logLevel: LogLevel;
  /** How many node:cluster workers serve requests; 1 runs everything in one process. */
  workers: number;
  /** The site's public base URL: every absolute link is built from it, never from `Host`. */
  publicUrl: string;
  /** The most bytes of rendered reader pages kept in memory (least recently used go first). */
  renderCacheBytes: number;
  /** The most event streams one client address, and the whole process, may hold open. */
  streamsPerAddress: number;
  streamsTotal: number;
  /** How often each instance looks for scheduled posts and pages that are due (ms). */
  scheduleEveryMs: number;
  /**
   * The proxies whose X-Forwarded-For is believed (addresses or CIDRs, comma-separated), so
   * per-address bounds count readers, not the proxy; null trusts none.
   */
  trustProxy: string | null;
  /** The bearer token a Prometheus scraper sends for /metrics; null keeps /metrics closed. */
  metricsToken: string | null;
  /** Failed authentications per address, and writes per token, allowed each minute. */
  rateLimits: { authFailuresPerMinute: number; writesPerMinute: number };
  /** The chance that a reader page reports one live event's delay (ADR 0017); 0 turns it off. */
  latencySampleRate: number;
  // The embeddable widget (ADR 0024).
  /**
   * Who may frame the embed view `/live/{slug}/embed` (CSP `frame-ancestors` sources,
   * EMBED_FRAME_ANCESTORS, space-separated); every other page refuses to be framed.
   */
  embedFrameAncestors: string[];
  // Embeds (ADR 0021)
  /** OEMBED_ENDPOINTS overrides per provider (`off` turns one off), OEMBED_TIMEOUT_MS. */
  oembed: { endpoints: OEmbedEndpoints; timeoutMs: number };
  // Webhooks and the outbox (ADR 0022).
  /** How often each instance looks for due outbox jobs (ms); changes on the bus also wake it. */
  outboxPollMs: number;
  /** How long an instance's claim of a job holds before another may take it over (ms). */
  outboxLeaseMs: number;
  /** The wait before the first retry of a failed job (ms); each later one doubles. */
  outboxRetryFirstMs: number;
  /** How long a failed job is retried before it fails for good (ms); a day by default. */
  outboxRetryForMs: number;
  /** One webhook attempt's limit (ms). */
  webhooksTimeoutMs: number;
  /** Which private addresses webhooks may reach (WEBHOOKS_ALLOW_PRIVATE); none by default. */
  webhooksAllowPrivate: PrivateAllowance;
  /** Pictures (ADR 0020): where they are kept, how big an upload may be, remote origins. */
  media: MediaConfig;
  // Push alerts (issue 12, ADR 0023).
  /**
   * VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY (base64url, as `web-push generate-vapid-keys`
   * prints them), or null: the first instance generates a pair and keeps it in the database.
   */
  vapidKeys: { publicKey: string; privateKey: string } | null;
  /** VAPID_SUBJECT: a mailto: or https: URL push services can reach the operator at. */
  vapidSubject: string;
  /**
   * PUSH_SERVICES: push service hosts allowed besides the browsers' own (`host`,
   * `host:port`, `*.domain`); these alone may be private addresses (a local or test service).
   */
  pushServices: string[];
  /** PUSH_SERVICE_CA: a PEM file of certificate authorities to trust for those services. */
  pushServiceCaFile: string | null;
}

export interface MediaConfig {
  /** MEDIA_S3_*: a bucket shared by every instance; null keeps pictures in DATA_DIR/media. */
  s3: {
    endpoint: string;
    bucket: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
  } | null;
  /** MEDIA_MAX_BYTES: the largest upload (default 25 MiB). */
  maxBytes: number;
  /** MEDIA_PROCESS_CONCURRENCY: pictures processed at once per process (default 1). */
  concurrency: number;
  /** MEDIA_REMOTE_ORIGINS: origins remote pictures may come from (CSP); default `https:`. */
  remoteOrigins: string[];
}

/** The MEDIA_* variables; problems are added to `problems`. */
function mediaConfig(
  env: NodeJS.ProcessEnv,
  problems: string[],
  count: (name: string, fallback: number, min: number, max: number) => number,
): MediaConfig {
  const endpoint = url('MEDIA_S3_ENDPOINT', env.MEDIA_S3_ENDPOINT, ['http:', 'https:'], problems);
  const bucket = nonEmpty(env.MEDIA_S3_BUCKET) ?? null;
  const accessKeyId = nonEmpty(env.MEDIA_S3_ACCESS_KEY_ID) ?? nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey =
    nonEmpty(env.MEDIA_S3_SECRET_ACCESS_KEY) ?? nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  let s3: MediaConfig['s3'] = null;
  if (endpoint !== null || bucket !== null) {
    if (endpoint === null || bucket === null || !accessKeyId || !secretAccessKey) {
      problems.push(
        'MEDIA_S3_ENDPOINT, MEDIA_S3_BUCKET and credentials (MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) go together',
      );
    } else {
      const region = nonEmpty(env.MEDIA_S3_REGION) ?? 'us-east-1';
      s3 = { endpoint, bucket, region, accessKeyId, secretAccessKey };
    }
  }
  const remote = nonEmpty(env.MEDIA_REMOTE_ORIGINS);
  const remoteOrigins =
    remote === undefined ? ['https:'] : remote === 'none' ? [] : remote.split(/[\s,]+/);
  for (const origin of remoteOrigins) {
    if (origin !== 'https:' && !/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin)) {
      problems.push(
        `MEDIA_REMOTE_ORIGINS holds https origins (https://images.example.org), "https:" or "none", got "${origin}"`,
      );
    }
  }
  return {
    s3,
    maxBytes: count('MEDIA_MAX_BYTES', 25 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    concurrency: count('MEDIA_PROCESS_CONCURRENCY', 1, 1, 64),
    remoteOrigins,
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function url(
  name: string,
  value: string | undefined,
  protocols: string[],
  problems: string[],
): string | null {
  const text = nonEmpty(value);
  if (text === undefined) return null;
  try {
    const parsed = new URL(text);
    if (!protocols.includes(parsed.protocol)) {
      problems.push(`${name} must be a ${protocols.join(' or ')} URL, got "${parsed.protocol}"`);
    }
  } catch {
    problems.push(`${name} is not a URL: "${text}"`);
  }
  return text;
}

/** The host name of a URL, or localhost when the URL is itself a problem reported elsewhere. */
function hostOf(text: string): string {
  try {
    return new URL(text).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}

/**
 * Reads and checks every variable, reporting all problems at once. With nothing set,
 * Liveline runs as one process on port 3000 with SQLite under ./data.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const problems: string[] = [];

  const portText = nonEmpty(env.PORT) ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65_535) {
    problems.push(`PORT must be a whole number from 0 to 65535, got "${portText}"`);
  }

  const host = nonEmpty(env.HOST) ?? '127.0.0.1';
  const logLevel = (nonEmpty(env.LOG_LEVEL) ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const workersText = nonEmpty(env.WORKERS) ?? '1';
  const workers = Number(workersText);
  if (!/^\d+$/.test(workersText) || workers < 1 || workers > 256) {
    problems.push(`WORKERS must be a whole number from 1 to 256, got "${workersText}"`);
  }

  const count = (name: string, fallback: number, min: number, max: number): number => {
    const text = nonEmpty(env[name]) ?? String(fallback);
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
    }
    return value;
  };
  const publicUrl = (
    url('PUBLIC_URL', env.PUBLIC_URL, ['http:', 'https:'], problems) ?? `http://localhost:${port}`
  ).replace(/\/+$/, '');
  const metricsToken = nonEmpty(env.METRICS_TOKEN) ?? null;
  if (metricsToken !== null && !/^[\x21-\x7e]{16,200}$/.test(metricsToken)) {
    problems.push('METRICS_TOKEN must be 16 to 200 printable characters without spaces');
  }

  const perMinute = (name: string, fallback: number): number => {
    const text = nonEmpty(env[name]) ?? String(fallback);
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < 1 || value > 1_000_000) {
      problems.push(`${name} must be a whole number from 1 to 1000000, got "${text}"`);
    }
    return value;
  };
  const rateLimits = {
    authFailuresPerMinute: perMinute('RATE_LIMIT_AUTH_FAILURES_PER_MINUTE', 30),
    writesPerMinute: perMinute('RATE_LIMIT_WRITES_PER_MINUTE', 300),
  };

  const sampleText = nonEmpty(env.LATENCY_SAMPLE_RATE) ?? '0.1';
  const latencySampleRate = Number(sampleText);
  if (!/^(0|1|0?\.\d+|1\.0*)$/.test(sampleText)) {
    problems.push(`LATENCY_SAMPLE_RATE must be a number from 0 to 1, got "${sampleText}"`);
  }

  const embedFrameAncestors = frameAncestors(env.EMBED_FRAME_ANCESTORS, problems);
  const oembed = {
    endpoints: oembedEndpoints(env.OEMBED_ENDPOINTS, problems),
    timeoutMs: count('OEMBED_TIMEOUT_MS', 1500, 50, 30_000),
  };
  const outboxLeaseMs = count('OUTBOX_LEASE_MS', 60_000, 1000, 3_600_000);
  const webhooksTimeoutMs = count('WEBHOOKS_TIMEOUT_MS', 10_000, 100, 300_000);
  if (webhooksTimeoutMs + 1000 > outboxLeaseMs) {
    problems.push(
      `OUTBOX_LEASE_MS (${outboxLeaseMs}) must exceed WEBHOOKS_TIMEOUT_MS (${webhooksTimeoutMs}) by at least 1000, or two instances could deliver one event at once`,
    );
  }

  // Push alerts (issue 12, ADR 0023).
  const vapidPublic = nonEmpty(env.VAPID_PUBLIC_KEY);
  const vapidPrivate = nonEmpty(env.VAPID_PRIVATE_KEY);
  let vapidKeys: Config['vapidKeys'] = null;
  if (vapidPublic !== undefined || vapidPrivate !== undefined) {
    if (vapidPublic === undefined || vapidPrivate === undefined)
      problems.push('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set together, or neither');
    else if (!isVapidPair(vapidPublic, vapidPrivate))
      problems.push(
        'VAPID_PUBLIC_KEY must be 65 bytes and VAPID_PRIVATE_KEY 32 bytes, base64url (web-push generate-vapid-keys)',
      );
    else vapidKeys = { publicKey: vapidPublic, privateKey: vapidPrivate };
  }
  const vapidSubject = nonEmpty(env.VAPID_SUBJECT) ?? `mailto:alerts@${hostOf(publicUrl)}`;
  if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(vapidSubject))
    problems.push(`VAPID_SUBJECT must be a mailto: or https: URL, got "${vapidSubject}"`);
  const pushServices = (nonEmpty(env.PUSH_SERVICES) ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  for (const host of pushServices)
    if (!/^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/.test(host))
      problems.push(`PUSH_SERVICES: "${host}" is not a host, host:port or *.domain`);
  const pushServiceCaFile = nonEmpty(env.PUSH_SERVICE_CA) ?? null;

  const config: Config = {
    port,
    host,
    dataDir: resolve(nonEmpty(env.DATA_DIR) ?? './data'),
    databaseUrl: url('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:'], problems),
    redisUrl: url('REDIS_URL', env.REDIS_URL, ['redis:', 'rediss:'], problems),
    logLevel,
    workers,
    publicUrl,
    renderCacheBytes: count('RENDER_CACHE_BYTES', 64 * 1024 * 1024, 1024 * 1024, 2 ** 40),
    streamsPerAddress: count('EVENTS_MAX_PER_ADDRESS', 32, 1, 1_000_000),
    streamsTotal: count('EVENTS_MAX_TOTAL', 10_000, 1, 10_000_000),
    scheduleEveryMs: count('SCHEDULE_EVERY_MS', 1000, 50, 3_600_000),
    trustProxy: nonEmpty(env.TRUST_PROXY) ?? null,
    metricsToken,
    rateLimits,
    latencySampleRate,
    embedFrameAncestors,
    oembed,
    outboxPollMs: count('OUTBOX_POLL_MS', 1000, 10, 3_600_000),
    outboxLeaseMs,
    outboxRetryFirstMs: count('OUTBOX_RETRY_FIRST_MS', 10_000, 10, 3_600_000),
    outboxRetryForMs: count('OUTBOX_RETRY_FOR_MS', 24 * 3_600_000, 1000, 30 * 24 * 3_600_000),
    webhooksTimeoutMs,
    webhooksAllowPrivate: parseAllowance(env.WEBHOOKS_ALLOW_PRIVATE, problems),
    media: mediaConfig(env, problems, count),
    vapidKeys,
    vapidSubject,
    pushServices,
    pushServiceCaFile: pushServiceCaFile === null ? null : resolve(pushServiceCaFile),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** One `frame-ancestors` source: `*`, `'self'`, a scheme (`https:`) or an origin (`https://*.example.org`). */
const FRAME_SOURCE =
  /^(\*|'self'|https?:|https?:\/\/(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?)$/i;

/** EMBED_FRAME_ANCESTORS: the sources that may frame the embed view; `*` (anyone) by default. */
function frameAncestors(value: string | undefined, problems: string[]): string[] {
  const sources = (nonEmpty(value) ?? '*').split(/\s+/);
  const bad = sources.filter((source) => !FRAME_SOURCE.test(source));
  if (bad.length > 0) {
    problems.push(
      `EMBED_FRAME_ANCESTORS must be space-separated sources such as * or https://news.example.org, got ${bad.map((b) => `"${b}"`).join(', ')}`,
    );
  }
  return sources;
}

// Embeds (ADR 0021)
/** `youtube=https://host/oembed,x=off`: each provider's oEmbed endpoint, or off. */
function oembedEndpoints(value: string | undefined, problems: string[]): OEmbedEndpoints {
  const endpoints: OEmbedEndpoints = {};
  const text = nonEmpty(value);
  if (text === undefined) return endpoints;
  const ids = PROVIDERS.map((p) => p.id);
  for (const item of text.split(',')) {
    const [name = '', ...rest] = item.split('=');
    const id = ids.find((known) => known === name.trim());
    if (id === undefined) {
      problems.push(`OEMBED_ENDPOINTS names "${name.trim()}", not one of ${ids.join(', ')}`);
      continue;
    }
    const endpoint = rest.join('=').trim();
    endpoints[id] =
      endpoint === 'off'
        ? null
        : url(`OEMBED_ENDPOINTS (${id})`, endpoint, ['http:', 'https:'], problems);
    if (endpoint === '') problems.push(`OEMBED_ENDPOINTS gives no address for "${id}"`);
  }
  return endpoints;
}
