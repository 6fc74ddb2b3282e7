import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listPages } from '../../services/pages.ts';
import { listDeskPosts } from '../../services/desk.ts';
import { presentDeskPost, presentPage } from '../../services/present.ts';
import { actorOf } from '../auth.ts';
import { SlugParams } from '../schemas/common.ts';
import type { DeskDeps } from './deps.ts';

/** The desk's view of pages and posts: drafts included, with who wrote each. */
export const deskPageRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (
  app,
  { services, auth, hub },
) => {
  app.get(
    '/desk/api/pages',
    { onRequest: auth.requireUser, schema: { tags: ['desk'], hide: true } },
    async (request, reply) => {
      actorOf(request);
      reply.header('cache-control', 'no-store');
      const [pages, lastPosts] = await Promise.all([
        listPages(services),
        services.store.lastPostTimes(),
      ]);
      const readers = hub.readerCounts();
      return {
        pages: pages.map((page) => ({
          ...presentPage(page),
          readers: readers.get(page.id) ?? 0,
          lastPostAt: lastPosts.get(page.id) ?? null,
        })),
      };
    },
  );

  app.get(
    '/desk/api/pages/:slug/posts',
    { onRequest: auth.requireUser, schema: { tags: ['desk'], hide: true, params: SlugParams } },
    async (request, reply) => {
      actorOf(request);
      reply.header('cache-control', 'no-store');
      const posts = await listDeskPosts(services, request.params.slug);
      return { posts: posts.map(presentDeskPost) };
    },
  );
};
