import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LivelineError } from '../../domain/errors.ts';
import type { PushAlerts } from '../../push/push-alerts.ts';
import {
  checkEndpoint,
  checkSubscription,
  PushSubscriptionBody,
  UnsubscribeBody,
} from '../../push/subscription.ts';
import { findPage } from '../../services/pages.ts';
import { spend } from '../auth.ts';
import type { HttpDeps } from '../deps.ts';
import { SlugParams } from '../schemas/common.ts';
import { bundleScript } from './assets.ts';
import { addressKey } from '../../net/ip-address.ts';

/** A subscription is under 1 KiB of JSON; nothing anonymous reads more. */
const ALERTS_BODY_LIMIT = 2 * 1024;

/**
 * Push alerts of a live page for anonymous readers (ADR 0023): the VAPID key, subscribe,
 * unsubscribe, and the service worker. Subscribing is hostile ground: a 2 KiB body, a strict
 * schema (https endpoint on an allowed push service, keys of the right sizes, a real P-256
 * point), a per-address limit counted before the body is read, one page read and one small
 * write, and a cap on the pages one endpoint follows. No cookie is read or set.
 */
export const pushRoutes: FastifyPluginAsyncTypebox<HttpDeps & { push: PushAlerts }> = async (
  app,
  { services, push },
) => {
  const perAddress = app.createRateLimit({
    max: push.subscribesPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `alerts|${addressKey(request.ip)}`,
  });
  const limited = {
    bodyLimit: ALERTS_BODY_LIMIT,
    // An anonymous reader's own subscription: not a newsroom write (ADR 0019, 0023).
    config: { audit: false },
    onRequest: (request: Parameters<typeof spend>[1], reply: Parameters<typeof spend>[2]) =>
      spend(perAddress, request, reply, 'Too many alert subscriptions from this address'),
  } as const;

  app.get(
    '/live/:slug/alerts',
    {
      schema: {
        tags: ['reader'],
        hide: true,
        summary: "The key a browser subscribes to this page's alerts with",
        params: SlugParams,
      },
    },
    async (request, reply) => {
      await findPage(services.store, request.params.slug);
      const { publicKey } = await push.vapid();
      reply.header('cache-control', 'public, max-age=300');
      return { publicKey };
    },
  );

  app.post(
    '/live/:slug/alerts',
    {
      ...limited,
      schema: {
        tags: ['reader'],
        hide: true,
        summary: "Alert this browser to the page's breaking news",
        params: SlugParams,
        body: PushSubscriptionBody,
      },
    },
    async (request, reply) => {
      checkSubscription(request.body, push.services);
      const page = await findPage(services.store, request.params.slug);
      const { endpoint, keys } = request.body;
      const outcome = await services.store.push.subscribe(
        { pageId: page.id, endpoint, p256dh: keys.p256dh, auth: keys.auth },
        push.pagesPerEndpoint,
      );
      if (outcome === 'too-many-pages')
        throw new LivelineError(
          'ALERTS_LIMIT_REACHED',
          `This browser already gets alerts from ${push.pagesPerEndpoint} live pages; stop some first.`,
        );
      reply.header('cache-control', 'no-store');
      return reply.code(outcome === 'created' ? 201 : 200).send({ subscribed: true });
    },
  );

  app.delete(
    '/live/:slug/alerts',
    {
      ...limited,
      schema: {
        tags: ['reader'],
        hide: true,
        summary: "Stop this browser's alerts for the page",
        params: SlugParams,
        body: UnsubscribeBody,
      },
    },
    async (request, reply) => {
      checkEndpoint(request.body.endpoint, push.services);
      const page = await findPage(services.store, request.params.slug);
      await services.store.push.unsubscribe(page.id, request.body.endpoint);
      reply.header('cache-control', 'no-store');
      return reply.code(204).send();
    },
  );

  const worker = (await bundleScript('web/alerts-worker/worker.ts')).body;
  const script = (await bundleScript('web/reader/alerts.ts')).body;
  // The reader's opt-in, loaded by the live script only where pushes can work.
  app.get('/alerts.js', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(script),
  );
  app.get('/alerts-worker.js', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      // A service worker's URL cannot change: browsers check it for updates, so no long cache.
      .header('cache-control', 'no-cache')
      .header('service-worker-allowed', '/live/')
      .send(worker),
  );
};
