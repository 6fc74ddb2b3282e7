import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderKey, type RenderCache } from './render-cache.ts';

/** `/live/{slug}` or `/live/{slug}?page=N`, nothing more: anything else goes through Fastify. */
const LIVE_PAGE = /^\/live\/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\?page=([1-9]\d{0,5}))?$/;

/**
 * The hottest read, served below the framework: an anonymous GET of a live page whose
 * rendering is cached and fresh is answered straight from memory, with the very headers the
 * route sent it with the first time. Everything else, and every miss, is Fastify's.
 * Returns true when it answered.
 */
export function serveCachedPage(
  cache: RenderCache,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  if (req.method !== 'GET' || req.headers.authorization !== undefined || req.url === undefined)
    return false;
  const match = LIVE_PAGE.exec(req.url);
  if (!match?.[1]) return false;
  const hit = cache.fresh(renderKey(match[1], Number(match[2] ?? 1)));
  if (!hit) return false;
  if (req.headers['if-none-match'] === hit.etag) {
    // A 304 has no body: every header but the length.
    const length = hit.headers.indexOf('content-length');
    res
      .writeHead(
        304,
        hit.headers.filter((_, i) => i !== length && i !== length + 1),
      )
      .end();
  } else {
    res.writeHead(200, hit.headers).end(hit.body);
  }
  return true;
}
