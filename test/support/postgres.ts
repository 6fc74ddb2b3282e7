import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPostgres } from '../../src/store/postgres/connect.ts';
import type { Store } from '../../src/store/store.ts';

/** The PostgreSQL the tests use: this machine's, or TEST_DATABASE_URL. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL tests cannot run here, or null when a server answers. */
export async function postgresUnavailable(): Promise<string | null> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A store in a fresh schema of its own, dropped again by `drop`. */
export async function freshPostgresStore(): Promise<{
  store: Store;
  schema: string;
  drop(): Promise<void>;
}> {
  const schema = `liveline_test_${randomBytes(6).toString('hex')}`;
  const store = await connectPostgres(TEST_DATABASE_URL, { schema, maxConnections: 5 });
  return {
    store,
    schema,
    async drop() {
      await store.close();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}
