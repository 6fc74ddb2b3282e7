import type { Change } from '../domain/change.ts';
import type { JobHandler } from '../outbox/runner.ts';
import type { Store, StoreWriter } from '../store/store.ts';
import { alertedPost, alertPayload, isAlertable, isFresh } from './alert.ts';
import { deliverAlert, type Delivery, type SenderDeps } from './sender.ts';

/** The outbox topic of push alerts (ADR 0022, 0023). */
export const PUSH_TOPIC = 'push';

/** What a `push` job holds: which post to alert. Its text is read when it is sent. */
export interface PushJobPayload {
  pageId: string;
  postId: string;
}

/**
 * Enqueues one `push` job per post a logged change makes an alert (src/services/commit.ts
 * calls it in every commit's transaction, beside the webhooks). The post's alert is claimed
 * in the same transaction, so a post is alerted once, however often it is edited, and the job
 * commits with the change or not at all.
 */
export async function enqueuePushJobs(tx: StoreWriter, changes: readonly Change[]): Promise<void> {
  for (const change of changes) {
    const post = alertedPost(change);
    if (!post || !(await tx.claimAlert(change.pageId, post.id))) continue;
    const payload: PushJobPayload = { pageId: change.pageId, postId: post.id };
    await tx.enqueueJob({ topic: PUSH_TOPIC, payload });
  }
}

/**
 * Sends a `push` job's alert: the post as it is now (an edit made since is what readers see;
 * a post unpublished, removed or no longer Breaking alerts no one, nor one that stopped being
 * news while the job waited). A push service refusing one subscription is that
 * subscription's failure, not the job's; only a fault of our own (the database) retries it.
 */
export function pushJobHandler(
  deps: SenderDeps & {
    pages: Pick<Store, 'getPageById' | 'getPost'>;
    baseUrl: string;
    now: () => Date;
    onDelivered?: (delivery: Delivery) => void;
  },
): JobHandler {
  return {
    async run(job, lost) {
      const { pageId, postId } = job.payload as PushJobPayload;
      const page = await deps.pages.getPageById(pageId);
      const post = page ? await deps.pages.getPost(pageId, postId) : null;
      if (!page || !post || !isFresh(post, deps.now()) || !isAlertable(post)) return;
      const alert = alertPayload(post, page, deps.baseUrl);
      // Sent first: an optional call (`f?.(await x)`) skips its arguments when f is absent.
      const delivery = await deliverAlert(deps, page.id, alert, lost);
      deps.onDelivered?.(delivery);
    },
  };
}
