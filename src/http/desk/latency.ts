import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LatencyBoard } from '../../realtime/latency/latency-board.ts';
import { findPage } from '../../services/pages.ts';
import { actorOf } from '../auth.ts';
import type { HttpDeps } from '../deps.ts';
import { SlugParams } from '../schemas/common.ts';

/**
 * GET /desk/api/pages/{slug}/latency: the latency panel's figures for signed-in people:
 * readers connected now and the publish-to-screen p50/p99 readers reported over the last
 * 5 minutes, summed over every instance.
 */
export const deskLatencyRoutes: FastifyPluginAsyncTypebox<
  HttpDeps & { board: LatencyBoard }
> = async (app, { services, auth, board }) => {
  app.get(
    '/desk/api/pages/:slug/latency',
    { onRequest: auth.requireUser, schema: { tags: ['desk'], hide: true, params: SlugParams } },
    async (request, reply) => {
      actorOf(request);
      reply.header('cache-control', 'no-store');
      const page = await findPage(services.store, request.params.slug);
      return board.view(page.id);
    },
  );
};
