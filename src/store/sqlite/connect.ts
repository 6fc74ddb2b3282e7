import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate } from '../sql/migrations.ts';
import type { Database } from '../sql/schema.ts';
import { SqlStore } from '../sql/sql-store.ts';
import { sqliteCodec } from './codec.ts';

/**
 * Opens (creating if needed) the SQLite file at `file`, or an in-memory database for
 * ':memory:', and brings its schema up to date.
 */
export async function connectSqlite(file: string): Promise<SqlStore> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  // WAL lets readers go on while one writer commits; NORMAL sync keeps every committed
  // transaction through a crash of the process (only a power cut can lose the last ones).
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  await migrate(kysely as Kysely<unknown>, sqliteCodec);
  return new SqlStore(kysely, sqliteCodec, 'sqlite');
}
