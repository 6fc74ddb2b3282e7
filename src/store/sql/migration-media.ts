import { sql, type Kysely, type Migration } from 'kysely';
import type { Codec } from './codec.ts';

/**
 * 0007-media: pictures uploaded at the desk (ADR 0020), one row per content id (the SHA-256
 * of the file), with its size and what the desk said of it. The files are in the media
 * storage, not the database.
 */
export function mediaMigration(codec: Codec): Migration {
  const time = sql.raw(codec.columnTypes.time);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('media')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('bytes', 'integer', (c) => c.notNull())
        .addColumn('alt', 'text', (c) => c.notNull())
        .addColumn('credit', 'text')
        .addColumn('caption', 'text')
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('uploaded_at', time, (c) => c.notNull())
        .execute();
    },
  };
}
