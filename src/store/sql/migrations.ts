import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { Codec } from './codec.ts';
import { tokensMigration } from './migration-tokens.ts';

/**
 * The schema, as ordered migrations shared by SQLite and PostgreSQL. Only the column types
 * that the two databases spell differently come from the adapter's codec. Append new
 * migrations; never edit one that has shipped.
 */
function migrations(codec: Codec): Record<string, Migration> {
  const json = sql.raw(codec.columnTypes.json);
  const time = sql.raw(codec.columnTypes.time);
  const bool = sql.raw(codec.columnTypes.bool);

  return {
    '0001-core': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('api_tokens')
          .addColumn('hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('created_at', time, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('pages')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('slug', 'text', (c) => c.notNull().unique())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('summary', json, (c) => c.notNull())
          .addColumn('lead_media', json)
          .addColumn('time_zone', 'text', (c) => c.notNull())
          .addColumn('text_format', json, (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('last_seq', 'integer', (c) => c.notNull())
          .addColumn('post_count', 'integer', (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('updated_at', time, (c) => c.notNull())
          .addColumn('started_at', time)
          .addColumn('ended_at', time)
          .execute();

        await db.schema
          .createTable('posts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('page_id', 'text', (c) => c.notNull().references('pages.id'))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('headline', 'text', (c) => c.notNull())
          .addColumn('published_at', time, (c) => c.notNull())
          .addColumn('labels', json, (c) => c.notNull())
          .addColumn('pinned', bool, (c) => c.notNull())
          .addColumn('contributors', json, (c) => c.notNull())
          .addColumn('body', json, (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('updated_at', time, (c) => c.notNull())
          .addColumn('author_id', 'text', (c) => c.references('users.id'))
          .execute();

        // Serves the reader's order (pinned first, then newest first) for one page's
        // published posts, so page N is an index range scan whatever the page's size.
        await db.schema
          .createIndex('posts_stream')
          .on('posts')
          .columns(['page_id', 'status', 'pinned', 'published_at', 'id'])
          .execute();

        await db.schema
          .createTable('changes')
          .addColumn('page_id', 'text', (c) => c.notNull().references('pages.id'))
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('post_id', 'text')
          .addColumn('at', time, (c) => c.notNull())
          .addColumn('data', json, (c) => c.notNull())
          .addPrimaryKeyConstraint('changes_pk', ['page_id', 'seq'])
          .execute();

        await db.schema
          .createTable('idempotency_keys')
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('fingerprint', 'text', (c) => c.notNull())
          .addColumn('status', 'integer', (c) => c.notNull())
          .addColumn('body', json, (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
          .execute();
      },
    },
    '0003-tokens': tokensMigration(codec),
  };
}

/** Brings the database up to the newest schema; safe to run on every start. */
export async function migrate(db: Kysely<unknown>, codec: Codec, schema?: string): Promise<void> {
  const all = migrations(codec);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => all },
    // Kysely looks for its own tables in every schema unless told which: with two schemas
    // migrating at once (the tests) it saw the other's lock table and skipped creating its own.
    ...(schema !== undefined && { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}
