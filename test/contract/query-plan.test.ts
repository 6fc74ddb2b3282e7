import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { connectSqlite } from '../../src/store/sqlite/connect.ts';
import { freshPostgresStore, postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';

// Page N of a live page must cost the same whether it holds 100 or 100,000 posts: the
// reader's order has to come straight off the posts_stream index, never from a sort.
const PAGE_QUERY = `select * from posts where page_id = ? and status = 'published'
  order by pinned desc, published_at desc, id desc limit 20 offset 40`;

// Every new entry about a post supersedes that post's earlier entries: finding them must go
// through changes_by_post, never walk the page's whole log by sequence number.
const SUPERSEDE_QUERY = `update changes set kind = 'post.superseded', data = '{}'
  where page_id = ? and post_id = ? and seq < ? and kind <> 'post.superseded'`;

/** The plan SQLite chooses for `query` on a freshly migrated database. */
async function sqlitePlan(query: string, ...params: unknown[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-plan-'));
  try {
    const file = join(dir, 'plan.sqlite');
    await (await connectSqlite(file)).close();
    const db = new SQLite(file);
    const plan = db.prepare(`explain query plan ${query}`).all(...params) as { detail: string }[];
    db.close();
    return plan.map((row) => row.detail).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('SQLite serves a page of posts from the posts_stream index without sorting', async () => {
  const details = await sqlitePlan(PAGE_QUERY, 'p');
  assert.match(details, /USING (COVERING )?INDEX posts_stream/);
  assert.doesNotMatch(details, /TEMP B-TREE/);
});

test('SQLite finds the entries a new one supersedes through changes_by_post', async () => {
  const details = await sqlitePlan(SUPERSEDE_QUERY, 'p', 'q', 5);
  assert.match(details, /USING INDEX changes_by_post \(page_id=\? AND post_id=\? AND seq<\?\)/);
});

const pgSkip = await postgresUnavailable();

/** The plan PostgreSQL chooses for `query` on a freshly migrated schema, index paths preferred. */
async function postgresPlan(query: string): Promise<string> {
  const { schema, drop } = await freshPostgresStore();
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`set search_path = ${schema}`);
    // The planner prefers a scan of an empty table; take that choice away to see the index path.
    await client.query('set enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain ${query}`);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await client.end();
    await drop();
  }
}
test(
  'PostgreSQL serves a page of posts from the posts_stream index without sorting',
  { skip: pgSkip ?? false },
  async () => {
    const plan = await postgresPlan(PAGE_QUERY.replace('?', "'p'"));
    assert.match(plan, /Index Scan( Backward)? using posts_stream/);
    assert.doesNotMatch(plan, /\bSort\b/);
  },
);

test(
  'PostgreSQL finds the entries a new one supersedes through changes_by_post',
  { skip: pgSkip ?? false },
  async () => {
    const query = SUPERSEDE_QUERY.replace('?', "'p'").replace('?', "'q'").replace('?', '5');
    assert.match(await postgresPlan(query), /Index Scan using changes_by_post/);
  },
);

// The scheduler asks every second what is due: a range scan of posts_due, whatever the
// number of published posts (src/store/sql/sql-store.ts listDue).
const DUE_QUERY = `select id, scheduled_for from posts where status = 'scheduled'
  and scheduled_for <= ? order by scheduled_for limit 100`;

test('SQLite finds due posts through the posts_due index', async () => {
  const details = await sqlitePlan(DUE_QUERY, '2026-03-20T09:00:00.000Z');
  assert.match(details, /USING INDEX posts_due \(status=\? AND scheduled_for<\?\)/);
  assert.doesNotMatch(details, /TEMP B-TREE/);
});

test(
  'PostgreSQL finds due posts through the posts_due index',
  { skip: pgSkip ?? false },
  async () => {
    const plan = await postgresPlan(DUE_QUERY.replace('?', "'2026-03-20T09:00:00Z'"));
    assert.match(plan, /Index (Only )?Scan using posts_due/);
    assert.doesNotMatch(plan, /\bSort\b/);
  },
);

// Keyset paging (issue 13): the page after a cursor starts with a seek of the same index.
test('SQLite seeks the posts_stream index for the posts after a key, without sorting', async () => {
  const details = await sqlitePlan(
    `select * from posts where page_id = ? and status = 'published'
      and (pinned, published_at, id) < (?, ?, ?)
      order by pinned desc, published_at desc, id desc limit 21`,
    'p',
    0,
    '2025-03-20T12:00:00.000Z',
    'x',
  );
  assert.match(
    details,
    /USING (COVERING )?INDEX posts_stream \(page_id=\? AND status=\? AND \(pinned,published_at,id\)<\(\?,\?,\?\)\)/,
  );
  assert.doesNotMatch(details, /TEMP B-TREE/);
});
