import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Cache headers for reads. Public reads may be kept by a CDN for a few seconds and served
 * stale while it revalidates; the ETag (added to every response by @fastify/etag) makes
 * revalidation a 304. Anything a signed-in user reads stays private.
 */
export function cacheFor(request: FastifyRequest, reply: FastifyReply, sMaxAge = 2): void {
  reply.header(
    'cache-control',
    request.actor
      ? 'private, no-store'
      : `public, max-age=0, s-maxage=${sMaxAge}, stale-while-revalidate=30`,
  );
  reply.header('vary', 'Authorization');
}
