import { sql, type Kysely, type Migration } from 'kysely';
import type { Codec } from './codec.ts';

/**
 * 0006-audit: the audit log, one row per committed write (ADR 0019). No foreign keys: an
 * entry outlives what it names (a deleted page or user), and appending it must never fail a
 * write. Read newest first, by page or by acting user, with keyset paging on (at, id): one
 * index per filter, each ending in (at, id).
 */
export function auditMigration(codec: Codec): Migration {
  const time = sql.raw(codec.columnTypes.time);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', time, (c) => c.notNull())
        .addColumn('actor_user_id', 'text')
        .addColumn('actor_token_id', 'text')
        .addColumn('actor_system', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('page_id', 'text')
        .addColumn('post_id', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text')
        .addColumn('address', 'text')
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
      await db.schema
        .createIndex('audit_log_by_page')
        .on('audit_log')
        .columns(['page_id', 'at', 'id'])
        .execute();
      await db.schema
        .createIndex('audit_log_by_actor')
        .on('audit_log')
        .columns(['actor_user_id', 'at', 'id'])
        .execute();
    },
  };
}
