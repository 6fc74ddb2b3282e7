import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Assets } from '../../render/index.ts';
import { renderWidgetPage, renderWidgetPostPage } from '../../render/widget-page.tsx';
import { findPage } from '../../services/pages.ts';
import { findPost, listPostsOf } from '../../services/posts.ts';
import { findEmbedded } from '../../services/widget.ts';
import type { HttpDeps } from '../deps.ts';
import { PostParams, SlugParams } from '../schemas/common.ts';
import { htmlHeaders, orNotFoundPage, sendHtml, sendRendered } from './html.ts';
import { presentOEmbed, requireJson } from './oembed.ts';
import type { WidgetAssets } from './widget-assets.ts';

/**
 * The render cache's key of a live page's embed view: apart from its pages' keys
 * (`{slug}|{n}`), so the embed view and the page, framed differently, never share an entry.
 */
export const widgetRenderKey = (slug: string): string => `${slug}|embed`;

/**
 * Lets the configured ancestors frame this response (CSP `frame-ancestors`; the legacy
 * X-Frame-Options would refuse every other origin, so it goes). Only the embed views call
 * it: every other page keeps `frame-ancestors 'self'` (security.ts).
 */
function allowFraming(reply: FastifyReply, ancestors: readonly string[]): void {
  const csp = String(reply.getHeader('content-security-policy') ?? '');
  reply.header(
    'content-security-policy',
    csp.replace(/frame-ancestors [^;]*/, `frame-ancestors ${ancestors.join(' ')}`),
  );
  reply.raw.removeHeader('x-frame-options');
}

const OEmbedQuery = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'The address of a live page or a post permalink on this site',
    }),
    format: Type.Optional(Type.String({ maxLength: 20, description: 'Only json is offered' })),
    maxwidth: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    maxheight: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

/**
 * The embeddable widget (ADR 0024): the embed views of a live page and of a post, the host
 * page's resize script, and the oEmbed endpoint that hands out the snippet.
 */
export const widgetRoutes: FastifyPluginAsyncTypebox<
  HttpDeps & {
    assets: WidgetAssets;
    readerAssets: Assets;
    publicUrl: string;
    frameAncestors: readonly string[];
  }
> = async (app, { services, cache, assets, readerAssets, publicUrl, frameAncestors }) => {
  app.get('/live/:slug/embed', { schema: { hide: true, params: SlugParams } }, (request, reply) => {
    allowFraming(reply, frameAncestors);
    return orNotFoundPage(reply, readerAssets, async () => {
      const rendered = await cache.through(
        widgetRenderKey(request.params.slug),
        () => findPage(services.store, request.params.slug),
        async (page) => {
          const listing = await listPostsOf(services, page, 1);
          return renderWidgetPage({
            page,
            posts: listing.posts,
            pageCount: listing.pageCount,
            baseUrl: publicUrl,
            assets: assets.urls,
          });
        },
        () => htmlHeaders(reply).getHeaders() as OutgoingHttpHeaders,
      );
      return sendRendered(reply, rendered);
    });
  });

  app.get(
    '/live/:slug/posts/:id/embed',
    { schema: { hide: true, params: PostParams } },
    (request, reply) => {
      allowFraming(reply, frameAncestors);
      return orNotFoundPage(reply, readerAssets, async () => {
        const page = await findPage(services.store, request.params.slug);
        const post = await findPost(services, page.slug, request.params.id, null);
        return sendHtml(
          reply,
          renderWidgetPostPage({ page, post, baseUrl: publicUrl, assets: assets.urls }),
        );
      });
    },
  );

  // Partners load it from their own pages: a cross-origin script, at an address that never
  // changes, so it is cached for an hour rather than for ever.
  app.get('/widget.js', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('content-type', assets.host.type)
      .header('cache-control', 'public, max-age=3600')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(assets.host.body),
  );

  app.get(
    '/oembed',
    {
      schema: {
        tags: ['widget'],
        summary: 'oEmbed (type rich) for a live page or a post: the widget snippet and its size',
        querystring: OEmbedQuery,
      },
    },
    async (request, reply) => {
      requireJson(request.query.format);
      const { page, post } = await findEmbedded(services, request.query.url, publicUrl);
      return reply
        .header('cache-control', 'public, max-age=300, s-maxage=300')
        .header('access-control-allow-origin', '*')
        .send(presentOEmbed({ page, post, query: request.query, publicUrl }));
    },
  );
};
