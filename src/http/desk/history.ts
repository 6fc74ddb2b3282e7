import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readPostHistory } from '../../services/post-history.ts';
import { actorOf } from '../auth.ts';
import { PostParams } from '../schemas/common.ts';
import type { DeskDeps } from './deps.ts';

/** A post's history for the desk: every version, correction and removal tombstone. */
export const deskHistoryRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (
  app,
  { services, auth },
) => {
  app.get(
    '/desk/api/pages/:slug/posts/:id/history',
    { onRequest: auth.requireUser, schema: { tags: ['desk'], hide: true, params: PostParams } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { slug, id } = request.params;
      return readPostHistory(services, actorOf(request), slug, id);
    },
  );
};
