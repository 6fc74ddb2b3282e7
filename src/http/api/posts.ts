import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { LivePage } from '../../domain/page.ts';
import type { Post } from '../../domain/post.ts';
import { fingerprint } from '../../services/idempotency.ts';
import {
  deletePost,
  editPost,
  findPost,
  listPostsOf,
  publishPost,
  type PostListing,
} from '../../services/posts.ts';
import { findPage } from '../../services/pages.ts';
import { listPostsAfter, nextCursor, type PostsAfter } from '../../services/post-paging.ts';
import { presentPost } from '../../services/present.ts';
import { actorOf } from '../auth.ts';
import { sendCommitted } from './answer.ts';
import { cacheFor } from '../caching.ts';
import { postsListKey } from '../reader/render-cache.ts';
import type { HttpDeps } from '../deps.ts';
import { BearerAuth, IdempotencyHeaders, PostParams, SlugParams } from '../schemas/common.ts';
import { NewPostBody, PostEditBody, PostListQuery } from '../schemas/posts.ts';

const jsonHeaders = (reply: FastifyReply) =>
  reply.header('content-type', 'application/json; charset=utf-8');

/** /api/pages/{slug}/posts: write, page through, read, edit and delete posts. */
export const postRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (
  app,
  { services, auth, cache },
) => {
  app.post(
    '/api/pages/:slug/posts',
    {
      onRequest: auth.requireUser,
      config: { audit: 'post.publish' },
      schema: {
        tags: ['posts'],
        summary: 'Write a post (published at once unless status is "draft")',
        security: BearerAuth,
        params: SlugParams,
        headers: IdempotencyHeaders,
        body: NewPostBody,
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const key = request.headers['idempotency-key'];
      const answer = (post: Post) => ({
        status: 201,
        headers: { location: `/api/pages/${slug}/posts/${post.id}` },
        body: presentPost(post),
      });
      const result = await publishPost(
        services,
        actorOf(request),
        slug,
        request.body,
        key
          ? { key, fingerprint: fingerprint('POST posts', slug, request.body), answer }
          : undefined,
      );
      return sendCommitted(reply, result, answer);
    },
  );

  app.get(
    '/api/pages/:slug/posts',
    {
      onRequest: auth.identify,
      schema: {
        tags: ['posts'],
        summary: 'Published posts, 20 a page: the pinned post first on page 1, then newest first',
        params: SlugParams,
        querystring: PostListQuery,
      },
    },
    async (request, reply) => {
      cacheFor(request, reply);
      const { slug } = request.params;
      const pageNumber = request.query.page ?? 1;
      const { after } = request.query;
      const present = (listing: PostListing) => ({
        page: listing.pageNumber,
        pageCount: listing.pageCount,
        total: listing.total,
        posts: listing.posts.map(presentPost),
        next: nextCursor(listing.posts, listing.pageNumber < listing.pageCount),
      });
      // Keyset paging (issue 13): the page after a cursor, with no page number.
      const presentAfter = (listing: PostsAfter) => ({
        page: null,
        pageCount: listing.pageCount,
        total: listing.total,
        posts: listing.posts.map(presentPost),
        next: listing.next,
      });
      const read = async (page: LivePage) =>
        after === undefined
          ? present(await listPostsOf(services, page, pageNumber))
          : presentAfter(await listPostsAfter(services, page, after));
      if (request.actor) return read(await findPage(services.store, slug));
      // Anonymous reads are the same for everyone: kept until the live page changes, with
      // every header (security headers included), so the fast path (reader/fast-path.ts)
      // can send exactly this response again.
      const cached = await cache.through(
        postsListKey(slug, after === undefined ? pageNumber : { after }),
        () => findPage(services.store, slug),
        async (page) => JSON.stringify(await read(page)),
        () => jsonHeaders(reply).getHeaders() as OutgoingHttpHeaders,
      );
      return jsonHeaders(reply).header('etag', cached.etag).send(cached.body);
    },
  );

  app.get(
    '/api/pages/:slug/posts/:id',
    {
      onRequest: auth.identify,
      schema: { tags: ['posts'], summary: 'Read one post', params: PostParams },
    },
    async (request, reply) => {
      cacheFor(request, reply);
      const { slug, id } = request.params;
      return presentPost(await findPost(services, slug, id, request.actor));
    },
  );

  app.patch(
    '/api/pages/:slug/posts/:id',
    {
      onRequest: auth.requireUser,
      config: { audit: 'post.edit' },
      schema: {
        tags: ['posts'],
        summary: 'Edit, pin, unpin or publish a post, at the revision you read',
        security: BearerAuth,
        params: PostParams,
        body: PostEditBody,
      },
    },
    async (request) => {
      const { slug, id } = request.params;
      return presentPost(await editPost(services, actorOf(request), slug, id, request.body));
    },
  );

  app.delete(
    '/api/pages/:slug/posts/:id',
    {
      onRequest: auth.requireUser,
      config: { audit: 'post.delete' },
      schema: {
        tags: ['posts'],
        summary: 'Delete a post',
        security: BearerAuth,
        params: PostParams,
      },
    },
    async (request, reply) => {
      const { slug, id } = request.params;
      await deletePost(services, actorOf(request), slug, id);
      return reply.code(204).send();
    },
  );
};
