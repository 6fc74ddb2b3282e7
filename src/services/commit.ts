import type { Change, ChangeData } from '../domain/change.ts';
import { LivelineError } from '../domain/errors.ts';
import type { LivePage } from '../domain/page.ts';
import { IdempotencyConflict, type StoreWriter } from '../store/store.ts';
import { currentAudit } from './audit-context.ts';
import { CommitAudit } from './audit-record.ts';
import { announce, type ServiceDeps } from './deps.ts';
import type { Answer, IdempotencyRequest } from './idempotency.ts';
import { enqueuePushJobs } from '../push/jobs.ts';
import { enqueueWebhookJobs } from '../webhooks/jobs.ts';

/**
 * What a use case may do inside a commit: read and write through the store, and log changes
 * only through `log`, which keeps the log free of superseded text. Locking and idempotency
 * records belong to the commit itself.
 */
export interface Work {
  tx: Omit<
    StoreWriter,
    'appendChange' | 'supersedeChanges' | 'lockPage' | 'saveIdempotentResponse' | 'appendAudit'
  >;
  /**
   * Appends a change-log entry. An entry about a post supersedes that post's earlier entries
   * in the same transaction: the log keeps only the post's current state (or its tombstone).
   */
  log(pageId: string, postId: string | null, data: ChangeData): Promise<Change>;
}

/** The value of a committed write, or the stored answer of the first request with its key. */
export type Committed<T> = { replayed: false; value: T } | { replayed: true; answer: Answer };

/** An idempotent request of one user. */
export type KeyedRequest<T> = IdempotencyRequest<T> & { userId: string };

interface Options<T> {
  idempotency?: KeyedRequest<T> | undefined;
}

async function storedAnswer<T>(
  deps: ServiceDeps,
  request: KeyedRequest<T> | undefined,
): Promise<Committed<T> | null> {
  if (!request) return null;
  const stored = await deps.store.getIdempotentResponse(request.userId, request.key);
  if (!stored) return null;
  if (stored.fingerprint !== request.fingerprint) throw new LivelineError('IDEMPOTENCY_KEY_REUSED');
  const { status, headers, body } = stored;
  return { replayed: true, answer: { status, headers, body } };
}

/**
 * THE write path. In one transaction: `work` (after `lock`, when the write is on a live page),
 * its change-log entries, and with an Idempotency-Key the answer the route gives for the
 * value. Then it commits, and only then announces the newest sequence number on the bus (after
 * EVERY commit on a page, so desks hear of drafts too): a
 * reader that misses the notice catches up from the log. A repeated key gets the first
 * answer and writes nothing, even when the two requests race. When an audit context is set
 * (who acts, under what action name), the commit's audit entry is appended in the same
 * transaction, from the writes the work made (ADR 0019). Every logged change also gets its
 * outbox jobs (webhook deliveries, push alerts) in the same transaction (ADR 0022).
 */
async function run<T>(
  deps: ServiceDeps,
  options: Options<T>,
  work: (w: Work, tx: StoreWriter) => Promise<T>,
  locked: { page: LivePage | null } = { page: null },
): Promise<Committed<T>> {
  const request = options.idempotency;
  const earlier = await storedAnswer(deps, request);
  if (earlier) return earlier;
  const logged: Change[] = [];
  let value: T;
  try {
    value = await deps.store.transaction(async (store) => {
      logged.length = 0;
      const context = currentAudit();
      const audit = context && new CommitAudit(context, deps.now);
      const tx = audit ? audit.watch(store) : store;
      const log = async (pageId: string, postId: string | null, data: ChangeData) => {
        const change = await tx.appendChange(pageId, postId, data);
        if (postId !== null) await tx.supersedeChanges(pageId, postId, change.seq);
        logged.push(change);
        return change;
      };
      const result = await work({ tx, log }, tx);
      // The durable outbox (ADR 0022): what must follow these changes commits with them.
      await enqueueWebhookJobs(store, logged);
      await enqueuePushJobs(store, logged);
      if (request) {
        await tx.saveIdempotentResponse(request.userId, request.key, {
          fingerprint: request.fingerprint,
          ...request.answer(result),
        });
      }
      await audit?.append(store, logged);
      return result;
    });
  } catch (error) {
    // A concurrent request with the same key committed first: ours rolled back whole.
    if (error instanceof IdempotencyConflict) {
      const first = await storedAnswer(deps, request);
      if (first) return first;
    }
    throw error;
  }
  if (logged.length > 0) await announce(deps, logged);
  // A write on a page that readers do not see (a draft) still tells the desks: every commit
  // on a page is announced, at the page's sequence number when it logged nothing. The
  // public fan-out ignores a notice that is not newer than what it has sent.
  else if (locked.page)
    await deps.bus.announce({ pageId: locked.page.id, seq: locked.page.lastSeq });
  return { replayed: false, value };
}

/** A write that is on no existing live page (a new page, an import, a token). */
export function commit<T>(
  deps: ServiceDeps,
  work: (w: Work) => Promise<T>,
  options: Options<T> = {},
): Promise<Committed<T>> {
  return run(deps, options, (w) => work(w));
}

/**
 * A write on the live page `slug`: its row is locked before anything is read, so concurrent
 * writers of one page take turns and each sees what the one before it committed.
 */
export function commitOnPage<T>(
  deps: ServiceDeps,
  slug: string,
  work: (w: Work, page: LivePage) => Promise<T>,
  options: Options<T> = {},
): Promise<Committed<T>> {
  const locked: { page: LivePage | null } = { page: null };
  return run(
    deps,
    options,
    async (w, tx) => {
      const page = await tx.lockPage(slug);
      if (!page) throw new LivelineError('PAGE_NOT_FOUND', `No live page has the slug "${slug}".`);
      locked.page = page;
      return work(w, page);
    },
    locked,
  );
}

/** A write on no live page and without an Idempotency-Key (people, sessions, tokens): its value. */
export async function commitValue<T>(deps: ServiceDeps, work: (w: Work) => Promise<T>): Promise<T> {
  return valueOf(await commit(deps, work));
}

/** The value of a write made without an Idempotency-Key (it cannot be a replay). */
export function valueOf<T>(committed: Committed<T>): T {
  if (committed.replayed) throw new Error('a write without an Idempotency-Key was replayed');
  return committed.value;
}
