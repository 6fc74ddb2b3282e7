import { Redis, type RedisOptions } from 'ioredis';
import { faultSummary, stderrLog, type FaultLog } from '../../log.ts';
import {
  ACTIVITIES,
  byActivityStart,
  DEFAULT_TTL_MS,
  type PresenceBoard,
  type PresenceEntry,
  type PresenceListener,
  type PresenceReport,
  type PutMode,
  type PutResult,
} from '../presence.ts';
import { PageWatchers } from '../watchers.ts';
import { LIST, PUT, REMOVE } from './scripts.ts';

/** A presence command unanswered in this long fails: presence must never hold a request up. */
const COMMAND_TIMEOUT_MS = 500;

export interface RedisBoardOptions {
  ttlMs?: number;
  /** Key prefix and channel: tests use their own so runs never meet. */
  prefix?: string;
  log?: FaultLog;
}

interface BoardCommands {
  presencePut(key: string, ...args: string[]): Promise<PutResult>;
  presenceRemove(key: string, ...args: string[]): Promise<number>;
  presenceList(key: string, ...args: string[]): Promise<string[]>;
}

/** An entry as the scripts store it, checked before it is believed. */
function parseEntry(json: string): PresenceEntry | null {
  try {
    const value = JSON.parse(json) as Record<string, unknown>;
    const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : null);
    const activity = ACTIVITIES.find((a) => a === value.activity);
    const [connection, pageId, userId, name] = ['connection', 'pageId', 'userId', 'name'].map(text);
    if (!connection || !pageId || !userId || name === null || name === undefined || !activity)
      return null;
    if (typeof value.since !== 'number') return null;
    return {
      connection,
      pageId,
      userId,
      name,
      activity,
      postId: text('postId'),
      since: new Date(value.since).toISOString(),
    };
  } catch {
    return null;
  }
}

/**
 * The many-instance board: entries in Redis (a hash per page, expiry per entry read from
 * Redis's own clock), changes published on a channel every instance listens to. Commands
 * fail fast while Redis is away (no offline queue, a short timeout); both connections
 * reconnect by themselves, and the subscriber resubscribes.
 */
export class RedisBoard implements PresenceBoard {
  readonly ttlMs: number;
  private readonly watchers: PageWatchers;
  private readonly channel: string;
  private subscribed = false;

  private constructor(
    private readonly commands: Redis & BoardCommands,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    ttlMs: number,
    log: FaultLog,
  ) {
    this.ttlMs = ttlMs;
    this.channel = `${prefix}changes`;
    this.watchers = new PageWatchers(
      (pageId) => this.list(pageId),
      Math.max(10, Math.floor(ttlMs / 3)),
      log,
    );
    subscriber.on('message', (_channel: string, pageId: string) => this.watchers.changed(pageId));
    // Subscribed again on every reconnection; until Redis confirms it, changes may be missed.
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => (this.subscribed = true),
        () => undefined,
      );
    });
    subscriber.on('close', () => (this.subscribed = false));
    let down = false;
    for (const connection of [commands, subscriber]) {
      connection.on('error', (error: unknown) => {
        if (down) return;
        down = true;
        log.warn({ presence: 'down', error: faultSummary(error) }, 'presence: Redis is away');
      });
      connection.on('ready', () => (down = false));
    }
  }

  /** Connects both connections; does not wait for Redis (presence is best-effort). */
  static connect(url: string, options: RedisBoardOptions = {}): RedisBoard {
    const shared: RedisOptions = {
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      connectTimeout: 2_000,
    };
    const commands = new Redis(url, {
      ...shared,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
    }) as Redis & BoardCommands;
    commands.defineCommand('presencePut', { numberOfKeys: 1, lua: PUT });
    commands.defineCommand('presenceRemove', { numberOfKeys: 1, lua: REMOVE });
    commands.defineCommand('presenceList', { numberOfKeys: 1, lua: LIST });
    const subscriber = new Redis(url, { ...shared, maxRetriesPerRequest: null });
    return new RedisBoard(
      commands,
      subscriber,
      options.prefix ?? 'liveline:presence:',
      options.ttlMs ?? DEFAULT_TTL_MS,
      options.log ?? stderrLog(),
    );
  }

  /** Resolves once both connections are up and the channel is subscribed (tests, start-up). */
  async ready(timeoutMs = 3_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.commands.status === 'ready' && this.subscribed) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  }

  async put(report: PresenceReport, mode: PutMode): Promise<PutResult> {
    const { connection, pageId, userId, name, activity, postId } = report;
    return this.commands.presencePut(
      this.key(pageId),
      connection,
      JSON.stringify({ connection, pageId, userId, name, activity, postId }),
      String(this.ttlMs),
      mode,
      this.channel,
      pageId,
    );
  }

  async remove(pageId: string, connection: string): Promise<void> {
    await this.commands.presenceRemove(this.key(pageId), connection, this.channel, pageId);
  }

  async list(pageId: string): Promise<PresenceEntry[]> {
    const raw = await this.commands.presenceList(this.key(pageId), this.channel, pageId);
    return raw
      .map(parseEntry)
      .filter((entry): entry is PresenceEntry => entry !== null)
      .sort(byActivityStart);
  }

  watch(pageId: string, listener: PresenceListener): () => void {
    return this.watchers.watch(pageId, listener);
  }

  async close(): Promise<void> {
    this.watchers.close();
    this.subscriber.disconnect();
    await this.commands.quit().catch(() => this.commands.disconnect());
  }

  private key(pageId: string): string {
    return `${this.prefix}page:${pageId}`;
  }
}
