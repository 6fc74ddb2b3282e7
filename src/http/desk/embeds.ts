import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LIMITS } from '../../domain/limits.ts';
import { renderEmbedCard } from '../../render/embed.tsx';
import { lookUpEmbed } from '../../services/embeds.ts';
import type { DeskDeps } from './deps.ts';

const EmbedQuery = Type.Object(
  { url: Type.String({ minLength: 1, maxLength: LIMITS.url }) },
  { additionalProperties: false },
);

/** What an embed address becomes: its block (provider, title, author) and the reader's card. */
export const deskEmbedRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (
  app,
  { services, auth },
) => {
  app.get(
    '/desk/api/embeds',
    {
      onRequest: auth.requireUser,
      schema: { tags: ['desk'], hide: true, querystring: EmbedQuery },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const block = await lookUpEmbed(services, request.query.url);
      return { block, html: renderEmbedCard(block) };
    },
  );
};
