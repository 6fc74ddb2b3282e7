import { sql, type Kysely, type Migration } from 'kysely';
import type { Codec } from './codec.ts';

/**
 * 0004-people: users become people who sign in to the desk (an e-mail, a byline role, a
 * password hash, a disabled flag); sessions and one-time links are kept in the database so
 * every instance shares them. Only hashes of secrets are stored. Users made before keep
 * working: their e-mail and password are null, they are enabled, their byline role empty.
 */
export function peopleMigration(codec: Codec): Migration {
  const time = sql.raw(codec.columnTypes.time);
  const bool = sql.raw(codec.columnTypes.bool);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('email', 'text').execute();
      await db.schema
        .alterTable('users')
        .addColumn('byline_role', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.alterTable('users').addColumn('password_hash', 'text').execute();
      await db.schema
        .alterTable('users')
        .addColumn('disabled', bool, (c) => c.notNull().defaultTo(sql.lit(false)))
        .execute();
      // E-mails are stored lower-case (src/domain/user.ts), so this is case-insensitive.
      await db.schema.createIndex('users_email').on('users').column('email').unique().execute();

      // A personal token made from the desk carries the name its owner gave it.
      await db.schema.alterTable('api_tokens').addColumn('label', 'text').execute();

      await db.schema
        .createTable('sessions')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('last_seen_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema.createIndex('sessions_by_user').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('one_time_links')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('used_at', time)
        .execute();
    },
  };
}
