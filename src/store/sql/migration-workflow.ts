import { sql, type Kysely, type Migration } from 'kysely';
import type { Codec } from './codec.ts';

/**
 * 0005-workflow: the editorial workflow.
 * - Pages say whether contributors' posts go to review (`review_mode`) and may be scheduled
 *   to go live (`scheduled_for`).
 * - Posts may wait for review (status `submitted`) or for their time (status `scheduled`,
 *   `scheduled_for`), carry the note an editor returned them with (`review_note`), their
 *   public corrections (`corrections`) and, once legally removed, who removed them, when and
 *   why (`removal`).
 * - `post_history` keeps every step of a post: who, when, what (submitted, approved, edited,
 *   corrected...), which fields changed, and the post's content at that revision, so the
 *   desk can show a diff. A legally removed version keeps its step but not its content.
 */
export function workflowMigration(codec: Codec): Migration {
  const time = sql.raw(codec.columnTypes.time);
  const json = sql.raw(codec.columnTypes.json);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('pages')
        .addColumn('review_mode', 'text', (c) => c.notNull().defaultTo('direct'))
        .execute();
      await db.schema.alterTable('pages').addColumn('scheduled_for', time).execute();

      await db.schema.alterTable('posts').addColumn('scheduled_for', time).execute();
      await db.schema.alterTable('posts').addColumn('review_note', 'text').execute();
      await db.schema
        .alterTable('posts')
        .addColumn('corrections', json, (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema.alterTable('posts').addColumn('removal', json).execute();

      // The scheduler's question, "what is due?", is a range scan on either table.
      await db.schema
        .createIndex('posts_due')
        .on('posts')
        .columns(['status', 'scheduled_for'])
        .execute();
      await db.schema
        .createIndex('pages_due')
        .on('pages')
        .columns(['status', 'scheduled_for'])
        .execute();

      await db.schema
        .createTable('post_history')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('page_id', 'text', (c) => c.notNull().references('pages.id'))
        .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
        .addColumn('at', time, (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.references('users.id'))
        .addColumn('actor_system', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('fields', json, (c) => c.notNull())
        .addColumn('content', json)
        .addColumn('note', 'text')
        .addColumn('removal', json)
        .execute();
      await db.schema
        .createIndex('post_history_by_post')
        .on('post_history')
        .columns(['post_id', 'at', 'id'])
        .execute();
    },
  };
}
