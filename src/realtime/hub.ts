import type { ChangeBus, ChangeNotice } from '../bus/bus.ts';
import type { Change } from '../domain/change.ts';
import type { LivePage } from '../domain/page.ts';
import type { PostSupersededLiveEvent } from '../render/live-event-types.ts';
import type { StoreReader } from '../store/store.ts';
import { frame, HEARTBEAT, spreadRetryMs } from './sse-frame.ts';

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

/** The current state of a page as one event: `seq` is the change-log position it shows. */
export interface PageSnapshot {
  seq: number;
  data: string;
}

/** Where the hub was when something failed; it retries by itself. */
export type HubFailure = 'fan-out' | 'catch-up' | 'snapshot';

export interface HubOptions {
  store: StoreReader;
  bus: ChangeBus;
  encode: EncodeChange;
  /**
   * Renders the page as it is now, for a reader too far behind to be replayed from memory:
   * one render per (page, position) is shared by every reader who needs it.
   */
  snapshot: (pageId: string) => Promise<PageSnapshot>;
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
  /**
   * How long one pass writes before it lets other work run (publishes, connects). A pass over
   * many readers is cut into slices of about this many milliseconds.
   */
  sliceMs?: number;
  /** The first and the longest wait before a failed read or render is tried again. */
  retryMs?: { first: number; max: number };
  /**
   * How many changes may wait behind a pass before a writer's announce waits for the next
   * pass to take them in (see `pacedBus`): under a burst the queue stays about one pass long.
   */
  maxBacklog?: number;
  /** The longest a writer is held by `pacedBus`, whatever the fan-out is doing. */
  maxPaceMs?: number;
  onCutOff?: (pageId: string) => void;
  onDelivered?: (pageId: string, count: number, change: Change) => void;
  /** A read or render failed; readers stay connected and it is retried with backoff. */
  onError?: (error: unknown, pageId: string, during: HubFailure) => void;
}

interface Reader {
  sink: Sink;
  /** The newest sequence number written to this reader. */
  seq: number;
  /** True while the reader is replaying missed changes on its own. */
  catchingUp: boolean;
}

/** A prepared event and the post it is about, so a newer change of that post can evict it. */
interface Frame {
  bytes: Buffer;
  postId: string | null;
}

interface Channel {
  page: LivePage;
  /** The newest sequence number fanned out on this channel. */
  seq: number;
  readers: Set<Reader>;
  /** A pass is scheduled or running: a notice meanwhile only asks for one more. */
  reading: boolean;
  again: boolean;
  /** The frames of the newest changes, by sequence number, for readers catching up. */
  frames: Map<number, Frame>;
  /** One read of the log into `frames` at a time, shared by every reader waiting for it. */
  filling: Promise<void> | null;
  /**
   * The frames from memory after a position, joined once for every reader resuming from it
   * (a reconnect storm brings thousands at the same few positions): emptied whenever
   * `frames` changes.
   */
  replays: Map<number, Replay>;
  /** The page's current state, rendered once, until the next change is fanned out. */
  snapshot: (PageSnapshot & { bytes: Buffer }) | null;
  snapshotting: Promise<PageSnapshot & { bytes: Buffer }> | null;
  /** Readers whose catch-up failed, resumed by the next retry. */
  stalled: Set<Reader>;
  failures: number;
  retry: NodeJS.Timeout | undefined;
  /** The newest sequence number announced for the page. */
  noticed: number;
  /** The newest sequence number every reader here has been written (a pass ended there). */
  settled: number;
  /** Writers held until the next pass takes their changes in. */
  pacing: (() => void)[];
  /** A pass wrote to the readers since the last heartbeat: the next one is not needed. */
  wrote: boolean;
}

/** What a reader resuming after a position is sent from memory: one write, not one a frame. */
interface Replay {
  bytes: Buffer;
  /** The position the reader is at once it has been sent. */
  to: number;
}

/**
 * When the hub closes, each reader is told to come back after a delay drawn from this window
 * (ms), so a restart's readers do not all return in the same instant.
 */
const GOODBYE_RETRY_MS = { min: 500, max: 3_000 };

/** How many resume positions a channel keeps joined replays for at once. */
const REPLAYS_KEPT = 16;

/** How many recent frames a channel keeps: a mass reconnect replays from memory. */
const RECENT_FRAMES = 256;

/**
 * A reader up to this far behind, whose changes are not in memory, is replayed from one read
 * of the log; further behind, the snapshot. Rendering this many posts costs about two
 * snapshots, so a stream opened anywhere on a page nobody here follows (its channel made,
 * read and dropped again) costs no more than that; 256 cost about seven. A restart's readers
 * who missed a few changes still resume with each of them.
 */
const FILL_LIMIT = 32;

/**
 * How many times one catch-up read is tried again because passes kept taking newer changes
 * while it rendered; a reader left with nothing rendered to replay is then sent the page as
 * it is now.
 */
const FILL_ATTEMPTS = 3;

/** How many readers a pass writes to between two looks at the clock. */
const SLICE_CHECK = 256;

/** Lets the event loop run what is waiting (I/O, timers) before the pass goes on. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The frames after position `from` up to `to`, concatenated once, and how many got them. */
interface Run {
  bytes: Buffer;
  from: number;
  to: number;
  readers: number;
}

/** The frames of one pass, oldest first, and the runs of them readers are sent. */
interface Pass {
  seqs: number[];
  frames: Buffer[];
  /** The change of each frame. */
  changes: Change[];
  /** By the position a reader was at: the frames after it, until the pass grows. */
  runs: Map<number, Run>;
  /** Every run written, for counting deliveries per change. */
  sent: Run[];
}

function isPageChange(change: Change): change is Change & { data: { page: LivePage } } {
  return change.data.kind === 'page.updated' || change.data.kind === 'page.status_changed';
}

/**
 * What stands in for an evicted frame: the position is kept, the text is gone, as in the
 * log, where the same entry is rewritten to `post.superseded` in the newer change's commit.
 */
function supersededFrame(seq: number, postId: string, supersededBy: number): Buffer {
  const event: PostSupersededLiveEvent = { seq, kind: 'post.superseded', postId, supersededBy };
  return frame({ id: seq, event: 'change', data: JSON.stringify(event) });
}

/**
 * Fan-out of change-log entries to the readers connected to this process. Each change is read
 * from the log once per channel, framed once, and the same buffer is written to every reader.
 * Nothing here may reject unobserved: a failed read or render is reported, counted by the
 * caller and retried with backoff while readers stay connected.
 */
export class FanoutHub {
  private readonly channels = new Map<string, Channel>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly poll: NodeJS.Timeout;
  private readonly maxBuffered: number;
  private readonly batch: number;
  private readonly sliceMs: number;
  private readonly maxBacklog: number;
  private readonly maxPaceMs: number;
  private readonly retryMs: { first: number; max: number };
  private closed = false;

  constructor(private readonly options: HubOptions) {
    this.maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
    this.batch = options.batch ?? 500;
    this.sliceMs = options.sliceMs ?? 10;
    // 2, not 4: with 4 the publisher of a burst ran further ahead of 10,000 readers and the
    // p99 was 1.62x nchan's; with 2, 1.21x, at 1.7x nchan's events a second (ADR 0028).
    this.maxBacklog = options.maxBacklog ?? 2;
    this.maxPaceMs = options.maxPaceMs ?? 2_000;
    this.retryMs = options.retryMs ?? { first: 250, max: 30_000 };
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
   * Connects a reader who has seen up to `since`: it is sent what it missed (from memory, the
   * log, or as one snapshot of the page when far behind), then every change as it happens.
   * Never rejects. Returns a function that disconnects it.
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
        filling: null,
        replays: new Map(),
        snapshot: null,
        snapshotting: null,
        stalled: new Set(),
        failures: 0,
        retry: undefined,
        noticed: page.lastSeq,
        settled: page.lastSeq,
        pacing: [],
        wrote: false,
      };
      this.channels.set(page.id, channel);
    }
    // `page` is fresh from the store: a reader cannot have seen past its newest change.
    const reader: Reader = { sink, seq: Math.min(since, page.lastSeq), catchingUp: true };
    channel.readers.add(reader);
    await this.resume(channel, reader);
    // The page object read for this request is not kept: every idle reader would hold its
    // own copy (about 0.5 KB: its strings and dates) for as long as it stays connected.
    return this.disconnecter(page.id, reader);
  }

  /** Forgets the reader; holds only what that needs. */
  private disconnecter(pageId: string, reader: Reader): () => void {
    return () => this.disconnect(pageId, reader);
  }

  /**
   * The page with slug `slug` as this process's fan-out holds it, for a reader resuming at or
   * before the position written here: in a reconnect storm thousands of readers then connect
   * without a read of the store each (every read queues behind the writes on one connection).
   * Null when no reader here follows the page, or the reader is ahead of this process (it
   * came from another one): the caller reads the store.
   */
  resumablePage(slug: string, since: number): LivePage | null {
    for (const channel of this.channels.values()) {
      if (channel.page.slug !== slug) continue;
      if (since > channel.seq) return null;
      // `connect` counts nothing past lastSeq: here that is what every reader has been sent.
      return channel.page.lastSeq === channel.seq
        ? channel.page
        : { ...channel.page, lastSeq: channel.seq };
    }
    return null;
  }

  /** Tells every reader to reconnect (they resume where they were) and stops. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    clearInterval(this.heartbeat);
    clearInterval(this.poll);
    for (const channel of this.channels.values()) {
      clearTimeout(channel.retry);
      this.releaseWriters(channel);
      for (const reader of channel.readers) {
        reader.sink.end(
          frame({ event: 'reconnect', retry: spreadRetryMs(GOODBYE_RETRY_MS), data: '' }),
        );
      }
    }
    this.channels.clear();
  }

  private disconnect(pageId: string, reader: Reader): void {
    const channel = this.channels.get(pageId);
    if (!channel) return;
    channel.readers.delete(reader);
    channel.stalled.delete(reader);
    if (channel.readers.size === 0) {
      clearTimeout(channel.retry);
      this.releaseWriters(channel);
      this.channels.delete(pageId);
    }
  }

  /** Catches one reader up; a failure leaves it connected and waiting for the retry. */
  private async resume(channel: Channel, reader: Reader): Promise<void> {
    try {
      await this.catchUp(channel, reader);
      channel.stalled.delete(reader);
    } catch (error) {
      channel.stalled.add(reader);
      this.fail(channel, 'catch-up', error);
    }
  }

  /**
   * Brings one reader to the channel's position, then lets it join the fan-out. Recent
   * changes come from memory; a short gap is read from the log once for everyone; a reader
   * further behind gets the page as it is now, so catching up costs about one page read.
   */
  private async catchUp(channel: Channel, reader: Reader): Promise<void> {
    while (reader.seq < channel.seq) {
      // Closed meanwhile: the reader has its goodbye (`send` writes nothing after it); no
      // more reads for it.
      if (this.closed) return;
      if (reader.sink.destroyed) return void channel.readers.delete(reader);
      const replay = this.replayFrom(channel, reader.seq);
      if (replay) {
        if (!this.send(channel, reader, replay.bytes)) return;
        reader.seq = replay.to;
        continue;
      }
      if (channel.seq - reader.seq <= FILL_LIMIT) {
        await this.fill(channel, reader.seq);
        if (this.closed || channel.frames.has(reader.seq + 1)) continue;
      }
      const snapshot = await this.snapshotOf(channel);
      if (snapshot.seq <= reader.seq) break;
      if (!this.send(channel, reader, snapshot.bytes)) return;
      reader.seq = snapshot.seq;
    }
    reader.catchingUp = false;
  }

  /**
   * The frames in memory after position `from`, as far as they run without a gap, joined
   * into one buffer; shared by every reader resuming from `from` until `frames` changes.
   * Memory holds no frame past the channel's position (`fill` stops there, `take` moves it).
   */
  private replayFrom(channel: Channel, from: number): Replay | null {
    const known = channel.replays.get(from);
    if (known) return known;
    const parts: Buffer[] = [];
    let to = from;
    for (let frame = channel.frames.get(to + 1); frame; frame = channel.frames.get(to + 1)) {
      parts.push(frame.bytes);
      to += 1;
    }
    if (parts.length === 0) return null;
    const replay = { bytes: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts), to };
    if (channel.replays.size < REPLAYS_KEPT) channel.replays.set(from, replay);
    return replay;
  }

  /**
   * Reads the log after `from` into the channel's frames, one read at a time per channel.
   * Rendering is cut into slices like a pass's writes: after a restart the first renders run
   * cold, and a gap of many changes would hold the loop (and the newsroom's publishes) for
   * the whole of it.
   */
  private async fill(channel: Channel, from: number): Promise<void> {
    while (channel.filling) await channel.filling;
    if (channel.frames.has(from + 1)) return;
    const read = async () => {
      for (let attempt = 0; attempt < FILL_ATTEMPTS && !this.closed; attempt++) {
        const taken = channel.seq;
        const changes = await this.options.store.changesSince(channel.page.id, from, this.batch);
        if (await this.renderGap(channel, changes, taken)) return;
      }
    };
    channel.filling = read().finally(() => (channel.filling = null));
    await channel.filling;
  }

  /**
   * Frames the changes read while the channel stood at `taken`, up to its position; false if
   * a pass took a newer change meanwhile. That change's commit rewrote its post's earlier
   * entries in the log to `post.superseded` (`evictEarlier` does the same in memory), so what
   * is left of this read may be stale text: it is read again.
   */
  private async renderGap(channel: Channel, changes: Change[], taken: number): Promise<boolean> {
    let sliceStart = performance.now();
    for (const change of changes) {
      if (channel.seq !== taken) return false;
      if (change.seq > taken) break;
      this.frameOf(channel, change);
      if (performance.now() - sliceStart >= this.sliceMs) {
        await nextTurn();
        if (this.closed) return false;
        sliceStart = performance.now();
      }
    }
    // A change taken after the last render finds those frames in memory and evicts them.
    return true;
  }

  /** The page as it is now, rendered once and shared until the channel moves on. */
  private async snapshotOf(channel: Channel): Promise<PageSnapshot & { bytes: Buffer }> {
    if (channel.snapshot && channel.snapshot.seq >= channel.seq) return channel.snapshot;
    if (channel.snapshotting) return channel.snapshotting;
    const render = async () => {
      const snapshot = await this.options.snapshot(channel.page.id);
      const bytes = frame({ id: snapshot.seq, event: 'change', data: snapshot.data });
      const prepared = { ...snapshot, bytes };
      // One that a newer change overtook while rendering is used once, not kept.
      if (snapshot.seq >= channel.seq) channel.snapshot = prepared;
      return prepared;
    };
    channel.snapshotting = render().finally(() => (channel.snapshotting = null));
    return channel.snapshotting;
  }

  /**
   * The bus the write path announces on: the same notices, but a writer whose page has
   * `maxBacklog` or more changes not yet written to every reader this process holds is
   * answered when the round of writes under way ends (at most `maxPaceMs`). Readers then wait
   * about a round for a change however fast the newsroom publishes; writers wait only in a
   * burst.
   */
  pacedBus(bus: ChangeBus): ChangeBus {
    return {
      announce: async (notice) => {
        await bus.announce(notice);
        await this.pace(notice.pageId);
      },
      subscribe: (listener) => bus.subscribe(listener),
      healthy: () => bus.healthy(),
      onHealthChange: (listener) => bus.onHealthChange(listener),
      close: () => bus.close(),
    };
  }

  /**
   * Resolves at once unless `maxBacklog` or more changes of the page have not yet been
   * written to every reader here; then when the round of writes under way ends.
   */
  pace(pageId: string): Promise<void> {
    const channel = this.channels.get(pageId);
    if (!channel || channel.noticed - channel.settled < this.maxBacklog) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.maxPaceMs);
      timer.unref();
      channel.pacing.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private releaseWriters(channel: Channel): void {
    for (const release of channel.pacing.splice(0)) release();
  }

  private onNotice(notice: ChangeNotice): void {
    const channel = this.channels.get(notice.pageId);
    if (channel && notice.seq > channel.noticed) channel.noticed = notice.seq;
    if (!channel || notice.seq <= channel.seq) return;
    if (channel.reading) {
      channel.again = true;
      return;
    }
    // The pass starts on the loop's next turn: changes committed meanwhile (a burst of
    // publishes, read off the same poll) join it, and publishers get their answers first.
    channel.reading = true;
    setImmediate(() => {
      if (this.closed || this.channels.get(channel.page.id) !== channel) return;
      void this.fanOut(channel);
    });
  }

  /**
   * Reads what is new on the channel's page once and writes it to every reader: one write per
   * reader per pass, however many changes the read found. Changes that arrive during a pass
   * are merged into the next one, so a burst costs a pass per read, not one per change.
   */
  private async fanOut(channel: Channel): Promise<void> {
    channel.reading = true;
    try {
      do {
        channel.again = false;
        const pass: Pass = { seqs: [], frames: [], changes: [], runs: new Map(), sent: [] };
        // Until a round of writes ends with nothing new taken in, readers written before
        // the pass grew are behind it: the next round sends them just what they lack.
        // Writers held for a round are answered when it ends.
        let grew = await this.take(channel, pass);
        while (grew) {
          // Every reader has at least what the pass held when the round began once it ends.
          const covered = pass.seqs[pass.seqs.length - 1] ?? channel.settled;
          grew = await this.writeAll(channel, pass);
          if (!this.closed) channel.settled = Math.max(channel.settled, covered);
          this.releaseWriters(channel);
        }
        channel.settled = channel.seq;
        this.releaseWriters(channel);
        if (pass.sent.length > 0) channel.wrote = true;
        this.reportDelivered(channel, pass);
      } while (channel.again && !this.closed);
      channel.failures = 0;
    } catch (error) {
      this.fail(channel, 'fan-out', error);
    } finally {
      channel.reading = false;
    }
  }

  /** Reads what is new after the channel's position into the pass; true if it found any. */
  private async take(channel: Channel, pass: Pass): Promise<boolean> {
    const changes = await this.options.store.changesSince(channel.page.id, channel.seq, this.batch);
    // The page as it is after these changes: post events carry its post count.
    if (changes.some((change) => !isPageChange(change))) {
      channel.page = (await this.options.store.getPageById(channel.page.id)) ?? channel.page;
    }
    // Every change read is new: the log is read after the channel's position, and only
    // take moves it, in one pass at a time.
    const before = pass.seqs.length;
    for (const change of changes) {
      this.evictEarlier(channel, pass, change);
      pass.seqs.push(change.seq);
      pass.frames.push(this.frameOf(channel, change));
      pass.changes.push(change);
      if (isPageChange(change)) channel.page = change.data.page;
      // Readers joining from here on catch up to this change from memory.
      channel.seq = change.seq;
      channel.snapshot = null;
    }
    if (changes.length === this.batch) channel.again = true;
    if (pass.seqs.length === before) return false;
    pass.runs.clear();
    return true;
  }

  /**
   * Writes the pass to every reader behind it, in slices that let other work in between.
   * Changes that arrive meanwhile join the pass at the next slice, so the readers not yet
   * written get them in the same write; returns true if the pass grew (earlier readers lack
   * the new changes).
   */
  private async writeAll(channel: Channel, pass: Pass): Promise<boolean> {
    let last = pass.seqs[pass.seqs.length - 1] ?? 0;
    let grew = false;
    let sliceStart = performance.now();
    let sinceCheck = 0;
    for (const reader of channel.readers) {
      if (++sinceCheck === SLICE_CHECK) {
        sinceCheck = 0;
        if (performance.now() - sliceStart >= this.sliceMs) {
          await nextTurn();
          if (this.closed) return false;
          if (channel.again) {
            channel.again = false;
            if (await this.take(channel, pass)) {
              grew = true;
              last = pass.seqs[pass.seqs.length - 1] ?? last;
            }
          }
          sliceStart = performance.now();
        }
      }
      if (reader.catchingUp || reader.seq >= last) continue;
      const run = this.runFrom(pass, reader.seq);
      if (this.send(channel, reader, run.bytes)) {
        reader.seq = last;
        run.readers++;
      }
    }
    return grew;
  }

  /** The frames of the pass after `seq`, joined into one buffer once for every reader there. */
  private runFrom(pass: Pass, seq: number): Run {
    let run = pass.runs.get(seq);
    if (!run) {
      let first = 0;
      while ((pass.seqs[first] ?? Infinity) <= seq) first++;
      const frames = pass.frames.slice(first);
      const bytes = frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames);
      run = { bytes, from: seq, to: pass.seqs[pass.seqs.length - 1] ?? seq, readers: 0 };
      pass.runs.set(seq, run);
      pass.sent.push(run);
    }
    return run;
  }

  /** Tells the caller how many readers each change of the pass reached. */
  private reportDelivered(channel: Channel, pass: Pass): void {
    const onDelivered = this.options.onDelivered;
    if (!onDelivered) return;
    for (const change of pass.changes) {
      let delivered = 0;
      for (const run of pass.sent) {
        if (run.from < change.seq && change.seq <= run.to) delivered += run.readers;
      }
      onDelivered(channel.page.id, delivered, change);
    }
  }

  /**
   * A change of post P makes P's earlier entries stale: their frames are replaced by
   * text-free stand-ins, in memory and in the pass under way, so no replay serves superseded
   * or deleted text, and no reader the pass has yet to write is sent it.
   */
  private evictEarlier(channel: Channel, pass: Pass, change: Change): void {
    const postId = change.postId;
    if (postId === null || change.kind === 'post.superseded') return;
    for (const [seq, held] of channel.frames) {
      if (seq < change.seq && held.postId === postId) {
        channel.replays.clear();
        channel.frames.set(seq, {
          bytes: supersededFrame(seq, postId, change.seq),
          postId: null,
        });
      }
    }
    // In the pass, made here: in a long pass the frame may have left memory. The stand-in
    // names this change, which may be later than the one the log names: readers use the seq.
    pass.changes.forEach((earlier, i) => {
      if (earlier.postId !== postId) return;
      pass.frames[i] = supersededFrame(earlier.seq, postId, change.seq);
    });
  }

  /** Reports a failure and schedules the channel's next attempt, waiting longer each time. */
  private fail(channel: Channel, during: HubFailure, error: unknown): void {
    this.options.onError?.(error, channel.page.id, during);
    // A failing fan-out holds no writer: they are answered; readers catch up on the retry.
    this.releaseWriters(channel);
    if (during === 'fan-out') this.stallBehind(channel);
    channel.failures += 1;
    if (channel.retry || this.closed) return;
    const delay = Math.min(
      this.retryMs.max,
      this.retryMs.first * 2 ** Math.min(channel.failures - 1, 20),
    );
    channel.retry = setTimeout(() => {
      channel.retry = undefined;
      if (this.channels.get(channel.page.id) !== channel) return;
      for (const reader of channel.stalled) void this.resume(channel, reader);
      if (!channel.reading) void this.fanOut(channel);
    }, delay);
    channel.retry.unref();
  }

  /**
   * A pass that failed part-way has moved the channel's position past changes it had not yet
   * written to every reader, and the next pass starts from there: the readers it had not
   * reached are caught up by the retry, from memory, and left out of passes until then.
   */
  private stallBehind(channel: Channel): void {
    for (const reader of channel.readers) {
      if (reader.catchingUp || reader.seq >= channel.seq) continue;
      reader.catchingUp = true;
      channel.stalled.add(reader);
    }
  }

  /** The change's frame, rendered once: a page change with its own page, a post with today's. */
  private frameOf(channel: Channel, change: Change): Buffer {
    const known = channel.frames.get(change.seq);
    if (known) return known.bytes;
    const page = isPageChange(change) ? change.data.page : channel.page;
    const bytes = frame({
      id: change.seq,
      event: 'change',
      data: this.options.encode(change, page),
    });
    channel.frames.set(change.seq, { bytes, postId: change.postId });
    channel.replays.clear();
    if (channel.frames.size > RECENT_FRAMES) {
      const oldest = Math.min(...channel.frames.keys());
      channel.frames.delete(oldest);
    }
    return bytes;
  }

  /** Writes to one reader, cutting it off when it has stopped reading. */
  private send(channel: Channel, reader: Reader, bytes: Buffer): boolean {
    // Closed: every reader has had its goodbye, and nothing may follow it.
    if (this.closed) return false;
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
    for (const pageId of this.channels.keys()) {
      try {
        const page = await this.options.store.getPageById(pageId);
        // A notice of a position the channel has reached reads and writes nothing.
        if (page) this.onNotice({ pageId, seq: page.lastSeq });
      } catch (error) {
        // The next poll tries again; the failure is reported, not thrown into the void.
        this.options.onError?.(error, pageId, 'fan-out');
      }
    }
  }

  /**
   * A heartbeat keeps a quiet stream open through proxies. A page whose readers were written
   * a pass since the last beat is not quiet: its beat is skipped (a live page in a busy hour
   * costs no heartbeat writes), so a reader goes at most two intervals without a byte.
   */
  private beat(): void {
    for (const channel of this.channels.values()) {
      if (channel.wrote) {
        channel.wrote = false;
        continue;
      }
      for (const reader of channel.readers) this.send(channel, reader, HEARTBEAT);
    }
  }
}
