import { sql, type Kysely } from 'kysely';
import type { Store } from '../../src/store/store.ts';

/**
 * Every row of every table of the store's database, as JSON text, for tests that must prove
 * a text is gone from storage itself. Reaches the store's Kysely handle, which the Store
 * interface rightly hides: only a test has any business reading every table.
 */
export async function everyRow(store: Store): Promise<Map<string, string>> {
  const db = (store as unknown as { kysely: Kysely<unknown> }).kysely;
  const names =
    store.kind === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables
           where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  const tables = new Map<string, string>();
  for (const { name } of names.rows) {
    const rows = await sql`select * from ${sql.table(name)}`.execute(db);
    tables.set(name, JSON.stringify(rows.rows));
  }
  if (!tables.has('post_history') || !tables.has('idempotency_keys'))
    throw new Error(`not every table was read: ${[...tables.keys()].join(', ')}`);
  return tables;
}

/** The tables whose rows contain `text` anywhere, by name. */
export async function tablesContaining(store: Store, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const [name, rows] of await everyRow(store)) if (rows.includes(text)) found.push(name);
  return found.sort();
}
