import type { Change } from '../domain/change.ts';
import type { ServiceDeps } from './deps.ts';
import { findPage } from './pages.ts';

/** At most this many entries answer one request; clients ask again from the last one. */
export const CHANGES_BATCH = 100;

export interface ChangeBatch {
  changes: Change[];
  /** The sequence number to ask from next time. */
  lastSeq: number;
  /** The newest sequence number of the page when read. */
  latestSeq: number;
  hasMore: boolean;
}

/** The change-log entries of a live page after `since`, oldest first, in a bounded batch. */
export async function changesSince(
  deps: ServiceDeps,
  slug: string,
  since: number,
): Promise<ChangeBatch> {
  const page = await findPage(deps.store, slug);
  const changes = await deps.store.changesSince(page.id, since, CHANGES_BATCH);
  const lastSeq = changes.at(-1)?.seq ?? Math.min(since, page.lastSeq);
  const latestSeq = Math.max(page.lastSeq, lastSeq);
  return { changes, lastSeq, latestSeq, hasMore: lastSeq < latestSeq };
}
