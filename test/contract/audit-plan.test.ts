import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { connectSqlite } from '../../src/store/sqlite/connect.ts';
import { freshPostgresStore, postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';

// A screen of the audit log, filtered by page or by acting user, one keyset page back (as
// SqlStore.listAudit asks): it must come off that filter's index in order, never from a sort
// of everything the page or the person ever did.
const screen = (column: 'page_id' | 'actor_user_id') => `
  select audit_log.*, users.name, pages.slug, pages.title from audit_log
  left join users on users.id = audit_log.actor_user_id
  left join pages on pages.id = audit_log.page_id
  where audit_log.${column} = 'x'
    and (audit_log.at < '2026-12-01T00:00:00.000Z'
      or (audit_log.at = '2026-12-01T00:00:00.000Z' and audit_log.id < 'y'))
  order by audit_log.at desc, audit_log.id desc limit 51`;

const INDEXES = { page_id: 'audit_log_by_page', actor_user_id: 'audit_log_by_actor' } as const;

test('SQLite reads a filtered screen of the audit log off its index, without sorting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-audit-plan-'));
  try {
    const file = join(dir, 'plan.sqlite');
    await (await connectSqlite(file)).close();
    const db = new SQLite(file);
    for (const [column, index] of Object.entries(INDEXES)) {
      const plan = db.prepare(`explain query plan ${screen(column as keyof typeof INDEXES)}`).all();
      const details = (plan as { detail: string }[]).map((row) => row.detail).join('\n');
      assert.match(details, new RegExp(`audit_log USING INDEX ${index}`), details);
      assert.doesNotMatch(details, /TEMP B-TREE/, details);
    }
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const pgSkip = await postgresUnavailable();
test(
  'PostgreSQL reads a filtered screen of the audit log off its index, without sorting',
  { skip: pgSkip ?? false },
  async () => {
    const { schema, drop } = await freshPostgresStore();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`set search_path = ${schema}`);
      // The planner prefers a scan of an empty table; take that choice away to see the index path.
      await client.query('set enable_seqscan = off');
      for (const [column, index] of Object.entries(INDEXES)) {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(
          `explain ${screen(column as keyof typeof INDEXES)}`,
        );
        const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
        assert.match(plan, new RegExp(`Index Scan( Backward)? using ${index} on audit_log`), plan);
        assert.doesNotMatch(plan, /\bSort\b/, plan);
      }
    } finally {
      await client.end();
      await drop();
    }
  },
);
