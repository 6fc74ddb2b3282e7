import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listAuditLog, presentAuditEntry } from '../../services/audit.ts';
import { actorOf } from '../auth.ts';
import { PostId, Slug } from '../schemas/common.ts';
import type { DeskDeps } from './deps.ts';

const AuditQuery = Type.Object(
  {
    page: Type.Optional(Slug),
    user: Type.Optional(PostId),
    before: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** GET /desk/api/audit: who wrote what, newest first, for admins (ADR 0019). */
export const auditRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app, { services, auth }) => {
  app.get(
    '/desk/api/audit',
    {
      onRequest: auth.requireUser,
      schema: { tags: ['desk'], hide: true, querystring: AuditQuery },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { entries, next } = await listAuditLog(services, actorOf(request), request.query);
      return { entries: entries.map(presentAuditEntry), next };
    },
  );
};
