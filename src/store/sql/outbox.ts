import {
  sql,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type Transaction,
} from 'kysely';
import { newId } from '../../domain/ids.ts';
import type { JobOutcome, JobState, NewJob, OutboxJob } from '../../outbox/job.ts';
import type { Codec } from './codec.ts';
import type { Database, OutboxJobsTable } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The SQL of the durable outbox (ADR 0022), shared by SQLite and PostgreSQL. */

function toJob(codec: Codec, row: Selectable<OutboxJobsTable>): OutboxJob {
  return {
    id: row.id,
    topic: row.topic,
    payload: codec.readJson(row.payload),
    attempts: Number(row.attempts),
    nextAt: codec.readTime(row.next_at),
    state: row.state as JobState,
    lastError: row.last_error,
    createdAt: codec.readTime(row.created_at),
    finishedAt: row.finished_at === null ? null : codec.readTime(row.finished_at),
  };
}

export async function enqueueJob(db: Db, codec: Codec, at: string, job: NewJob): Promise<string> {
  const id = newId();
  await db
    .insertInto('outbox_jobs')
    .values({
      id,
      topic: job.topic,
      payload: codec.writeJson(job.payload),
      attempts: 0,
      next_at: job.nextAt ?? at,
      claimed_by: null,
      claimed_until: null,
      state: 'pending',
      last_error: null,
      created_at: at,
      finished_at: null,
    })
    .execute();
  return id;
}

/**
 * Claims up to `limit` pending jobs that are due at `at` and whose lease (if any) has run
 * out, for `owner` until `until`, counting the attempt. On PostgreSQL the candidates are
 * locked with SKIP LOCKED, so concurrent claimers take disjoint sets without waiting; SQLite
 * runs this in a transaction, which holds the one write lock.
 */
export async function claimJobs(
  db: Db,
  codec: Codec,
  claim: { owner: string; at: string; until: string; limit: number },
): Promise<OutboxJob[]> {
  let due = db
    .selectFrom('outbox_jobs')
    .select('id')
    .where('state', '=', 'pending')
    .where('next_at', '<=', claim.at)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', claim.at)]))
    .orderBy('next_at')
    .limit(claim.limit);
  if (codec.dialect === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await db
    .updateTable('outbox_jobs')
    .set((eb) => ({
      claimed_by: claim.owner,
      claimed_until: claim.until,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.map((row) => toJob(codec, row)).sort((a, b) => a.nextAt.localeCompare(b.nextAt));
}

type Claim = { id: string; owner: string; attempts: number };

/** The job is still `owner`'s: pending, claimed by it, at the attempt it claimed. */
function held(job: Claim) {
  return (eb: ExpressionBuilder<Database, 'outbox_jobs'>) =>
    eb.and([
      eb('id', '=', job.id),
      eb('claimed_by', '=', job.owner),
      eb('attempts', '=', job.attempts),
      eb('state', '=', 'pending'),
    ]);
}

/**
 * Records how `owner`'s claim of a job ended; false (nothing written) when the claim is no
 * longer its own: its lease ran out and another instance claimed the job since.
 */
export async function finishJob(
  db: Db,
  at: string,
  job: Claim,
  outcome: JobOutcome,
): Promise<boolean> {
  const result = await db
    .updateTable('outbox_jobs')
    .set({
      state: outcome.state,
      claimed_by: null,
      claimed_until: null,
      last_error: outcome.state === 'done' ? null : outcome.error,
      ...(outcome.state === 'pending' ? { next_at: outcome.nextAt } : { finished_at: at }),
    })
    .where(held(job))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Extends `owner`'s claim of a running job to `until`; false when the claim is no longer its
 * own (it ran out and another instance claimed the job, or the job was given up meanwhile).
 */
export async function renewClaim(db: Db, job: Claim, until: string): Promise<boolean> {
  const result = await db
    .updateTable('outbox_jobs')
    .set({ claimed_until: until })
    .where(held(job))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function getJob(db: Db, codec: Codec, id: string): Promise<OutboxJob | null> {
  const row = await db
    .selectFrom('outbox_jobs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toJob(codec, row) : null;
}

/**
 * Rewrites the payload of each `topic` job that `rewrite` says carries `needle` (it returns the
 * new payload, or null for a job that only mentions it); a pending one is given up with
 * `error`, so it never runs. A text search over the topic's jobs: for legal removal, which is
 * rare, never for a hot path. The ids of the jobs rewritten.
 */
export async function rewriteJobs(
  db: Db,
  codec: Codec,
  at: string,
  change: { topic: string; needle: string; error: string },
  rewrite: (payload: unknown) => unknown,
): Promise<string[]> {
  const rows = await db
    .selectFrom('outbox_jobs')
    .select(['id', 'payload', 'state'])
    .where('topic', '=', change.topic)
    .where(sql<string>`cast(payload as text)`, 'like', `%${change.needle}%`)
    .execute();
  const rewritten: string[] = [];
  for (const row of rows) {
    const payload = rewrite(codec.readJson(row.payload));
    if (payload === null) continue;
    const givenUp = row.state === 'pending';
    await db
      .updateTable('outbox_jobs')
      .set({
        payload: codec.writeJson(payload),
        ...(givenUp && {
          state: 'failed',
          last_error: change.error,
          finished_at: at,
          claimed_by: null,
          claimed_until: null,
        }),
      })
      .where('id', '=', row.id)
      .execute();
    rewritten.push(row.id);
  }
  return rewritten;
}
