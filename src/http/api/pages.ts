import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LivePage } from '../../domain/page.ts';
import { createPage, editPage, findPage, listPages } from '../../services/pages.ts';
import { fingerprint } from '../../services/idempotency.ts';
import { presentPage } from '../../services/present.ts';
import type { HttpDeps } from '../deps.ts';
import { actorOf } from '../auth.ts';
import { sendCommitted } from './answer.ts';
import { cacheFor } from '../caching.ts';
import { BearerAuth, IdempotencyHeaders, SlugParams } from '../schemas/common.ts';
import { NewPageBody, PageEditBody } from '../schemas/pages.ts';

/** /api/pages: create, list, read and edit live pages. */
export const pageRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, { services, auth }) => {
  app.post(
    '/api/pages',
    {
      onRequest: auth.requireUser,
      config: { audit: 'page.create' },
      schema: {
        tags: ['pages'],
        summary: 'Create a live page',
        security: BearerAuth,
        body: NewPageBody,
        headers: IdempotencyHeaders,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const key = request.headers['idempotency-key'];
      const answer = (page: LivePage) => ({
        status: 201,
        headers: { location: `/api/pages/${page.slug}` },
        body: presentPage(page),
      });
      const result = await createPage(
        services,
        actor,
        request.body,
        key
          ? { key, fingerprint: fingerprint('POST /api/pages', request.body), answer }
          : undefined,
      );
      return sendCommitted(reply, result, answer);
    },
  );

  app.get(
    '/api/pages',
    {
      onRequest: auth.identify,
      schema: { tags: ['pages'], summary: 'List live pages, live ones first' },
    },
    async (request, reply) => {
      cacheFor(request, reply);
      const pages = await listPages(services);
      return { pages: pages.map(presentPage) };
    },
  );

  app.get(
    '/api/pages/:slug',
    {
      onRequest: auth.identify,
      schema: { tags: ['pages'], summary: 'Read a live page', params: SlugParams },
    },
    async (request, reply) => {
      cacheFor(request, reply);
      return presentPage(await findPage(services.store, request.params.slug));
    },
  );

  app.patch(
    '/api/pages/:slug',
    {
      onRequest: auth.requireUser,
      config: { audit: 'page.edit' },
      schema: {
        tags: ['pages'],
        summary: 'Edit a live page: title, description, status, summary, lead media, time zone',
        security: BearerAuth,
        params: SlugParams,
        body: PageEditBody,
      },
    },
    async (request) =>
      presentPage(await editPage(services, actorOf(request), request.params.slug, request.body)),
  );
};
