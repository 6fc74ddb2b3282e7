import type { Change } from '../domain/change.ts';
import type { Store } from '../store/store.ts';
import { alertOf } from './alert.ts';
import { deliverAlert, type Delivery, type SenderDeps } from './sender.ts';

/**
 * Sends push alerts for changes that have committed, in this process, after the commit (the
 * commit path calls `afterCommit`). Each alert is claimed once in the database first, so a
 * post is never alerted twice. This is the part the durable outbox replaces (ADR 0023):
 * there, the claim becomes a job of topic `push` written in the commit's transaction and this
 * class goes; `alertOf` and `deliverAlert` stay.
 */
export class PushOnCommit {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deps: SenderDeps & {
      pages: Pick<Store, 'getPageById'>;
      baseUrl: string;
      onDelivered?: (delivery: Delivery) => void;
      log: SenderDeps['log'] & { error(details: object, message: string): void };
    },
  ) {}

  /** Never waits and never throws: the write is done; an alert that fails is logged. */
  afterCommit = (changes: readonly Change[]): void => {
    if (!changes.some(mayAlert)) return;
    const job = this.alert(changes).catch((err: unknown) =>
      this.deps.log.error({ err }, 'push alerts failed'),
    );
    this.running.add(job);
    void job.finally(() => this.running.delete(job));
  };

  /** Resolves when every alert started so far is sent (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async alert(changes: readonly Change[]): Promise<void> {
    const first = changes.find(mayAlert);
    if (!first) return;
    const page = await this.deps.pages.getPageById(first.pageId);
    if (!page) return;
    for (const change of changes) {
      const payload = alertOf(change, page, this.deps.baseUrl);
      if (!payload) continue;
      if (!(await this.deps.store.claimAlert(page.id, payload.postId))) continue;
      const delivery = await deliverAlert(this.deps, page.id, payload);
      this.deps.onDelivered?.(delivery);
    }
  }
}

/** A cheap look before any read: only post entries can be alerts. */
function mayAlert(change: Change): boolean {
  return change.kind === 'post.published' || change.kind === 'post.edited';
}
