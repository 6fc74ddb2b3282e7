import { Redis } from 'ioredis';
import type { ChangeBus, ChangeNotice, NoticeListener } from '../bus.ts';

const CHANNEL = 'liveline:changes';

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

/**
 * The many-instance bus: notices travel over Redis pub/sub to every instance, this one
 * included. Redis keeps nothing; an instance that misses a notice still finds the change in
 * the log on the next notice or poll.
 */
export class RedisBus implements ChangeBus {
  private readonly listeners = new Set<NoticeListener>();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
  ) {
    subscriber.on('message', (_channel: string, message: string) => {
      const notice = parseNotice(message);
      if (notice) for (const listener of this.listeners) listener(notice);
    });
  }

  /** Connects both the publishing and the subscribing connection, failing fast if Redis is away. */
  static async connect(url: string, channel = CHANNEL): Promise<RedisBus> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true };
    const publisher = new Redis(url, options);
    const subscriber = new Redis(url, options);
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(channel);
    return new RedisBus(publisher, subscriber, channel);
  }

  async announce(notice: ChangeNotice): Promise<void> {
    try {
      await this.publisher.publish(this.channel, JSON.stringify(notice));
    } catch {
      // The change is committed; readers find it by polling the log. Latency, not loss.
    }
  }

  subscribe(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
    await this.publisher.quit().catch(() => this.publisher.disconnect());
  }
}
