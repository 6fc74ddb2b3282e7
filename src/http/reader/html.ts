import type { FastifyReply } from 'fastify';
import { LivelineError } from '../../domain/errors.ts';
import { renderNotFoundPage } from '../../render/index.ts';
import type { Assets } from '../../render/index.ts';
import type { Rendered } from './render-cache.ts';

const HTML = 'text/html; charset=utf-8';
const cacheControl = (sMaxAge: number) =>
  `public, max-age=0, s-maxage=${sMaxAge}, stale-while-revalidate=30`;

/** Sets the headers of a rendered page, cacheable by a CDN for a few seconds. */
export function htmlHeaders(reply: FastifyReply, sMaxAge = 2): FastifyReply {
  return reply.header('content-type', HTML).header('cache-control', cacheControl(sMaxAge));
}

/** Sends a rendered page, cacheable by a CDN for a few seconds. */
export function sendHtml(reply: FastifyReply, html: string, sMaxAge = 2): FastifyReply {
  return htmlHeaders(reply, sMaxAge).send(html);
}

/** Sends a cached rendering with its ETag, so nothing is hashed again. */
export function sendRendered(reply: FastifyReply, rendered: Rendered): FastifyReply {
  return htmlHeaders(reply).header('etag', rendered.etag).send(rendered.body);
}

const NOT_FOUND = new Set([
  'PAGE_NOT_FOUND',
  'POST_NOT_FOUND',
  'PAGE_OUT_OF_RANGE',
  'ROUTE_NOT_FOUND',
]);

/** Runs a page handler, answering "not found" errors with a real 404 page, not JSON. */
export async function orNotFoundPage(
  reply: FastifyReply,
  assets: Assets,
  render: () => Promise<FastifyReply>,
): Promise<FastifyReply> {
  try {
    return await render();
  } catch (error) {
    if (error instanceof LivelineError && NOT_FOUND.has(error.code)) {
      return reply
        .code(404)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'public, max-age=0, s-maxage=5')
        .send(renderNotFoundPage({ message: error.message, assets }));
    }
    throw error;
  }
}
