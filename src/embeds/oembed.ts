import { LIMITS } from '../domain/limits.ts';
import { textProblem } from '../domain/text-rule.ts';
import { PROVIDERS, type EmbedProviderId } from './providers.ts';
import { TtlCache } from './ttl-cache.ts';

/** What an oEmbed answer tells a reader's card: the post's title and who posted it. */
export interface EmbedDescription {
  title?: string;
  author?: string;
}

/** Describes an embedded post by asking its provider; null when it cannot be reached. */
export interface OEmbedLookup {
  describe(provider: EmbedProviderId, url: string): Promise<EmbedDescription | null>;
}

export type OEmbedEndpoints = Partial<Record<EmbedProviderId, string | null>>;

export interface OEmbedOptions {
  /** Endpoint per provider; absent ones use the registry's, null turns one off. */
  endpoints?: OEmbedEndpoints;
  timeoutMs?: number;
  maxBytes?: number;
  /** How long an answer is kept, and how long a failure is (so a provider that is down costs one timeout). */
  ttlMs?: number;
  failureTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/** The endpoints in use: the registry's public ones, overridden per provider. */
export function endpointsOf(overrides: OEmbedEndpoints = {}): Map<EmbedProviderId, string> {
  const endpoints = new Map<EmbedProviderId, string>();
  for (const provider of PROVIDERS) {
    const endpoint = provider.id in overrides ? overrides[provider.id] : provider.oembed;
    if (endpoint) endpoints.set(provider.id, endpoint);
  }
  return endpoints;
}

/** A string of an oEmbed answer as stored text: one line, XML characters, bounded. */
function field(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const line = value.replace(/\s+/g, ' ').trim().slice(0, max).trim();
  return line === '' || textProblem(line) !== null ? undefined : line;
}

async function readBounded(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new Error(`oEmbed answer of ${declared} bytes`);
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`oEmbed answer over ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The oEmbed client: asks only the fixed endpoint of the post's provider (never an address a
 * request supplied, so no SSRF), with a short timeout, a size limit and no redirects, and
 * keeps answers and failures in an LRU with expiry. Concurrent asks for one post share a fetch.
 */
export class OEmbedClient implements OEmbedLookup {
  readonly #endpoints: Map<EmbedProviderId, string>;
  readonly #cache: TtlCache<Promise<EmbedDescription | null>>;
  readonly #options: Required<Omit<OEmbedOptions, 'endpoints' | 'now'>>;
  /** How many requests reached a provider (for tests and metrics). */
  fetches = 0;

  constructor(options: OEmbedOptions = {}) {
    this.#endpoints = endpointsOf(options.endpoints);
    this.#options = {
      timeoutMs: options.timeoutMs ?? 1500,
      maxBytes: options.maxBytes ?? 64 * 1024,
      ttlMs: options.ttlMs ?? 60 * 60 * 1000,
      failureTtlMs: options.failureTtlMs ?? 60 * 1000,
      maxEntries: options.maxEntries ?? 1000,
    };
    this.#cache = new TtlCache(this.#options.maxEntries, options.now);
  }

  describe(provider: EmbedProviderId, url: string): Promise<EmbedDescription | null> {
    const endpoint = this.#endpoints.get(provider);
    if (endpoint === undefined) return Promise.resolve(null);
    const key = `${provider} ${url}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const pending = this.#fetch(endpoint, url).then(
      (description) => {
        this.#cache.set(key, pending, this.#options.ttlMs);
        return description;
      },
      () => {
        this.#cache.set(key, pending, this.#options.failureTtlMs);
        return null;
      },
    );
    this.#cache.set(key, pending, this.#options.timeoutMs + this.#options.failureTtlMs);
    return pending;
  }

  async #fetch(endpoint: string, url: string): Promise<EmbedDescription> {
    const address = new URL(endpoint);
    address.searchParams.set('url', url);
    address.searchParams.set('format', 'json');
    this.fetches++;
    const response = await fetch(address, {
      redirect: 'error',
      signal: AbortSignal.timeout(this.#options.timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`oEmbed answered ${response.status}`);
    }
    const parsed: unknown = JSON.parse(await readBounded(response, this.#options.maxBytes));
    if (typeof parsed !== 'object' || parsed === null)
      throw new Error('oEmbed answer not an object');
    const answer = parsed as Record<string, unknown>;
    const title = field(answer.title, LIMITS.headline);
    const author = field(answer.author_name, LIMITS.contributorName);
    return { ...(title && { title }), ...(author && { author }) };
  }
}
