import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LIMITS } from '../../domain/limits.ts';
import { PageStatus } from '../../domain/page.ts';
import { fingerprint } from '../../services/idempotency.ts';
import { importPage, type ImportReport } from '../../services/import.ts';
import { presentPage } from '../../services/present.ts';
import { actorOf } from '../auth.ts';
import { sendCommitted } from './answer.ts';
import type { HttpDeps } from '../deps.ts';
import { BearerAuth, IdempotencyHeaders, Slug } from '../schemas/common.ts';

const ImportQuery = Type.Object({
  slug: Slug,
  title: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.title })),
  status: Type.Optional(PageStatus),
  year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2999 })),
  captureDate: Type.Optional(Type.String({ format: 'date' })),
  partial: Type.Optional(Type.Boolean()),
});

const CaptureBody = Type.String({
  minLength: 1,
  description: 'A live page captured as text (text/plain).',
});

/** A capture of 20 posts at their limits, with room for its furniture. */
export const IMPORT_BODY_LIMIT = 1024 * 1024;

/** POST /api/import: a text capture becomes a live page with all its posts, or nothing. */
export const importRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (
  app,
  { services, auth },
) => {
  // A capture is text: this scope reads text/plain and only that (JSON here is a 415).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  app.post(
    '/api/import',
    {
      onRequest: auth.requireUser,
      config: { audit: 'page.import' },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['import'],
        summary: 'Import a BBC-style text capture as a new live page (text/plain body)',
        security: BearerAuth,
        querystring: ImportQuery,
        headers: IdempotencyHeaders,
        body: CaptureBody,
      },
    },
    async (request, reply) => {
      const { slug, ...options } = request.query;
      const key = request.headers['idempotency-key'];
      const answer = (report: ImportReport) => ({
        status: 201,
        headers: { location: `/api/pages/${report.page.slug}` },
        body: {
          page: presentPage(report.page),
          posts: report.posts,
          assumptions: report.assumptions,
          dropped: report.dropped.map(({ line, reason }) => ({ line, reason })),
        },
      });
      const actor = actorOf(request);
      const input = { slug, ...options, captures: [{ name: 'capture', text: request.body }] };
      const result = key
        ? await importPage(services, actor, input, {
            key,
            fingerprint: fingerprint('POST /api/import', request.query, request.body),
            answer,
          })
        : { replayed: false as const, value: await importPage(services, actor, input) };
      return sendCommitted(reply, result, answer);
    },
  );
};
