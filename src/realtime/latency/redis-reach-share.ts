import { Redis } from 'ioredis';
import type { PageReach, ReachShare } from './latency-board.ts';
import type { SharedBucket } from './rolling-window.ts';

/** An answer not back in this long is given up: the panel then shows this instance alone. */
const COMMAND_TIMEOUT_MS = 500;

export interface RedisReachShareOptions {
  /** Keys are `<prefix>:<page id>` (tests use their own prefix). */
  prefix?: string;
  /** How long an instance's entry counts after it was published. */
  freshMs: number;
}

interface Entry extends PageReach {
  at: number;
}

function parseEntry(text: string): Entry | null {
  try {
    const value = JSON.parse(text) as Partial<Entry>;
    if (
      typeof value.at === 'number' &&
      typeof value.readers === 'number' &&
      Array.isArray(value.buckets)
    ) {
      return { at: value.at, readers: value.readers, buckets: value.buckets as SharedBucket[] };
    }
  } catch {
    // Another version's or a damaged entry: left out.
  }
  return null;
}

/**
 * The instances' reach of each page in Redis: one hash per page, a field per instance holding
 * its readers and its window's buckets as JSON, stamped with when it was written. The hash
 * expires unless some instance keeps publishing, and a field older than `freshMs` is ignored
 * (and removed) when read, so an instance that stopped drops out. Redis holds nothing that
 * matters: losing it costs the panel the other instances' figures until it is back.
 */
export class RedisReachShare implements ReachShare {
  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly freshMs: number,
  ) {}

  static connect(url: string, options: RedisReachShareOptions): RedisReachShare {
    const redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    });
    // The bus logs Redis outages (same server); a failed command is reported by the board.
    redis.on('error', () => undefined);
    return new RedisReachShare(redis, options.prefix ?? 'liveline:reach', options.freshMs);
  }

  async publish(
    instance: string,
    pages: ReadonlyMap<string, PageReach>,
    gone: readonly string[],
    nowMs: number,
  ): Promise<void> {
    if (pages.size === 0 && gone.length === 0) return;
    const batch = this.redis.pipeline();
    for (const [pageId, reach] of pages) {
      const key = this.key(pageId);
      batch.hset(key, instance, JSON.stringify({ at: nowMs, ...reach }));
      batch.pexpire(key, this.freshMs * 2);
    }
    for (const pageId of gone) batch.hdel(this.key(pageId), instance);
    const results = (await batch.exec()) ?? [];
    const failed = results.find(([error]) => error !== null);
    if (failed) throw failed[0];
  }

  async read(pageId: string, nowMs: number): Promise<Map<string, PageReach>> {
    const key = this.key(pageId);
    const fields = await this.redis.hgetall(key);
    const fresh = new Map<string, PageReach>();
    const stale: string[] = [];
    for (const [instance, text] of Object.entries(fields)) {
      const entry = parseEntry(text);
      if (entry && entry.at >= nowMs - this.freshMs) {
        fresh.set(instance, { readers: entry.readers, buckets: entry.buckets });
      } else stale.push(instance);
    }
    if (stale.length > 0) void this.redis.hdel(key, ...stale).catch(() => undefined);
    return fresh;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(pageId: string): string {
    return `${this.prefix}:${pageId}`;
  }
}
