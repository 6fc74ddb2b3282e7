import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listPages } from '../../services/pages.ts';
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

/** What readers see: the list of live pages, a live page, a post's permalink, the feed. */
export const readerRoutes: FastifyPluginAsyncTypebox<
  HttpDeps & { assets: ReaderAssets; publicUrl: string }
> = async (app, { services, assets, cache, publicUrl }) => {
  // Every absolute URL (canonical, og:, JSON-LD, feed) is built from PUBLIC_URL, never Host.
  const baseUrl = publicUrl;
  const urls = assets.urls;

  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    const pages = await listPages(services);
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
            return renderReaderPage({ page, ...listing, baseUrl, assets: urls });
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
        return sendHtml(reply, renderPostPage({ page, post, baseUrl, assets: urls }));
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
