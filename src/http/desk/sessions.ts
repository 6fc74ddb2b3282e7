import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { TokenNameBody } from '../../domain/people-schemas.ts';
import { createPersonalToken, listOwnTokens, revokeOwnToken } from '../../services/people.ts';
import { listSessions, revokeSession } from '../../services/sessions.ts';
import { actorOf } from '../auth.ts';
import { PostId } from '../schemas/common.ts';
import type { DeskDeps } from './deps.ts';

/** A session's or a token's id. */
const SessionParams = Type.Object({ id: PostId }, { additionalProperties: false });

/** My sessions (listed, revoked) and my personal API tokens. */
export const sessionRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (
  app,
  { services, auth },
) => {
  app.get(
    '/desk/api/sessions',
    { onRequest: auth.requireUser, schema: { tags: ['desk'], hide: true } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const sessions = await listSessions(services, actorOf(request));
      return {
        sessions: sessions.map((s) => ({
          id: s.id,
          current: s.id === request.session?.id,
          createdAt: s.createdAt,
          lastSeenAt: s.lastSeenAt,
          userAgent: s.userAgent,
        })),
      };
    },
  );

  app.delete(
    '/desk/api/sessions/:id',
    {
      onRequest: auth.requireUser,
      config: { audit: 'session.revoke' },
      schema: { tags: ['desk'], hide: true, params: SessionParams },
    },
    async (request, reply) => {
      await revokeSession(services, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/desk/api/tokens',
    { onRequest: auth.requireUser, schema: { tags: ['desk'], hide: true } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const tokens = await listOwnTokens(services, actorOf(request));
      return {
        tokens: tokens.map((t) => ({
          id: t.id,
          name: t.label,
          createdAt: t.createdAt,
          lastUsedAt: t.lastUsedAt,
          expiresAt: t.expiresAt,
          revokedAt: t.revokedAt,
        })),
      };
    },
  );

  app.delete(
    '/desk/api/tokens/:id',
    {
      onRequest: auth.requireUser,
      config: { audit: 'token.revoke' },
      schema: { tags: ['desk'], hide: true, params: SessionParams },
    },
    async (request, reply) => {
      await revokeOwnToken(services, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/desk/api/tokens',
    {
      onRequest: auth.requireUser,
      config: { audit: 'token.create' },
      schema: { tags: ['desk'], hide: true, body: TokenNameBody },
    },
    async (request, reply) => {
      const made = await createPersonalToken(services, actorOf(request), request.body.name.trim());
      return reply.code(201).header('cache-control', 'no-store').send(made);
    },
  );
};
