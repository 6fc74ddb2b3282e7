import { CHANGE_KINDS, type ChangeKind } from './change.ts';

/** The kinds of change a webhook can ask for: every logged kind but the log's own tombstones. */
export const WEBHOOK_KINDS = CHANGE_KINDS.filter(
  (kind): kind is Exclude<ChangeKind, 'post.superseded'> => kind !== 'post.superseded',
);
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

/** An admin's registered receiver of changes (docs/webhooks.md). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  /** Signs every delivery (HMAC-SHA256); stored as given, since signing needs it. */
  secret: string;
  /** The live pages (slugs) whose changes it receives; null: every page. */
  pages: string[] | null;
  /** The kinds of change it receives; null: every kind. */
  kinds: WebhookKind[] | null;
  description: string;
  createdAt: string;
  createdBy: string | null;
  /** Since when it has been failing (a delivery given up after a day of retries); null: healthy. */
  failingSince: string | null;
}

export type NewWebhookEndpoint = Omit<WebhookEndpoint, 'createdAt' | 'failingSince'>;

/** One attempt to deliver one event to one endpoint. */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  /** The outbox job that carried it: a redelivery sends that job's event again. */
  jobId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  at: string;
  outcome: 'delivered' | 'failed';
  /** The receiver's HTTP status; null when none came (refused, timed out, unreachable). */
  statusCode: number | null;
  /** The start of the receiver's answer (at most WEBHOOK_RESPONSE_KEPT characters). */
  responseBody: string;
  error: string | null;
  durationMs: number;
}

/** How much of a receiver's answer is kept to show on the desk. */
export const WEBHOOK_RESPONSE_KEPT = 1024;

/** What the `webhook` topic's job carries: whom to send what. */
export interface WebhookJobPayload {
  endpointId: string;
  event: StoredEvent;
  /** The post it carried was removed for legal reasons: only a tombstone of it is kept. */
  removed?: true;
}

/** An event as its job keeps it: the page's URL is added from PUBLIC_URL when it is sent. */
export type StoredEvent = Omit<WebhookEvent, 'page'> & { page: Omit<WebhookEvent['page'], 'url'> };

/** The JSON body POSTed to an endpoint (docs/webhooks.md). */
export interface WebhookEvent {
  /** Stable per change (page and sequence number): a redelivery repeats it, receivers dedupe. */
  id: string;
  type: WebhookKind;
  /** When the change was logged. */
  at: string;
  page: { slug: string; title: string; url: string };
  /** The change as GET /api/pages/{slug}/changes gives it (presentChange). */
  change: unknown;
}
