import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LivelineError } from '../../domain/errors.ts';
import { SafeCount } from '../../domain/schemas.ts';
import type { PageSnapshot } from '../../realtime/hub.ts';
import { renderSnapshotEvent } from '../../render/index.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { findPage } from '../../services/pages.ts';
import { listPostsOf } from '../../services/posts.ts';
import type { HttpDeps } from '../deps.ts';
import { SlugParams } from '../schemas/common.ts';
import { answerable } from '../pipelined.ts';
import { resumeFrom, type EventStreams } from './event-streams.ts';

const EventsQuery = Type.Object({ since: Type.Optional(SafeCount(0)) });

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

/**
 * /live/{slug}/events: the page's change log as Server-Sent Events, `id` = sequence number.
 * The response leaves Fastify's reply machinery (hijack); EventStreams opens it and the
 * fan-out hub writes every change straight to the socket.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<HttpDeps & { streams: EventStreams }> = async (
  app,
  { services, streams },
) => {
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
      const slot = streams.acquire(request.ip);
      if ('refused' in slot) {
        reply.header('retry-after', String(REFUSED_RETRY_AFTER_S[slot.refused]));
        throw new LivelineError(slot.refused === 'address' ? 'TOO_MANY_STREAMS' : 'STREAMS_FULL');
      }
      // Without a position, a reader starts from now.
      const since = resumeFrom(request.headers['last-event-id'], request.query.since);
      // A reader resuming where this process has been needs no read of the store (ADR 0027);
      // most of them are answered before Fastify (event-streams.ts), the rest come here.
      let page = streams.resumablePage(request.params.slug, since);
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
      // Pipelined behind another request, the stream waits for that one's answer; a
      // connection that closes first gives its slot back.
      if (!(await answerable(reply.raw, socket))) return slot.release();
      // The unused response object would otherwise live as long as the reader: about 3 KB
      // of heap per idle reader (measured at 10,000 readers: 8.2 KiB of RSS each, not 10.9).
      reply.raw.detachSocket(socket);
      streams.open({ socket, page, since, received, slot });
    },
  );
};
