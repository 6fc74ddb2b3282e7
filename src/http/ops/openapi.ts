import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { HttpDeps } from '../deps.ts';

/** /openapi.json: generated from the same schemas that validate the requests. */
export const openApiRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app) => {
  app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return app.swagger();
  });
};
