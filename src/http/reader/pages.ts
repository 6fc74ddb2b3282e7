import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { LivePage } from '../../domain/page.ts';
import { POSTS_PER_PAGE, type Post } from '../../domain/post.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { listFrontPage } from '../../services/pages.ts';
import { findPost, listPostPage, listPostsOf } from '../../services/posts.ts';
import { findPage } from '../../services/pages.ts';
import {
  renderAtomFeed,
  renderIndexPage,
  renderPostPage,
  renderReaderPage,
} from '../../render/index.ts';
import type { HttpDeps } from '../deps.ts';
import { PostParams, SlugParams } from '../schemas/common.ts';
import { exportPageText } from '../../services/export.ts';
import type { ReaderAssets } from './assets.ts';
import { htmlHeaders, orNotFoundPage, sendHtml, sendRendered } from './html.ts';
import { renderKey } from './render-cache.ts';

const PageQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});

/**
 * Reading the last page costs an OFFSET scan that grows with depth (14.6 ms at 100,000 posts on
 * SQLite, 0.3 ms for page 1), paid at every re-render after a change. Up to this many pages it
 * is read; deeper pages are long-running live pages, which started before their posts.
 */
const OLDEST_POST_SCAN_PAGES = 50;

/**
 * The posts a page's dates come from (src/render/page-dates.ts) that the page of posts shown
 * (none for a permalink) lacks: page 1 holds the newest, the last page the oldest.
 */
async function datePostsFor(
  services: ServiceDeps,
  page: LivePage,
  shown: number | null,
): Promise<Post[]> {
  const pageCount = Math.max(1, Math.ceil(page.postCount / POSTS_PER_PAGE));
  const pages = new Set([1]);
  if (pageCount <= OLDEST_POST_SCAN_PAGES) pages.add(pageCount);
  if (shown !== null) pages.delete(shown);
  const read = await Promise.all(
    [...pages].map(async (n) => (await listPostsOf(services, page, n)).posts),
  );
  return read.flat();
}

/** What readers see: the list of live pages, a live page, a post's permalink, the feed. */
export const readerRoutes: FastifyPluginAsyncTypebox<
  HttpDeps & { assets: ReaderAssets; publicUrl: string }
> = async (app, { services, assets, cache, publicUrl }) => {
  // Every absolute URL (canonical, og:, JSON-LD, feed) is built from PUBLIC_URL, never Host.
  const baseUrl = publicUrl;
  const urls = assets.urls;

  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    const pages = await listFrontPage(services);
    return sendHtml(reply, renderIndexPage({ pages, baseUrl, assets: urls }));
  });

  app.get(
    '/live/:slug',
    { schema: { hide: true, params: SlugParams, querystring: PageQuery } },
    (request, reply) =>
      orNotFoundPage(reply, urls, async () => {
        const pageNumber = request.query.page ?? 1;
        const rendered = await cache.through(
          renderKey(request.params.slug, pageNumber),
          () => findPage(services.store, request.params.slug),
          async (page) => {
            const listing = await listPostsOf(services, page, pageNumber);
            const datePosts = await datePostsFor(services, page, pageNumber);
            return renderReaderPage({ page, ...listing, datePosts, baseUrl, assets: urls });
          },
          // Kept with the rendering (security headers included), so the fast path
          // (fast-path.ts) can send exactly this response again.
          () => htmlHeaders(reply).getHeaders() as OutgoingHttpHeaders,
        );
        return sendRendered(reply, rendered);
      }),
  );

  app.get(
    '/live/:slug.txt',
    { schema: { hide: true, params: SlugParams, querystring: PageQuery } },
    async (request, reply) => {
      const text = await exportPageText(services, request.params.slug, request.query.page ?? 1);
      return reply
        .header('content-type', 'text/plain; charset=utf-8')
        .header('cache-control', 'public, max-age=0, s-maxage=5, stale-while-revalidate=30')
        .send(text);
    },
  );

  app.get(
    '/live/:slug/posts/:id',
    { schema: { hide: true, params: PostParams } },
    (request, reply) =>
      orNotFoundPage(reply, urls, async () => {
        const page = await findPage(services.store, request.params.slug);
        const post = await findPost(services, page.slug, request.params.id, null);
        const datePosts = await datePostsFor(services, page, null);
        return sendHtml(reply, renderPostPage({ page, post, datePosts, baseUrl, assets: urls }));
      }),
  );

  app.get(
    '/live/:slug/feed.xml',
    { schema: { hide: true, params: SlugParams } },
    (request, reply) =>
      orNotFoundPage(reply, urls, async () => {
        const page = await findPage(services.store, request.params.slug);
        const { posts } = await listPostPage(services, page.slug, 1);
        return reply
          .header('content-type', 'application/atom+xml; charset=utf-8')
          .header('cache-control', 'public, max-age=0, s-maxage=5, stale-while-revalidate=30')
          .send(renderAtomFeed({ page, posts, baseUrl }));
      }),
  );

  app.get('/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const found = assets.byPath.get(request.url.split('?')[0] ?? '');
    if (!found) return reply.callNotFound();
    return reply
      .header('content-type', found.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(found.body);
  });
};
