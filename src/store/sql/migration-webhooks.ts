import { sql, type Kysely, type Migration } from 'kysely';
import type { Codec } from './codec.ts';

/**
 * 0008-webhooks: the durable outbox (generic: a job per topic) and the webhook endpoints and
 * their deliveries (ADR 0022). Jobs are found by (state, next_at): the runner's claim is a
 * range scan of the pending ones that are due. Deliveries are read per endpoint, newest first.
 */
export function webhooksMigration(codec: Codec): Migration {
  const time = sql.raw(codec.columnTypes.time);
  const json = sql.raw(codec.columnTypes.json);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('outbox_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('payload', json, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_at', time, (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_until', time)
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('finished_at', time)
        .execute();
      await db.schema
        .createIndex('outbox_jobs_due')
        .on('outbox_jobs')
        .columns(['state', 'next_at'])
        .execute();

      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('pages', json)
        .addColumn('kinds', json)
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('failing_since', time)
        .execute();

      // No foreign keys: a delivery's record outlives a deleted endpoint's job, and the
      // runner writes it outside any use case's transaction.
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('endpoint_id', 'text', (c) => c.notNull())
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('at', time, (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('response_body', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_by_endpoint')
        .on('webhook_deliveries')
        .columns(['endpoint_id', 'at', 'id'])
        .execute();
    },
  };
}
