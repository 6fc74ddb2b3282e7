import { sql, type Kysely, type Migration } from 'kysely';
import type { Codec } from './codec.ts';

/**
 * 0009-push: readers' Web Push subscriptions per live page, the site's VAPID key pair when
 * it is not configured (generated once, shared by every instance), and the posts already
 * alerted (one row per post: an alert is claimed once, never sent twice). ADR 0023.
 */
export function pushMigration(codec: Codec): Migration {
  const time = sql.raw(codec.columnTypes.time);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('push_subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('page_id', 'text', (c) => c.notNull().references('pages.id'))
        .addColumn('endpoint', 'text', (c) => c.notNull())
        .addColumn('p256dh', 'text', (c) => c.notNull())
        .addColumn('auth', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addUniqueConstraint('push_subscriptions_page_endpoint', ['page_id', 'endpoint'])
        .execute();
      // The cap of pages per endpoint is counted off this index.
      await db.schema
        .createIndex('push_subscriptions_endpoint')
        .on('push_subscriptions')
        .column('endpoint')
        .execute();
      await db.schema
        .createTable('push_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('private_key', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('push_alerts')
        .addColumn('page_id', 'text', (c) => c.notNull())
        .addColumn('post_id', 'text', (c) => c.notNull())
        .addColumn('at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('push_alerts_pk', ['page_id', 'post_id'])
        .execute();
    },
  };
}
