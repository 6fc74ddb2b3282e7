import type { ChangeBus, ChangeNotice } from '../bus/bus.ts';
import type { Change } from '../domain/change.ts';
import type { LivePage } from '../domain/page.ts';
import type { StoreReader } from '../store/store.ts';
import { frame, HEARTBEAT } from './sse-frame.ts';

/** The connection a reader's events are written to (a node:http response, in practice). */
export interface Sink {
  write(chunk: Buffer): unknown;
  /** Bytes accepted but not yet sent: a reader that stops reading makes this grow. */
  readonly writableLength: number;
  readonly destroyed: boolean;
  end(chunk: Buffer): unknown;
  destroy(): unknown;
}

/** Turns one change into the `data:` of its event, given the page as it is now. */
export type EncodeChange = (change: Change, page: LivePage) => string;

export interface HubOptions {
  store: StoreReader;
  bus: ChangeBus;
  encode: EncodeChange;
  /** A reader with more unsent bytes than this is cut off; it resumes on reconnect. */
  maxBufferedBytes?: number;
  heartbeatMs?: number;
  /**
   * How often each page with readers is checked against the log. Notices make delivery fast;
   * this makes it certain when a notice is lost (Redis keeps nothing).
   */
  pollMs?: number;
  /** How many changes one read of the log fetches. */
  batch?: number;
  onCutOff?: (pageId: string) => void;
  onDelivered?: (pageId: string, count: number, change: Change) => void;
}

interface Reader {
  sink: Sink;
  /** The newest sequence number written to this reader. */
  seq: number;
  /** True while the reader is replaying missed changes on its own. */
  catchingUp: boolean;
}

interface Channel {
  page: LivePage;
  /** The newest sequence number fanned out on this channel. */
  seq: number;
  readers: Set<Reader>;
  reading: boolean;
  again: boolean;
  /** The frames of the newest changes, by sequence number, for readers catching up. */
  frames: Map<number, Buffer>;
}

/** How many recent frames a channel keeps: a mass reconnect replays from memory. */
const RECENT_FRAMES = 256;

function isPageChange(change: Change): change is Change & { data: { page: LivePage } } {
  return change.data.kind === 'page.updated' || change.data.kind === 'page.status_changed';
}

/**
 * Fan-out of change-log entries to the readers connected to this process. Each change is read
 * from the log once per channel, framed once, and the same buffer is written to every reader.
 */
export class FanoutHub {
  private readonly channels = new Map<string, Channel>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly poll: NodeJS.Timeout;
  private readonly maxBuffered: number;
  private readonly batch: number;

  constructor(private readonly options: HubOptions) {
    this.maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
    this.batch = options.batch ?? 500;
    this.unsubscribe = options.bus.subscribe((notice) => this.onNotice(notice));
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
    this.poll = setInterval(() => void this.checkLog(), options.pollMs ?? 5_000);
    this.poll.unref();
  }

  /** How many readers each page has on this process. */
  readerCounts(): Map<string, number> {
    return new Map([...this.channels].map(([id, channel]) => [id, channel.readers.size]));
  }

  /**
   * Connects a reader who has seen up to `since`: it is sent what it missed from the log,
   * then every change as it happens. Returns a function that disconnects it.
   */
  async connect(page: LivePage, since: number, sink: Sink): Promise<() => void> {
    let channel = this.channels.get(page.id);
    if (!channel) {
      channel = {
        page,
        seq: page.lastSeq,
        readers: new Set(),
        reading: false,
        again: false,
        frames: new Map(),
      };
      this.channels.set(page.id, channel);
    }
    // `page` is fresh from the store: a reader cannot have seen past its newest change.
    const reader: Reader = { sink, seq: Math.min(since, page.lastSeq), catchingUp: true };
    channel.readers.add(reader);
    await this.catchUp(channel, reader);
    return () => this.disconnect(page.id, reader);
  }

  /** Tells every reader to reconnect (they resume where they were) and stops. */
  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    clearInterval(this.poll);
    const goodbye = frame({ event: 'reconnect', retry: 500, data: '' });
    for (const channel of this.channels.values()) {
      for (const reader of channel.readers) reader.sink.end(goodbye);
    }
    this.channels.clear();
  }

  private disconnect(pageId: string, reader: Reader): void {
    const channel = this.channels.get(pageId);
    if (!channel) return;
    channel.readers.delete(reader);
    if (channel.readers.size === 0) this.channels.delete(pageId);
  }

  /** Replays the log to one reader until it reaches the channel, then joins the fan-out. */
  private async catchUp(channel: Channel, reader: Reader): Promise<void> {
    while (reader.seq < channel.seq) {
      // Recent changes are replayed from the channel's frames, without the database.
      const recent = channel.frames.get(reader.seq + 1);
      if (recent) {
        if (!this.send(channel, reader, recent)) return;
        reader.seq += 1;
        continue;
      }
      const changes = await this.options.store.changesSince(
        channel.page.id,
        reader.seq,
        this.batch,
      );
      if (changes.length === 0) break;
      for (const change of changes) {
        if (change.seq > channel.seq) break;
        if (!this.send(channel, reader, this.frameOf(channel, change))) return;
        reader.seq = change.seq;
      }
    }
    reader.catchingUp = false;
  }

  private onNotice(notice: ChangeNotice): void {
    const channel = this.channels.get(notice.pageId);
    if (!channel || notice.seq <= channel.seq) return;
    if (channel.reading) {
      channel.again = true;
      return;
    }
    void this.fanOut(channel);
  }

  /** Reads what is new on the channel's page once and writes it to every reader. */
  private async fanOut(channel: Channel): Promise<void> {
    channel.reading = true;
    try {
      do {
        channel.again = false;
        const changes = await this.options.store.changesSince(
          channel.page.id,
          channel.seq,
          this.batch,
        );
        for (const change of changes) {
          const bytes = this.frameOf(channel, change);
          if (isPageChange(change)) channel.page = change.data.page;
          let delivered = 0;
          for (const reader of channel.readers) {
            if (reader.catchingUp || reader.seq >= change.seq) continue;
            if (this.send(channel, reader, bytes)) {
              reader.seq = change.seq;
              delivered++;
            }
          }
          channel.seq = change.seq;
          this.options.onDelivered?.(channel.page.id, delivered, change);
        }
        if (changes.length === this.batch) channel.again = true;
      } while (channel.again);
    } finally {
      channel.reading = false;
    }
  }

  /** The change's frame, rendered once: a page change with its own page, a post with today's. */
  private frameOf(channel: Channel, change: Change): Buffer {
    const known = channel.frames.get(change.seq);
    if (known) return known;
    const page = isPageChange(change) ? change.data.page : channel.page;
    const bytes = frame({
      id: change.seq,
      event: 'change',
      data: this.options.encode(change, page),
    });
    channel.frames.set(change.seq, bytes);
    if (channel.frames.size > RECENT_FRAMES) {
      const oldest = Math.min(...channel.frames.keys());
      channel.frames.delete(oldest);
    }
    return bytes;
  }

  /** Writes to one reader, cutting it off when it has stopped reading. */
  private send(channel: Channel, reader: Reader, bytes: Buffer): boolean {
    // A reader that went away is dropped here or by its socket's close, whichever comes first.
    if (reader.sink.destroyed) {
      channel.readers.delete(reader);
      return false;
    }
    // A reader still sending one large frame is reading, not stuck: the bound never falls
    // below the size of the frame in hand.
    if (reader.sink.writableLength > Math.max(this.maxBuffered, bytes.length)) {
      channel.readers.delete(reader);
      reader.sink.destroy();
      this.options.onCutOff?.(channel.page.id);
      return false;
    }
    reader.sink.write(bytes);
    return true;
  }

  private async checkLog(): Promise<void> {
    for (const [pageId, channel] of this.channels) {
      const page = await this.options.store.getPageById(pageId).catch(() => null);
      if (page && page.lastSeq > channel.seq) this.onNotice({ pageId, seq: page.lastSeq });
    }
  }

  private beat(): void {
    for (const channel of this.channels.values()) {
      for (const reader of channel.readers) this.send(channel, reader, HEARTBEAT);
    }
  }
}
