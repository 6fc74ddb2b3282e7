import type { Agent } from 'node:https';
import webpush, { WebPushError } from 'web-push';
import type { PushStore, PushSubscriptionRecord } from '../store/push-store.ts';
import type { AlertPayload } from './alert.ts';
import type { Vapid } from './vapid-keys.ts';

/** What sending needs: where subscriptions live, the VAPID identity, how to reach push services. */
export interface SenderDeps {
  store: PushStore;
  vapid: () => Promise<Vapid>;
  /** Resolves only to allowed addresses and trusts the operator's CA (push-services.ts). */
  agent: Agent;
  log: { warn(details: object, message: string): void };
  /** How long a push service keeps an undelivered alert (seconds): breaking news goes stale. */
  ttlSeconds?: number;
  /** Pushes in flight at once for one alert. */
  concurrency?: number;
  /** Per push request. */
  timeoutMs?: number;
}

/** What one alert came to. */
export interface Delivery {
  sent: number;
  /** Subscriptions the push service said are gone (404/410), now removed. */
  gone: number;
  failed: number;
  /** Of the failed, subscriptions refused as their own fault `STRIKES` alerts in a row, now removed. */
  struckOff: number;
}

const BATCH = 500;

/**
 * Alerts in a row a push service may refuse as the subscription's own fault before it is
 * removed: a subscription made for another VAPID key (403), keys a browser garbled (400) or
 * one the service will not take (413) fails the same way every time, and would otherwise cost
 * a request on every alert for ever.
 */
export const STRIKES = 3;

/**
 * A refusal that is the subscription's fault: a 4xx other than "gone" (handled apart), "too
 * many requests" and "request timeout", which are the service's moment, not the subscription's.
 * A 5xx, a timeout or a broken connection strikes no one.
 */
function subscriptionsFault(status: number | null): boolean {
  return status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * Sends `payload` to every subscription of the page, encrypted for each browser (RFC 8291,
 * aes128gcm) and signed with the site's VAPID key, at most `concurrency` at a time, with
 * `Urgency: high` and a TTL; removes the subscriptions the push service says are gone, and
 * those it refused as their own fault `STRIKES` alerts in a row. One failing push never stops
 * the others; `stop` does (the outbox's claim of the job was lost: another instance sends
 * it). The outbox (topic `push`) calls this for each job.
 */
export async function deliverAlert(
  deps: SenderDeps,
  pageId: string,
  payload: AlertPayload,
  stop?: AbortSignal,
): Promise<Delivery> {
  const vapid = await deps.vapid();
  const body = JSON.stringify(payload);
  const result: Delivery = { sent: 0, gone: 0, failed: 0, struckOff: 0 };
  const sendOne = async (subscription: PushSubscriptionRecord) => {
    try {
      await webpush.sendNotification(
        {
          endpoint: subscription.endpoint,
          keys: { p256dh: subscription.p256dh, auth: subscription.auth },
        },
        body,
        {
          vapidDetails: vapid,
          TTL: deps.ttlSeconds ?? 3600,
          urgency: 'high',
          contentEncoding: 'aes128gcm',
          timeout: deps.timeoutMs ?? 10_000,
          agent: deps.agent,
        },
      );
      result.sent++;
      if (subscription.strikes > 0) await deps.store.clearStrikes(subscription.id);
    } catch (error) {
      const status = error instanceof WebPushError ? error.statusCode : null;
      if (status === 404 || status === 410) {
        await deps.store.removeSubscription(subscription.id);
        result.gone++;
        return;
      }
      result.failed++;
      const struckOff =
        subscriptionsFault(status) && (await deps.store.strike(subscription.id, STRIKES));
      if (struckOff) result.struckOff++;
      // The endpoint is the reader's capability: logged by subscription id only.
      deps.log.warn(
        {
          subscription: subscription.id,
          status,
          struckOff,
          reason: error instanceof Error ? error.message.slice(0, 200) : String(error),
        },
        'a push alert was not accepted',
      );
    }
  };
  let after: string | null = null;
  for (;;) {
    const batch = await deps.store.subscriptionsOf(pageId, after, BATCH);
    await inPool(batch, deps.concurrency ?? 16, sendOne, stop);
    if (batch.length < BATCH || stop?.aborted) break;
    after = (batch.at(-1) as PushSubscriptionRecord).id;
  }
  return result;
}

/** Runs `work` over `items` with at most `size` at once, taking no more once `stop` aborts. */
async function inPool<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<void>,
  stop?: AbortSignal,
) {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop?.aborted) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
}
