import { join } from 'node:path';
import type { Store } from './store.ts';
import { connectPostgres } from './postgres/connect.ts';
import { connectSqlite } from './sqlite/connect.ts';

/** PostgreSQL when a URL is configured, otherwise the embedded SQLite file in the data folder. */
export function connectStore(config: {
  databaseUrl: string | null;
  dataDir: string;
}): Promise<Store> {
  return config.databaseUrl
    ? connectPostgres(config.databaseUrl)
    : connectSqlite(join(config.dataDir, 'liveline.sqlite'));
}
