import { Redis, type RedisOptions } from 'ioredis';
import { faultSummary, stderrLog, type FaultLog } from '../../log.ts';
import { deliver, type ChangeBus, type ChangeNotice, type NoticeListener } from '../bus.ts';

const CHANNEL = 'liveline:changes';

/** A publish that has not been answered in this long is abandoned: a notice is an optimisation. */
const PUBLISH_TIMEOUT_MS = 500;
/** How long start-up waits for Redis before serving without it (and connecting later). */
const READY_TIMEOUT_MS = 3_000;

function parseNotice(message: string): ChangeNotice | null {
  try {
    const value = JSON.parse(message) as Partial<ChangeNotice>;
    if (typeof value.pageId === 'string' && Number.isInteger(value.seq)) {
      return { pageId: value.pageId, seq: value.seq as number };
    }
  } catch {
    // A malformed message is dropped: notices only ever hurry a read of the log.
  }
  return null;
}

/** Reconnects forever, backing off to one attempt every 2 s. */
const retryStrategy = (attempt: number) => Math.min(attempt * 100, 2_000);

export interface RedisBusOptions {
  channel?: string;
  log?: FaultLog;
}

/**
 * The many-instance bus: notices travel over Redis pub/sub to every instance, this one
 * included. Redis keeps nothing; an instance that misses a notice still finds the change in
 * the log on the next notice or poll.
 *
 * Redis going away must cost nothing but latency: a publish never waits for it (no offline
 * queue, a short command timeout, and announce does not await the reply), both connections
 * reconnect on their own (the subscriber resubscribes), and their errors are logged once per
 * outage as JSON instead of ioredis printing "[ioredis] Unhandled error event" on every retry.
 */
export class RedisBus implements ChangeBus {
  private readonly listeners = new Set<NoticeListener>();
  private readonly healthListeners = new Set<(healthy: boolean) => void>();
  private up = false;
  /** Until connect() has waited for Redis, state changes are not news. */
  private started = false;
  /** True once Redis confirmed this connection's SUBSCRIBE, until the connection closes. */
  private subscribed = false;
  private lastError: unknown = null;
  private closed = false;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly log: FaultLog,
  ) {
    subscriber.on('message', (_channel: string, message: string) => {
      const notice = parseNotice(message);
      if (notice) deliver(this.listeners, notice, log);
    });
    // Subscribed on every (re)connection, and healthy only once Redis confirms it: a notice
    // published between "connected" and "subscribed" would be lost without anyone knowing.
    subscriber.on('ready', () => this.resubscribe());
    subscriber.on('close', () => {
      this.subscribed = false;
      this.update();
    });
    for (const connection of [publisher, subscriber]) {
      connection.on('error', (error: unknown) => {
        this.lastError = error;
        this.update();
      });
      for (const event of ['ready', 'close', 'end', 'reconnecting']) {
        connection.on(event, () => this.update());
      }
    }
  }

  /**
   * Connects the publishing and the subscribing connection. If Redis does not answer within
   * a few seconds the bus starts down (readers poll the log) and comes up when Redis does.
   */
  static async connect(url: string, options: RedisBusOptions = {}): Promise<RedisBus> {
    const log = options.log ?? stderrLog();
    const shared: RedisOptions = { retryStrategy, connectTimeout: 2_000 };
    const publisher = new Redis(url, {
      ...shared,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: PUBLISH_TIMEOUT_MS,
    });
    // The subscriber subscribes on every 'ready' (see the constructor) and never gives up on it.
    const subscriber = new Redis(url, { ...shared, maxRetriesPerRequest: null });
    const bus = new RedisBus(publisher, subscriber, options.channel ?? CHANNEL, log);
    const waitUntil = Date.now() + READY_TIMEOUT_MS;
    while (!bus.connected() && Date.now() < waitUntil) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    bus.started = true;
    bus.up = bus.connected();
    if (!bus.up) bus.reportDown();
    return bus;
  }

  async announce(notice: ChangeNotice): Promise<void> {
    if (this.publisher.status !== 'ready') return;
    // Not awaited: the write has committed and its answer should not wait on Redis.
    this.publisher.publish(this.channel, JSON.stringify(notice)).catch((error: unknown) => {
      this.lastError = error;
      this.update();
    });
  }

  subscribe(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  healthy(): boolean {
    return this.up;
  }

  onHealthChange(listener: (healthy: boolean) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.healthListeners.clear();
    this.subscriber.disconnect();
    await this.publisher.quit().catch(() => this.publisher.disconnect());
  }

  private connected(): boolean {
    return (
      this.publisher.status === 'ready' && this.subscriber.status === 'ready' && this.subscribed
    );
  }

  private resubscribe(): void {
    this.subscriber.subscribe(this.channel).then(
      () => {
        this.subscribed = true;
        this.update();
      },
      (error: unknown) => {
        this.lastError = error;
        this.update();
      },
    );
  }

  /** Re-reads the connections' state; logs and tells listeners when it changes. */
  private update(): void {
    if (this.closed || !this.started) return;
    const now = this.connected();
    if (now === this.up) return;
    this.up = now;
    if (now) this.log.info({ bus: 'up' }, 'Redis is back: change notices flow again');
    else this.reportDown();
    for (const listener of this.healthListeners) listener(now);
  }

  private reportDown(): void {
    this.log.warn(
      { bus: 'down', error: this.lastError === null ? null : faultSummary(this.lastError) },
      'Redis is unreachable: writes go on, readers get changes by polling the log',
    );
  }
}
