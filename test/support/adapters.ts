import { connectSqlite } from '../../src/store/sqlite/connect.ts';
import type { Store } from '../../src/store/store.ts';
import { freshPostgresStore, postgresUnavailable } from './postgres.ts';

export interface Adapter {
  name: 'sqlite' | 'postgres';
  /** Why this adapter's tests are skipped here, or false. */
  skip: string | false;
  open(): Promise<{ store: Store; drop(): Promise<void> }>;
}

/**
 * Every storage adapter, each with a fresh empty database per `open()`. `TEST_ADAPTERS=sqlite`
 * skips PostgreSQL: mutation runs of the services, whose logic does not depend on the
 * database (scripts/mutate.mjs), run their HTTP guards once instead of twice.
 */
export async function adapters(): Promise<Adapter[]> {
  if (process.env.TEST_ADAPTERS === 'sqlite') {
    const reason = 'TEST_ADAPTERS=sqlite: PostgreSQL not asked for';
    return [sqlite, { name: 'postgres', skip: reason, open: freshPostgresStore }];
  }
  const pgReason = await postgresUnavailable();
  if (pgReason && process.env.CI === 'true') {
    // CI has PostgreSQL: a missing server there is a failure, not a skip.
    throw new Error(pgReason);
  }
  return [sqlite, { name: 'postgres', skip: pgReason ?? false, open: freshPostgresStore }];
}

const sqlite: Adapter = {
  name: 'sqlite',
  skip: false,
  async open() {
    const store = await connectSqlite(':memory:');
    return { store, drop: () => store.close() };
  },
};
