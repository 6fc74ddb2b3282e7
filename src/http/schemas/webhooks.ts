import { Type } from '@sinclair/typebox';
import { WEBHOOK_KINDS } from '../../domain/webhook.ts';
import { PostId, Slug } from './common.ts';

/** An endpoint to register (docs/webhooks.md). */
export const NewWebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL to POST to' }),
    secret: Type.Optional(
      Type.String({
        minLength: 16,
        maxLength: 200,
        pattern: '^[\\x21-\\x7e]+$',
        description: 'Signs every delivery; made for you (and shown once) when left out',
      }),
    ),
    pages: Type.Optional(
      Type.Union([Type.Null(), Type.Array(Slug, { minItems: 1, maxItems: 100 })], {
        description: 'Slugs of the live pages whose changes to send; null or absent: every page',
      }),
    ),
    kinds: Type.Optional(
      Type.Union([
        Type.Null(),
        Type.Array(Type.Union(WEBHOOK_KINDS.map((kind) => Type.Literal(kind))), {
          minItems: 1,
          maxItems: WEBHOOK_KINDS.length,
        }),
      ]),
    ),
    description: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const WebhookParams = Type.Object({ id: PostId }, { additionalProperties: false });
export const DeliveryParams = Type.Object(
  { id: PostId, deliveryId: PostId },
  { additionalProperties: false },
);
