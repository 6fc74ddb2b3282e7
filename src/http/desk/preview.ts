import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { NewPostBody, Slug } from '../../domain/schemas.ts';
import { previewPost } from '../../services/desk.ts';
import { renderPostArticle } from '../../render/index.ts';
import { actorOf } from '../auth.ts';
import type { DeskDeps } from './deps.ts';

const PreviewBody = Type.Object({ slug: Slug, post: NewPostBody }, { additionalProperties: false });

/** The post as readers will see it, through the reader's own renderer; nothing is stored. */
export const previewRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (
  app,
  { services, auth },
) => {
  app.post(
    '/desk/api/preview',
    {
      onRequest: auth.requireUser,
      // Renders a post that is not stored: nothing is written, so nothing to audit.
      config: { audit: false },
      schema: { tags: ['desk'], hide: true, body: PreviewBody },
    },
    async (request, reply) => {
      actorOf(request);
      reply.header('cache-control', 'no-store');
      const { page, post } = await previewPost(services, request.body.slug, request.body.post);
      return { html: renderPostArticle(page, post) };
    },
  );
};
