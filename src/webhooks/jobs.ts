import type { Change } from '../domain/change.ts';
import type { LivePage } from '../domain/page.ts';
import type {
  StoredEvent,
  WebhookEndpoint,
  WebhookEvent,
  WebhookJobPayload,
} from '../domain/webhook.ts';
import { presentChange } from '../services/present.ts';
import type { StoreWriter } from '../store/store.ts';

/** The outbox topic of webhook deliveries. */
export const WEBHOOK_TOPIC = 'webhook';

function wants(endpoint: WebhookEndpoint, page: LivePage, change: Change): boolean {
  if (change.kind === 'post.superseded') return false;
  if (endpoint.pages !== null && !endpoint.pages.includes(page.slug)) return false;
  return endpoint.kinds === null || endpoint.kinds.includes(change.kind);
}

/**
 * What is delivered of `change`, the same for every endpoint and attempt; the page's
 * absolute URL is added as it is sent (src/webhooks/deliverer.ts).
 */
export function eventOf(change: Change, page: LivePage): StoredEvent {
  return {
    id: `${page.id}.${change.seq}`,
    type: change.kind as WebhookEvent['type'],
    at: change.at,
    page: { slug: page.slug, title: page.title },
    change: presentChange(change),
  };
}

/**
 * Enqueues one `webhook` job per (change, endpoint that wants it), in the commit's own
 * transaction (src/services/commit.ts calls it on every commit that logged changes): the
 * deliveries commit with the change or not at all.
 */
export async function enqueueWebhookJobs(
  tx: StoreWriter,
  changes: readonly Change[],
): Promise<void> {
  if (changes.length === 0) return;
  const endpoints = await tx.listWebhooks();
  if (endpoints.length === 0) return;
  const pages = new Map<string, LivePage | null>();
  for (const change of changes) {
    if (!pages.has(change.pageId)) pages.set(change.pageId, await tx.getPageById(change.pageId));
    const page = pages.get(change.pageId);
    if (!page) continue;
    for (const endpoint of endpoints) {
      if (!wants(endpoint, page, change)) continue;
      const payload: WebhookJobPayload = {
        endpointId: endpoint.id,
        event: eventOf(change, page),
      };
      await tx.enqueueJob({ topic: WEBHOOK_TOPIC, payload });
    }
  }
}

/** Why a job that carried a post removed for legal reasons was never sent. */
export const REMOVED_POST_ERROR = 'not sent: the post was removed for legal reasons';

/**
 * Legal removal (docs/corrections.md), in the removal's commit: every webhook job whose event
 * carries the post's words keeps only the change's tombstone (its number, kind, time and the
 * post's id, as a deleted post's change has), a pending one is given up (a receiver must not
 * be sent the words after their removal, nor on a redelivery), and what receivers answered to
 * those jobs is blanked. Jobs that carry no words of it (its `post.deleted`) are left to run.
 */
export async function scrubWebhookJobs(
  tx: Pick<StoreWriter, 'rewriteJobs' | 'blankDeliveryAnswers'>,
  postId: string,
): Promise<void> {
  const change = { topic: WEBHOOK_TOPIC, needle: postId, error: REMOVED_POST_ERROR };
  const rewritten = await tx.rewriteJobs(change, (payload) => {
    const job = payload as WebhookJobPayload;
    const carried = job.event.change as { postId?: unknown; post?: unknown; seq: number };
    if (carried.postId !== postId || carried.post === undefined) return null;
    const { seq, kind, at } = carried as { seq: number; kind: string; at: string };
    return { ...job, removed: true, event: { ...job.event, change: { seq, kind, at, postId } } };
  });
  await tx.blankDeliveryAnswers(rewritten);
}
