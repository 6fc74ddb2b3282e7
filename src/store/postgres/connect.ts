import { Kysely } from 'kysely';
import pg from 'pg';
import { stderrLog, type FaultLog } from '../../log.ts';
import { migrate } from '../sql/migrations.ts';
import type { Database } from '../sql/schema.ts';
import { SqlStore } from '../sql/sql-store.ts';
import { postgresCodec } from './codec.ts';
import { PostgresDialectInOneSchema } from './dialect.ts';
import { GuardedPool } from './guarded-pool.ts';

/**
 * How long opening a connection may take before the request fails with 503. A refused
 * connection fails at once; this bounds a server that does not answer at all.
 */
export const CONNECT_TIMEOUT_MS = 2_000;

export interface PostgresOptions {
  /** A schema to work in instead of `public`: the tests give each run its own. */
  schema?: string;
  maxConnections?: number;
  /** Where connection faults are reported (once per outage). */
  log?: FaultLog;
}

/** Connects to PostgreSQL at `url` and brings its schema up to date. */
export async function connectPostgres(
  url: string,
  options: PostgresOptions = {},
): Promise<SqlStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A server that vanished without closing its sockets (a host gone, not a restart) is
    // found by TCP keepalive instead of leaving idle connections that hang their next query.
    keepAlive: true,
    ...(options.schema && { options: `-c search_path=${options.schema}` }),
  });
  const guarded = new GuardedPool(pool, options.log ?? stderrLog());
  if (options.schema) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema.replaceAll('"', '')}"`);
  }
  const kysely = new Kysely<Database>({
    dialect: new PostgresDialectInOneSchema({ pool: guarded }),
  });
  await migrate(kysely as Kysely<unknown>, postgresCodec);
  return new SqlStore(kysely, postgresCodec, 'postgres');
}
