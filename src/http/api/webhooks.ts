import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentDelivery, presentWebhook } from '../../services/present.ts';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  redeliver,
  webhookDeliveries,
} from '../../services/webhooks.ts';
import type { PrivateAllowance } from '../../webhooks/address-guard.ts';
import { actorOf } from '../auth.ts';
import type { HttpDeps } from '../deps.ts';
import { BearerAuth } from '../schemas/common.ts';
import { DeliveryParams, NewWebhookBody, WebhookParams } from '../schemas/webhooks.ts';

export interface WebhookRouteDeps extends HttpDeps {
  /** `/api/webhooks` (bearer tokens, in the OpenAPI document) or `/desk/api/webhooks`. */
  base: '/api/webhooks' | '/desk/api/webhooks';
  allowance: PrivateAllowance;
}

/**
 * Webhook endpoints, for admins (docs/webhooks.md): the same routes for programs under
 * /api/webhooks and for the desk under /desk/api/webhooks (session and CSRF token).
 */
export const webhookRoutes: FastifyPluginAsyncTypebox<WebhookRouteDeps> = async (
  app,
  { services, auth, base, allowance },
) => {
  const desk = base === '/desk/api/webhooks';
  const doc = desk ? { tags: ['desk'], hide: true } : { tags: ['webhooks'], security: BearerAuth };

  app.get(
    base,
    { onRequest: auth.requireUser, schema: { ...doc, summary: 'Webhook endpoints (admins)' } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { webhooks: (await listWebhooks(services, actorOf(request))).map(presentWebhook) };
    },
  );

  app.post(
    base,
    {
      onRequest: auth.requireUser,
      config: { audit: 'webhook.create' },
      schema: {
        ...doc,
        summary: 'Register a webhook endpoint; the answer carries its secret, shown only once',
        body: NewWebhookBody,
      },
    },
    async (request, reply) => {
      const endpoint = await createWebhook(services, actorOf(request), request.body, allowance);
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .header('location', `${base}/${endpoint.id}`)
        .send({ webhook: presentWebhook(endpoint), secret: endpoint.secret });
    },
  );

  app.get(
    `${base}/:id`,
    {
      onRequest: auth.requireUser,
      schema: {
        ...doc,
        summary: 'A webhook endpoint and its latest deliveries',
        params: WebhookParams,
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { endpoint, deliveries } = await webhookDeliveries(
        services,
        actorOf(request),
        request.params.id,
      );
      return { webhook: presentWebhook(endpoint), deliveries: deliveries.map(presentDelivery) };
    },
  );

  app.delete(
    `${base}/:id`,
    {
      onRequest: auth.requireUser,
      config: { audit: 'webhook.delete' },
      schema: { ...doc, summary: 'Remove a webhook endpoint', params: WebhookParams },
    },
    async (request, reply) => {
      await deleteWebhook(services, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    `${base}/:id/deliveries/:deliveryId/redeliver`,
    {
      onRequest: auth.requireUser,
      config: { audit: 'webhook.redeliver' },
      schema: { ...doc, summary: "Send a delivery's event again", params: DeliveryParams },
    },
    async (request, reply) => {
      const { id, deliveryId } = request.params;
      const job = await redeliver(services, actorOf(request), id, deliveryId);
      return reply.code(202).send({ job });
    },
  );
};
