import type { Socket } from 'node:net';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LivelineError } from '../../domain/errors.ts';
import type { FanoutHub, PageSnapshot } from '../../realtime/hub.ts';
import type { LatencyReporting } from '../../realtime/latency/reporting.ts';
import { frame, retryFrame, STREAM_HEAD } from '../../realtime/sse-frame.ts';
import type { Refusal, StreamLimits } from '../../realtime/stream-limits.ts';
import { renderSnapshotEvent, type StreamClockEvent } from '../../render/index.ts';
import { latencyPath } from '../../render/urls.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { findPage } from '../../services/pages.ts';
import { listPostsOf } from '../../services/posts.ts';
import type { HttpDeps } from '../deps.ts';
import { SlugParams } from '../schemas/common.ts';
import { releaseHttpState } from './release-socket.ts';
import { SafeCount } from '../../domain/schemas.ts';

const EventsQuery = Type.Object({ since: Type.Optional(SafeCount(0)) });

/** How long a browser waits before reconnecting after the stream drops. */
const RETRY_MS = 2_000;

/** How long a refused reader is asked to wait, in seconds, before trying again. */
const REFUSED_RETRY_AFTER_S = { address: 30, total: 5 } as const;

/**
 * The page as it is now, for a reader too far behind to replay: its first page of posts
 * and its furniture, at the change-log position the page was read at. About the cost of a
 * page read, and the hub renders it once for every reader who needs it.
 */
export function pageSnapshot(services: ServiceDeps) {
  return async (pageId: string): Promise<PageSnapshot> => {
    const page = await services.store.getPageById(pageId);
    if (!page) throw new Error(`page ${pageId} is gone`);
    const { posts } = await listPostsOf(services, page, 1);
    return { seq: page.lastSeq, data: JSON.stringify(renderSnapshotEvent(page, posts)) };
  };
}

/** The position a reader resumes from: Last-Event-ID (a reconnect) wins over ?since=. */
function resumeFrom(lastEventId: string | string[] | undefined, since: number | undefined): number {
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
 * /live/{slug}/events: the page's change log as Server-Sent Events, `id` = sequence number.
 * The response leaves Fastify's reply machinery (hijack) and is written by the fan-out hub
 * straight to the socket.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<
  HttpDeps & {
    hub: FanoutHub;
    limits: StreamLimits;
    onRefused?: (reason: Refusal) => void;
    reporting: LatencyReporting;
  }
> = async (app, { services, hub, limits, onRefused, reporting }) => {
  app.get(
    '/live/:slug/events',
    {
      exposeHeadRoute: false,
      schema: {
        tags: ['reader'],
        summary: 'Server-Sent Events of a live page',
        params: SlugParams,
        querystring: EventsQuery,
      },
    },
    async (request, reply) => {
      const received = services.now().getTime();
      // Bounded before anything is read: one client cannot hold thousands of streams.
      const slot = limits.acquire(request.ip);
      if ('refused' in slot) {
        onRefused?.(slot.refused);
        reply.header('retry-after', String(REFUSED_RETRY_AFTER_S[slot.refused]));
        throw new LivelineError(slot.refused === 'address' ? 'TOO_MANY_STREAMS' : 'STREAMS_FULL');
      }
      // Without a position, a reader starts from now.
      const since = resumeFrom(request.headers['last-event-id'], request.query.since);
      // A reader resuming where this process has been needs no read of the store (ADR 0027).
      let page = hub.resumablePage(request.params.slug, since);
      try {
        page ??= await findPage(services.store, request.params.slug);
      } catch (error) {
        slot.release();
        throw error;
      }
      // The stream leaves Fastify and node:http's response machinery: the head is written
      // once, then the hub writes each prepared frame straight to the socket, with no
      // per-reader chunked encoding. Connection: close marks where the body ends.
      reply.hijack();
      const socket = request.raw.socket;
      // The unused response object would otherwise live as long as the reader: about 3 KB
      // of heap per idle reader (measured at 10,000 readers: 8.2 KiB of RSS each, not 10.9).
      reply.raw.detachSocket(socket);
      socket.setNoDelay(true);
      // The head, the clock and what the reader missed leave in one write, not one each: in
      // a reconnect storm every system call is paid once per reader.
      socket.cork();
      socket.write(STREAM_HEAD);
      socket.write(retryFrame(RETRY_MS));
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
      // request (about 2 to 3 KB more per idle reader), as an upgrade would (ADR 0028). Only
      // after an await: a reader resuming from the hub's copy of the page gets here in the
      // parser's own call stack, and freeing the parser under it left the server unable to
      // close (test/http/events-abuse.test.ts hung at its end).
      releaseHttpState(socket);
      socket.uncork();
      // An unnamed arrow: see onceClosed.
      onceClosed(socket, () => {
        disconnect();
        slot.release();
      });
    },
  );
};
