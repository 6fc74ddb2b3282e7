import { join } from 'node:path';
import type { FaultLog } from '../log.ts';
import type { Store } from './store.ts';
import { connectPostgres } from './postgres/connect.ts';
import { connectSqlite } from './sqlite/connect.ts';

/**
 * PostgreSQL when a URL is configured, otherwise the embedded SQLite file in the data folder.
 * An embedded file cannot go away, so only PostgreSQL reports connection faults to `log`.
 */
export function connectStore(
  config: { databaseUrl: string | null; dataDir: string },
  log?: FaultLog,
): Promise<Store> {
  return config.databaseUrl
    ? connectPostgres(config.databaseUrl, log ? { log } : {})
    : connectSqlite(join(config.dataDir, 'liveline.sqlite'));
}
