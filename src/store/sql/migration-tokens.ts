import { sql, type Kysely, type Migration } from 'kysely';
import type { Codec } from './codec.ts';

/**
 * 0003-tokens: tokens get an id (to list and revoke them by), an expiry, a revocation time
 * and the time they were last used. Tokens made before keep working: their id is the start of
 * their hash, and they neither expire nor are revoked.
 */
export function tokensMigration(codec: Codec): Migration {
  const time = sql.raw(codec.columnTypes.time);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('api_tokens').addColumn('id', 'text').execute();
      await db.schema.alterTable('api_tokens').addColumn('expires_at', time).execute();
      await db.schema.alterTable('api_tokens').addColumn('revoked_at', time).execute();
      await db.schema.alterTable('api_tokens').addColumn('last_used_at', time).execute();
      await sql`UPDATE api_tokens SET id = substr(hash, 1, 20) WHERE id IS NULL`.execute(db);
      await db.schema.createIndex('api_tokens_id').on('api_tokens').column('id').unique().execute();
    },
  };
}
