import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { postgresCodec } from '../../src/store/postgres/codec.ts';
import { PostgresDialectInOneSchema } from '../../src/store/postgres/dialect.ts';
import type { Codec } from '../../src/store/sql/codec.ts';
import { migrate } from '../../src/store/sql/migrations.ts';
import type { Database } from '../../src/store/sql/schema.ts';
import { SqlStore } from '../../src/store/sql/sql-store.ts';
import { sqliteCodec } from '../../src/store/sqlite/codec.ts';
import { postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';

interface Raw {
  db: Kysely<Database>;
  codec: Codec;
  close(): Promise<void>;
}

function rawSqlite(): Raw {
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new SQLite(':memory:') }),
  });
  return { db, codec: sqliteCodec, close: () => db.destroy() };
}

async function rawPostgres(): Promise<Raw> {
  const schema = `liveline_migration_${randomBytes(6).toString('hex')}`;
  const pool = new pg.Pool({
    connectionString: TEST_DATABASE_URL,
    max: 2,
    options: `-c search_path=${schema}`,
  });
  await pool.query(`CREATE SCHEMA ${schema}`);
  const db = new Kysely<Database>({ dialect: new PostgresDialectInOneSchema({ pool }) });
  return {
    db,
    codec: postgresCodec,
    async close() {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await db.destroy();
    },
  };
}

const pgReason = await postgresUnavailable();
const databases = [
  { name: 'sqlite', skip: false as const, open: async () => rawSqlite() },
  { name: 'postgres', skip: pgReason ?? false, open: rawPostgres },
];

// A database written before 0002 may hold what the races left (several pinned posts, counts
// off the truth) and a change log with every version of every post, deleted ones included.
for (const database of databases) {
  describe(
    `migration 0002 on old data: ${database.name}`,
    { skip: database.skip, timeout: 30_000 },
    () => {
      const opened: Raw[] = [];
      after(async () => {
        for (const raw of opened) await raw.close();
      });

      it('unpins all but the newest pinned post, recounts posts and supersedes old log entries', async () => {
        const raw = await database.open();
        opened.push(raw);
        const { db, codec } = raw;
        await migrate(db as Kysely<unknown>, codec, { upTo: '0001-core' });
        const at = '2025-03-20T18:00:00.000Z';
        await db
          .insertInto('pages')
          .values({
            id: 'page',
            slug: 'old',
            title: 'Old',
            description: '',
            status: 'live',
            summary: codec.writeJson([]),
            lead_media: null,
            time_zone: 'Europe/London',
            text_format: codec.writeJson({}),
            revision: 1,
            last_seq: 5,
            post_count: 7,
            created_at: at,
            updated_at: at,
            started_at: at,
            ended_at: null,
          })
          .execute();
        const post = (id: string, pinned: boolean, publishedAt: string, status = 'published') => ({
          id,
          page_id: 'page',
          status,
          headline: `Headline ${id}`,
          published_at: publishedAt,
          labels: codec.writeJson([]),
          pinned: codec.writeBool(pinned),
          contributors: codec.writeJson([]),
          body: codec.writeJson([]),
          revision: 1,
          created_at: at,
          updated_at: at,
          author_id: null,
        });
        await db
          .insertInto('posts')
          .values([
            post('a', true, '2025-03-20T18:01:00.000Z'),
            post('b', true, '2025-03-20T18:03:00.000Z'),
            post('c', true, '2025-03-20T18:02:00.000Z'),
            post('gone', false, '2025-03-20T18:04:00.000Z', 'deleted'),
          ])
          .execute();
        const entry = (seq: number, kind: string, postId: string, data: object) => ({
          page_id: 'page',
          seq,
          kind,
          post_id: postId,
          at,
          data: codec.writeJson({ kind, ...data }),
        });
        await db
          .insertInto('changes')
          .values([
            entry(1, 'post.published', 'gone', { post: { headline: 'Secret words' } }),
            entry(2, 'post.published', 'a', { post: { headline: 'Headline a' } }),
            entry(3, 'post.edited', 'gone', { post: { headline: 'More secret words' } }),
            entry(4, 'post.deleted', 'gone', { postId: 'gone' }),
            entry(5, 'post.pinned', 'a', { post: { headline: 'Headline a' } }),
          ])
          .execute();

        await migrate(db as Kysely<unknown>, codec);

        const pinned = await db
          .selectFrom('posts')
          .select('id')
          .where('pinned', '=', codec.writeBool(true))
          .execute();
        assert.deepEqual(
          pinned.map((p) => p.id),
          ['b'],
        );
        const page = await db.selectFrom('pages').select('post_count').executeTakeFirstOrThrow();
        assert.equal(Number(page.post_count), 3);
        const log = await db.selectFrom('changes').selectAll().orderBy('seq').execute();
        assert.deepEqual(
          log.map((c) => [Number(c.seq), c.kind, codec.readJson(c.data)]),
          [
            [1, 'post.superseded', { kind: 'post.superseded', postId: 'gone', supersededBy: 3 }],
            [2, 'post.superseded', { kind: 'post.superseded', postId: 'a', supersededBy: 5 }],
            [3, 'post.superseded', { kind: 'post.superseded', postId: 'gone', supersededBy: 4 }],
            [4, 'post.deleted', { kind: 'post.deleted', postId: 'gone' }],
            [5, 'post.pinned', { kind: 'post.pinned', post: { headline: 'Headline a' } }],
          ],
        );
        // The database now refuses a second pinned post.
        await assert.rejects(
          db
            .updateTable('posts')
            .set({ pinned: codec.writeBool(true) })
            .where('id', '=', 'a')
            .execute(),
        );
      });
    },
  );
}

// Users and tokens made before 0004 (issue 8) keep working: no e-mail, enabled, no password.
for (const database of databases) {
  describe(
    `migration 0004 keeps token-only users: ${database.name}`,
    { skip: database.skip, timeout: 30_000 },
    () => {
      const opened: Raw[] = [];
      after(async () => {
        for (const raw of opened) await raw.close();
      });

      it('leaves old users enabled with no e-mail and their tokens active', async () => {
        const raw = await database.open();
        opened.push(raw);
        const { db, codec } = raw;
        await migrate(db as Kysely<unknown>, codec, { upTo: '0003-tokens' });
        const at = '2025-03-20T18:00:00.000Z';
        await sql`INSERT INTO users (id, name, role, created_at) VALUES ('u1', 'Old Editor', 'editor', ${at})`.execute(
          db,
        );
        await sql`INSERT INTO api_tokens (hash, user_id, created_at, id) VALUES ('h1', 'u1', ${at}, 't1')`.execute(
          db,
        );
        await migrate(db as Kysely<unknown>, codec);
        const store = new SqlStore(db, codec, database.name as 'sqlite' | 'postgres');
        const found = await store.findActiveToken('h1', new Date().toISOString());
        assert.equal(found?.tokenId, 't1');
        assert.deepEqual(
          {
            email: found?.user.email,
            disabled: found?.user.disabled,
            bylineRole: found?.user.bylineRole,
          },
          { email: null, disabled: false, bylineRole: '' },
        );
        assert.equal(await store.findUserByEmail(''), null);
        // Two users without an e-mail do not collide on the unique index.
        await sql`INSERT INTO users (id, name, role, created_at) VALUES ('u2', 'Another', 'editor', ${at})`.execute(
          db,
        );
        assert.equal((await store.listUsers()).length, 2);
      });
    },
  );
}
