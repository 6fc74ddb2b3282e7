import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import { migrate } from '../sql/migrations.ts';
import type { Database } from '../sql/schema.ts';
import { SqlStore } from '../sql/sql-store.ts';
import { sqliteCodec } from './codec.ts';

/**
 * Transactions take the write lock when they begin. With several processes on one file
 * (WORKERS=N), a transaction that read first and wrote later could otherwise fail with
 * SQLITE_BUSY_SNAPSHOT; waiting for the lock up front (busy_timeout) serialises writers cleanly.
 * https://www.sqlite.org/lang_transaction.html#deferred_immediate_and_exclusive_transactions
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

/** How many prepared statements one database keeps: every query shape Liveline has, and room. */
const STATEMENTS_KEPT = 500;

/**
 * The database as Kysely sees it, preparing each distinct SQL text once: Kysely's SQLite
 * driver asks for a new statement on every query, and compiling one cost more than running
 * it (a publish runs about a dozen). Kysely runs statements one at a time on the one
 * connection and Liveline never streams a query, so a statement is never in use twice at once.
 * The least recently used statement goes when more than STATEMENTS_KEPT shapes are seen.
 */
function withStatementCache(database: SQLite.Database) {
  const kept = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string): SQLite.Statement {
      let statement = kept.get(sql);
      if (statement) {
        kept.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value as string);
      }
      kept.set(sql, statement);
      return statement;
    },
    close(): void {
      kept.clear();
      database.close();
    },
  };
}

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
  const kysely = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }),
  });
  await migrate(kysely as Kysely<unknown>, sqliteCodec);
  return new SqlStore(kysely, sqliteCodec, 'sqlite');
}
