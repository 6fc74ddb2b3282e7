import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { changesSince } from '../../services/changes.ts';
import { presentChange } from '../../services/present.ts';
import { cacheFor } from '../caching.ts';
import type { HttpDeps } from '../deps.ts';
import { SlugParams } from '../schemas/common.ts';
import { ChangesQuery } from '../schemas/posts.ts';

/** /api/pages/{slug}/changes: the change log after a sequence number, for catching up. */
export const changeRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (
  app,
  { services, auth },
) => {
  app.get(
    '/api/pages/:slug/changes',
    {
      onRequest: auth.identify,
      schema: {
        tags: ['changes'],
        summary:
          'Change-log entries after `since`, oldest first, at most 100; ask again from lastSeq',
        params: SlugParams,
        querystring: ChangesQuery,
      },
    },
    async (request, reply) => {
      cacheFor(request, reply, 1);
      const batch = await changesSince(services, request.params.slug, request.query.since ?? 0);
      return {
        changes: batch.changes.map(presentChange),
        lastSeq: batch.lastSeq,
        latestSeq: batch.latestSeq,
        hasMore: batch.hasMore,
      };
    },
  );
};
