import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { LivePage } from '../../domain/page.ts';
import type { FanoutHub } from '../../realtime/hub.ts';
import type { LatencyReporting } from '../../realtime/latency/reporting.ts';
import { frame, retryFrame, spreadRetryMs, STREAM_HEAD } from '../../realtime/sse-frame.ts';
import type { Refusal, StreamLimits } from '../../realtime/stream-limits.ts';
import type { StreamClockEvent } from '../../render/index.ts';
import { latencyPath } from '../../render/urls.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { releaseHttpState } from './release-socket.ts';
import { addressKey } from '../../net/ip-address.ts';

/**
 * How long a browser waits before reconnecting after the stream drops, drawn per reader from
 * this window (ms): the readers of a process that crashed come back spread over it.
 */
const RETRY_MS = { min: 1_000, max: 3_000 };

/**
 * How many waiting streams open in one turn of the event loop before other work (a publish,
 * the fan-out, more connections) gets its turn. Opening one took about 0.1 ms in a storm's
 * CPU profile, most of it the write of what the reader missed, so a turn holds the loop a
 * few milliseconds. Counted, not timed: that write happens after an await, in the microtasks
 * that follow the turn, where a clock read in the loop would not see it.
 */
const OPENS_PER_TURN = 32;

/** `/live/{slug}/events`, optionally with `?since=N`, nothing more. */
const EVENTS_URL = /^\/live\/([a-z0-9]+(?:-[a-z0-9]+)*)\/events(?:\?since=(\d{1,15}))?$/;

/** A slot in the stream bounds, held while the reader stays connected. */
interface Slot {
  release(): void;
}

/** A stream accepted but not yet written: its socket left node:http's response machinery. */
interface Opening {
  socket: Socket;
  page: LivePage;
  since: number;
  received: number;
  slot: Slot;
}

export interface EventStreamsOptions {
  services: ServiceDeps;
  hub: FanoutHub;
  limits: StreamLimits;
  reporting: LatencyReporting;
  /** The client's address as Fastify's `request.ip` gives it (trustProxy included). */
  addressOf: (req: IncomingMessage) => string;
  onRefused?: (reason: Refusal) => void;
}

/** The position a reader resumes from: Last-Event-ID (a reconnect) wins over ?since=. */
export function resumeFrom(
  lastEventId: string | string[] | undefined,
  since: number | undefined,
): number {
  const header = Array.isArray(lastEventId) ? lastEventId[0] : lastEventId;
  if (header !== undefined && /^\d{1,15}$/.test(header.trim())) return Number(header.trim());
  return since ?? Number.MAX_SAFE_INTEGER;
}

/**
 * Runs `end` when the socket closes, or now if it already has. Every idle reader holds the
 * listener, so it is passed inline: tsx's esbuild `keepNames` wraps a named one
 * (`const done = () => ...`) in `__name`, which defines an own `name` property and leaves the
 * function with a ~256-byte property dictionary, about 0.3 KB more per reader.
 */
function onceClosed(socket: Socket, end: () => void): void {
  // `on`, not `once`: a socket closes once, and `once` wraps the listener in a bound function
  // and a state object, about 0.1 KB more per reader.
  socket.on('close', end);
  if (socket.destroyed) end();
}

/**
 * Opens the readers' event streams (ADR 0031). Every stream is opened from one queue, a few
 * milliseconds of it at a time: in a reconnect storm thousands of readers arrive at once,
 * and opening each (the head, the clock, everything it missed) inside node:http's request
 * callback made a publish that arrived behind them wait for all of them.
 *
 * A reader resuming on a page this process already serves (Last-Event-ID or `?since=` at or
 * behind the hub's position) is taken before Fastify sees the request (`serveResumed`):
 * nothing needs reading or validating that the URL's pattern has not already checked.
 * Everything else, refusals and errors included, goes through the Fastify route.
 */
export class EventStreams {
  private readonly queue: Opening[] = [];
  /**
   * The page of each slug with a stream in the queue, until the queue is empty: the readers
   * of a storm who arrive before the first of them has opened (and made the hub follow the
   * page) need no read of the store each either.
   */
  private readonly waiting = new Map<string, LivePage>();
  private draining = false;
  private closed = false;

  constructor(private readonly options: EventStreamsOptions) {}

  /** Takes a slot in the stream bounds for `address`, counting a refusal. */
  acquire(address: string): Slot | { refused: Refusal } {
    const slot = this.options.limits.acquire(addressKey(address));
    if ('refused' in slot) this.options.onRefused?.(slot.refused);
    return slot;
  }

  /**
   * The fast path: answers a resuming reader of a page the hub holds, or returns false and
   * leaves the request to Fastify (which answers a refusal with its problem document).
   */
  serveResumed(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || !req.url?.startsWith('/live/')) return false;
    // A request pipelined behind another on its connection waits for that one's answer
    // (node:http has not given its response the socket yet): the route takes it in turn.
    if (res.socket !== req.socket) return false;
    const match = EVENTS_URL.exec(req.url);
    if (!match?.[1]) return false;
    const since = resumeFrom(
      req.headers['last-event-id'],
      match[2] === undefined ? undefined : Number(match[2]),
    );
    const page = this.resumablePage(match[1], since);
    if (!page) return false;
    const slot = this.options.limits.acquire(addressKey(this.options.addressOf(req)));
    if ('refused' in slot) return false;
    const received = this.options.services.now().getTime();
    // The unused response object would otherwise live as long as the reader.
    res.detachSocket(req.socket);
    this.open({ socket: req.socket, page, since, received, slot });
    return true;
  }

  /**
   * The page with slug `slug` for a reader resuming at `since`, if this process holds it at or
   * past that position: followed by the hub, or read for a stream still waiting to open. Null
   * when the store must be read (see `FanoutHub.resumablePage`).
   */
  resumablePage(slug: string, since: number): LivePage | null {
    const followed = this.options.hub.resumablePage(slug, since);
    if (followed) return followed;
    const waiting = this.waiting.get(slug);
    return waiting && since <= waiting.lastSeq ? waiting : null;
  }

  /**
   * Queues a stream to open: its socket has left node:http's response machinery (the route
   * hijacked and detached it) and holds `slot`, given back when the socket closes.
   */
  open(opening: Opening): void {
    if (this.closed) return this.drop(opening);
    this.queue.push(opening);
    const { page } = opening;
    if ((this.waiting.get(page.slug)?.lastSeq ?? -1) < page.lastSeq) {
      this.waiting.set(page.slug, page);
    }
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => this.drain());
  }

  /**
   * Stops opening streams: the server is closing. Readers still waiting are disconnected
   * before anything is written to them, so their browsers simply come back (to another
   * instance, or to this one restarted).
   */
  close(): void {
    this.closed = true;
    for (const opening of this.queue.splice(0)) this.drop(opening);
    this.waiting.clear();
  }

  private drop({ socket, slot }: Opening): void {
    socket.destroy();
    slot.release();
  }

  /** Opens a turn's worth of the queue, then lets the event loop turn before the next. */
  private drain(): void {
    for (const next of this.queue.splice(0, OPENS_PER_TURN)) void this.start(next);
    if (this.queue.length > 0) return void setImmediate(() => this.drain());
    this.draining = false;
    // The hub follows every page a stream was opened on (or the reader has gone).
    this.waiting.clear();
  }

  private async start({ socket, page, since, received, slot }: Opening): Promise<void> {
    // A reader that left while waiting gives its slot back and is never written.
    if (socket.destroyed) return slot.release();
    const { services, hub, reporting } = this.options;
    socket.setNoDelay(true);
    // The head, the clock and what the reader missed leave in one write, not one each: in
    // a reconnect storm every system call is paid once per reader.
    socket.cork();
    socket.write(STREAM_HEAD);
    socket.write(retryFrame(spreadRetryMs(RETRY_MS)));
    // This reader's own first event: the server's clock, so the page can time live
    // deliveries (ADR 0017). Written once per connection; change frames stay shared.
    const clock: StreamClockEvent = {
      now: services.now().getTime(),
      received,
      seq: page.lastSeq,
      ...reporting,
      reportUrl: latencyPath(page.slug),
    };
    socket.write(frame({ event: 'clock', data: JSON.stringify(clock) }));
    const disconnect = await hub.connect(page, since, socket);
    // And node:http's own state for the connection: its listeners, parser and the finished
    // request (about 2 to 3 KB more per idle reader), as an upgrade would (ADR 0028). After
    // an await, outside the parser's own call stack: freeing the parser under it left the
    // server unable to close (test/http/events-abuse.test.ts hung at its end).
    releaseHttpState(socket);
    socket.uncork();
    // An unnamed arrow: see onceClosed.
    onceClosed(socket, () => {
      disconnect();
      slot.release();
    });
  }
}
