import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { Codec } from './codec.ts';
import { auditMigration } from './migration-audit.ts';
import { peopleMigration } from './migration-people.ts';
import { pushMigration } from './migration-push.ts';
import { pushStrikesMigration } from './migration-push-strikes.ts';
import { tokensMigration } from './migration-tokens.ts';
import { workflowMigration } from './migration-workflow.ts';
import { webhooksMigration } from './migration-webhooks.ts';
import { mediaMigration } from './migration-media.ts';

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

    '0002-write-safety': {
      async up(db: Kysely<unknown>) {
        // Replayed idempotent answers carry the headers of the first (Location...).
        await db.schema
          .alterTable('idempotency_keys')
          .addColumn('headers', json, (c) => c.notNull().defaultTo('{}'))
          .execute();

        // Races before this migration could leave several pinned posts on a page: keep the
        // newest, then let the database refuse a second one from now on.
        await sql`
          UPDATE posts SET pinned = ${sql.lit(false)}
          WHERE status = 'published' AND pinned AND id <> (
            SELECT p.id FROM posts p
            WHERE p.page_id = posts.page_id AND p.status = 'published' AND p.pinned
            ORDER BY p.published_at DESC, p.id DESC LIMIT 1)`.execute(db);
        await db.schema
          .createIndex('posts_one_pinned')
          .on('posts')
          .column('page_id')
          .unique()
          .where(sql.ref('status'), '=', 'published')
          .where(sql.ref('pinned'), '=', sql.lit(true))
          .execute();

        // ...and could leave a page's count of published posts off the truth.
        await sql`
          UPDATE pages SET post_count = (
            SELECT count(*) FROM posts
            WHERE posts.page_id = pages.id AND posts.status = 'published')`.execute(db);

        // Superseding a post's earlier entries finds them by post.
        await db.schema
          .createIndex('changes_by_post')
          .on('changes')
          .columns(['page_id', 'post_id', 'seq'])
          .execute();
        await supersedeHistory(db, codec);
      },
    },

    '0003-tokens': tokensMigration(codec),
    '0004-people': peopleMigration(codec),
    '0005-workflow': workflowMigration(codec),
    '0006-audit': auditMigration(codec),
    '0007-media': mediaMigration(codec),
    // Webhooks and the outbox (ADR 0022).
    '0008-webhooks': webhooksMigration(codec),
    // Push alerts (issue 12, ADR 0023).
    '0009-push': pushMigration(codec),
    '0010-push-strikes': pushStrikesMigration,
  };
}

/**
 * Logs written before 0002 kept every version of a post, deleted ones included: each entry
 * of a post that a later entry of the same post follows becomes a `post.superseded` tombstone.
 */
async function supersedeHistory(db: Kysely<unknown>, codec: Codec): Promise<void> {
  const { rows } = await sql<{ page_id: string; post_id: string; seq: number | string }>`
    SELECT page_id, post_id, seq FROM changes
    WHERE post_id IS NOT NULL AND kind <> 'post.superseded'
    ORDER BY page_id, post_id, seq`.execute(db);
  for (let i = 0; i + 1 < rows.length; i++) {
    const row = rows[i] as (typeof rows)[number];
    const next = rows[i + 1] as (typeof rows)[number];
    if (next.page_id !== row.page_id || next.post_id !== row.post_id) continue;
    const data = { kind: 'post.superseded', postId: row.post_id, supersededBy: Number(next.seq) };
    await sql`
      UPDATE changes SET kind = ${data.kind}, data = ${codec.writeJson(data)}
      WHERE page_id = ${row.page_id} AND seq = ${row.seq}`.execute(db);
  }
}

/**
 * Brings the database up to the newest schema (or to the migration `upTo`, for the tests of a
 * migration); safe to run on every start.
 */
export async function migrate(
  db: Kysely<unknown>,
  codec: Codec,
  options: { upTo?: string } = {},
): Promise<void> {
  const all = migrations(codec);
  // Kysely looks for its own tables in every schema unless told which: a database holding
  // several Liveline schemas (the tests make one each) would find another's and skip its own.
  const schema =
    codec.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]
          ?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => all },
    ...(schema && { migrationTableSchema: schema }),
  });
  const { error, results } = await (options.upTo
    ? migrator.migrateTo(options.upTo)
    : migrator.migrateToLatest());
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}
