import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrate } from '../sql/migrations.ts';
import type { Database } from '../sql/schema.ts';
import { SqlStore } from '../sql/sql-store.ts';
import { postgresCodec } from './codec.ts';

export interface PostgresOptions {
  /** A schema to work in instead of `public`: the tests give each run its own. */
  schema?: string;
  maxConnections?: number;
}

/** Connects to PostgreSQL at `url` and brings its schema up to date. */
export async function connectPostgres(
  url: string,
  options: PostgresOptions = {},
): Promise<SqlStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    ...(options.schema && { options: `-c search_path=${options.schema}` }),
  });
  if (options.schema) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema.replaceAll('"', '')}"`);
  }
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrate(kysely as Kysely<unknown>, postgresCodec, options.schema);
  return new SqlStore(kysely, postgresCodec, 'postgres');
}
