import { createPublicKey, type KeyObject } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { invalid } from '../domain/errors.ts';
import { refuseEndpoint, type PushServices } from './push-services.ts';

/** Endpoints of the push services seen in the wild are under 600 characters. */
export const MAX_ENDPOINT_LENGTH = 1024;

/** How many live pages one browser (one endpoint) may ask alerts of. */
export const DEFAULT_PAGES_PER_ENDPOINT = 20;

/** Subscribes and unsubscribes per client address per minute. */
export const DEFAULT_SUBSCRIBES_PER_MINUTE = 10;

const Endpoint = Type.String({
  minLength: 'https://x'.length,
  maxLength: MAX_ENDPOINT_LENGTH,
  pattern: '^https://',
  description: "The push service's URL for this browser (PushSubscription.endpoint).",
});

/**
 * A browser's PushSubscription as `toJSON()` gives it: `p256dh` is the browser's P-256
 * public key (65 bytes, uncompressed), `auth` its 16-byte secret, both base64url unpadded
 * (RFC 8291).
 */
export const PushSubscriptionBody = Type.Object(
  {
    endpoint: Endpoint,
    expirationTime: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: 0 })])),
    keys: Type.Object(
      {
        p256dh: Type.String({ pattern: '^[A-Za-z0-9_-]{87}$' }),
        auth: Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PushSubscriptionBody = Static<typeof PushSubscriptionBody>;

export const UnsubscribeBody = Type.Object({ endpoint: Endpoint }, { additionalProperties: false });

/** The P-256 public key of an uncompressed point (65 bytes); throws when it is not on the curve. */
export function p256PublicKey(point: Buffer): KeyObject {
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
}

/** True when `key` (base64url) is an uncompressed point on P-256. */
function isP256Point(key: string): boolean {
  const bytes = Buffer.from(key, 'base64url');
  if (bytes.length !== 65 || bytes[0] !== 0x04) return false;
  try {
    p256PublicKey(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * What the schema cannot say: the endpoint is on a push service this site sends to, and the
 * key is a real P-256 point. Throws VALIDATION_FAILED naming the field.
 */
export function checkSubscription(body: PushSubscriptionBody, services: PushServices): void {
  checkEndpoint(body.endpoint, services);
  if (!isP256Point(body.keys.p256dh))
    throw invalid('body/keys/p256dh', 'is not an uncompressed P-256 public key');
}

/** Throws VALIDATION_FAILED when the endpoint is not one this site sends to. */
export function checkEndpoint(endpoint: string, services: PushServices): void {
  const reason = refuseEndpoint(endpoint, services);
  if (reason) throw invalid('body/endpoint', reason);
}
