import { newId } from '../domain/ids.ts';
import {
  WEBHOOK_RESPONSE_KEPT,
  type WebhookDelivery,
  type WebhookEvent,
  type WebhookJobPayload,
} from '../domain/webhook.ts';
import type { OutboxJob } from '../outbox/job.ts';
import type { JobHandler } from '../outbox/runner.ts';
import { livePath } from '../render/urls.ts';
import type { Store } from '../store/store.ts';
import type { PrivateAllowance } from './address-guard.ts';
import { send, type SendResult } from './send.ts';
import { HEADERS, sign } from './signature.ts';

export interface WebhookSettings {
  /** Which non-public addresses an admin allows (WEBHOOKS_ALLOW_PRIVATE); 'none' by default. */
  allowance: PrivateAllowance;
  /** One attempt's limit (WEBHOOKS_TIMEOUT_MS). */
  timeoutMs: number;
  /** The most bytes of a receiver's answer read. */
  maxResponseBytes: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowance: 'none',
  timeoutMs: 10_000,
  maxResponseBytes: 64 * 1024,
};

/** The JSON body sent for a stored event. */
export function bodyOf(event: WebhookJobPayload['event'], publicUrl: string): WebhookEvent {
  return { ...event, page: { ...event.page, url: `${publicUrl}${livePath(event.page.slug)}` } };
}

/**
 * The handler of the outbox's `webhook` topic: signs and POSTs one event to one endpoint,
 * records the attempt (the desk shows it), and throws when it failed so the outbox retries.
 * A job whose endpoint was deleted is done: there is no one left to tell.
 */
export function webhookDeliverer(deps: {
  store: Store;
  now: () => Date;
  publicUrl: string;
  settings: WebhookSettings;
}): JobHandler {
  const { store, now, settings } = deps;
  return {
    async run(job: OutboxJob) {
      const { endpointId, event } = job.payload as WebhookJobPayload;
      const endpoint = await store.getWebhook(endpointId);
      if (!endpoint) return;
      const body = JSON.stringify(bodyOf(event, deps.publicUrl));
      const started = now();
      const timestamp = Math.floor(started.getTime() / 1000);
      let result: SendResult | null = null;
      let error: string | null = null;
      try {
        result = await send(
          new URL(endpoint.url),
          {
            'content-type': 'application/json',
            'user-agent': 'Liveline-Webhooks/1',
            [HEADERS.id]: event.id,
            [HEADERS.timestamp]: String(timestamp),
            [HEADERS.signature]: sign(endpoint.secret, timestamp, body),
          },
          body,
          settings,
        );
        if (result.statusCode < 200 || result.statusCode > 299)
          error = `the receiver answered ${result.statusCode}`;
      } catch (caught) {
        error = caught instanceof Error ? caught.message : String(caught);
      }
      const delivery: WebhookDelivery = {
        id: newId(),
        endpointId,
        jobId: job.id,
        eventId: event.id,
        eventType: event.type,
        attempt: job.attempts,
        at: started.toISOString(),
        outcome: error === null ? 'delivered' : 'failed',
        statusCode: result?.statusCode ?? null,
        responseBody: (result?.body ?? '').slice(0, WEBHOOK_RESPONSE_KEPT),
        error,
        durationMs: now().getTime() - started.getTime(),
      };
      // Recorded under the page's lock (a slug never changes), which a legal removal holds
      // while it scrubs the page's jobs and blanks their answers: the job is read again there,
      // so an attempt under way when the post was removed is recorded without its answer,
      // whichever commits first. (Checked after the commit instead, a removal committing
      // between the two missed it on PostgreSQL. What was sent cannot be recalled.)
      await store.transaction(async (tx) => {
        await tx.lockPage(event.page.slug);
        const current = (await tx.getJob(job.id))?.payload as WebhookJobPayload | undefined;
        await tx.insertDelivery(current?.removed ? { ...delivery, responseBody: '' } : delivery);
        if (error === null && endpoint.failingSince !== null)
          await tx.markWebhookFailing(endpointId, false);
      });
      if (error !== null) throw new Error(error);
    },
    async gaveUp(job: OutboxJob) {
      const { endpointId } = job.payload as WebhookJobPayload;
      await store.transaction((tx) => tx.markWebhookFailing(endpointId, true));
    },
  };
}
