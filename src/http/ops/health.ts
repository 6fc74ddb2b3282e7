import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { HttpDeps } from '../deps.ts';

/** /healthz: 200 when the database answers, 503 when it does not. */
export const healthRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, { services }) => {
  app.get(
    '/healthz',
    { schema: { tags: ['operations'], summary: 'Liveness and database check' } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      try {
        await services.store.ping();
        return { status: 'ok', database: services.store.kind };
      } catch (error) {
        request.log.error({ err: error }, 'health check failed');
        return reply.code(503).send({ status: 'unavailable', database: services.store.kind });
      }
    },
  );
};
