import { createHmac } from 'node:crypto';

/** The headers of every delivery (docs/webhooks.md shows a receiver checking them). */
export const HEADERS = {
  id: 'liveline-webhook-id',
  timestamp: 'liveline-webhook-timestamp',
  signature: 'liveline-webhook-signature',
} as const;

/**
 * The signature of a delivery: `v1=` and the hex HMAC-SHA256, keyed by the endpoint's
 * secret, of the timestamp (Unix seconds), a dot and the exact body bytes. Signing the time
 * with the body lets a receiver refuse an old delivery replayed to it.
 */
export function sign(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `v1=${mac}`;
}
