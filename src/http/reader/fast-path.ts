import type { IncomingMessage, ServerResponse } from 'node:http';
import { postsListKey, renderKey, type RenderCache } from './render-cache.ts';

const SLUG = '[a-z0-9]+(?:-[a-z0-9]+)*';
const PAGE = '[1-9]\\d{0,5}';
/** `/live/{slug}` or `/live/{slug}?page=N`, nothing more: anything else goes through Fastify. */
const LIVE_PAGE = new RegExp(`^/live/(${SLUG})(?:\\?page=(${PAGE}))?$`);
/**
 * `/api/pages/{slug}/posts`, with `?page=N` or `?after=<cursor>` (base64url, so the query
 * decodes to itself), nothing more.
 */
const POSTS_LIST = new RegExp(
  `^/api/pages/(${SLUG})/posts(?:\\?(?:page=(${PAGE})|after=([A-Za-z0-9_-]{1,200})))?$`,
);

/**
 * The render cache key a request would be answered from, or null when it is not one of the
 * cached reads. The JSON list is private to a signed-in reader, and a desk session comes as a
 * cookie: a request with any cookie goes through Fastify, which knows who it is.
 */
function cachedKeyOf(req: IncomingMessage): string | null {
  const url = req.url ?? '';
  if (url.startsWith('/live/')) {
    const match = LIVE_PAGE.exec(url);
    return match?.[1] ? renderKey(match[1], Number(match[2] ?? 1)) : null;
  }
  if (url.startsWith('/api/pages/') && req.headers.cookie === undefined) {
    const match = POSTS_LIST.exec(url);
    if (!match?.[1]) return null;
    return postsListKey(match[1], match[3] ? { after: match[3] } : Number(match[2] ?? 1));
  }
  return null;
}

/**
 * The hottest reads, served below the framework: an anonymous GET of a live page, or of the
 * JSON list of its posts, whose rendering is cached and fresh is answered straight from
 * memory, with the very headers the route sent it with the first time (security headers
 * included). Everything else, and every miss, is Fastify's. Returns true when it answered.
 */
export function serveCachedPage(
  cache: RenderCache,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  if (req.method !== 'GET' || req.headers.authorization !== undefined) return false;
  const key = cachedKeyOf(req);
  if (key === null) return false;
  const hit = cache.fresh(key);
  if (!hit) return false;
  // Matched as @fastify/etag matches it, so both paths answer a weak validator alike.
  const condition = req.headers['if-none-match'];
  if (condition === hit.etag || condition === `W/${hit.etag}`) {
    res.writeHead(304, hit.notModifiedHeaders).end();
  } else {
    res.writeHead(200, hit.headers).end(hit.body);
  }
  return true;
}
