import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { RemovalBody } from '../../domain/schemas.ts';
import { removePost, removeVersion } from '../../services/removal.ts';
import { actorOf } from '../auth.ts';
import type { HttpDeps } from '../deps.ts';
import { BearerAuth, PostId, PostParams, Slug } from '../schemas/common.ts';

const VersionParams = Type.Object(
  { slug: Slug, id: PostId, entryId: PostId },
  { additionalProperties: false },
);

/**
 * Legal removal (docs/corrections.md): editors and admins take a post, or an earlier version
 * of it, out of every public surface and the stored history, leaving a tombstone.
 */
export const removalRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (
  app,
  { services, auth },
) => {
  app.post(
    '/api/pages/:slug/posts/:id/removal',
    {
      onRequest: auth.requireUser,
      config: { audit: 'post.remove' },
      schema: {
        tags: ['posts'],
        summary: 'Remove a post for legal reasons: its text goes everywhere, a tombstone stays',
        security: BearerAuth,
        params: PostParams,
        body: RemovalBody,
      },
    },
    async (request) => {
      const { slug, id } = request.params;
      const post = await removePost(services, actorOf(request), slug, id, request.body.reason);
      return { id: post.id, status: post.status, removal: post.removal };
    },
  );

  app.post(
    '/api/pages/:slug/posts/:id/history/:entryId/removal',
    {
      onRequest: auth.requireUser,
      config: { audit: 'post.version_remove' },
      schema: {
        tags: ['posts'],
        summary: "Remove an earlier version's text for legal reasons (not the current one)",
        security: BearerAuth,
        params: VersionParams,
        body: RemovalBody,
      },
    },
    async (request) => {
      const { slug, id, entryId } = request.params;
      const step = await removeVersion(
        services,
        actorOf(request),
        slug,
        id,
        entryId,
        request.body.reason,
      );
      return { id: step.id, revision: step.revision, removal: step.removal };
    },
  );
};
