import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Kysely } from 'kysely';
import pg from 'pg';
import { PostgresDialectInOneSchema } from '../../src/store/postgres/dialect.ts';
import { connectPostgres } from '../../src/store/postgres/connect.ts';
import { postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';

const skip = (await postgresUnavailable()) ?? false;

// One database holds many schemas: the tests make one each and drop it when done, and a
// shared server may hold other tenants'. Starting Liveline in one of them must not depend on
// what happens in the others.
describe('a Liveline schema beside others in one database', { skip, timeout: 60_000 }, () => {
  it('migrates while other schemas are being dropped', async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const others = Array.from({ length: 40 }, () => `other_${randomBytes(6).toString('hex')}`);
    const ours: string[] = [];
    try {
      for (const other of others) {
        await admin.query(`CREATE SCHEMA ${other}`);
        await admin.query(`CREATE TABLE ${other}.t (id serial primary key, a text, b text)`);
      }
      const dropping = (async () => {
        for (const other of others) await admin.query(`DROP SCHEMA ${other} CASCADE`);
      })();
      const starts = Array.from({ length: 6 }, async () => {
        const schema = `liveline_test_${randomBytes(6).toString('hex')}`;
        ours.push(schema);
        const store = await connectPostgres(TEST_DATABASE_URL, { schema, maxConnections: 2 });
        await store.close();
      });
      const results = await Promise.allSettled([dropping, ...starts]);
      const failed = results.filter((r) => r.status === 'rejected');
      assert.deepEqual(
        failed.map((r) => String((r as PromiseRejectedResult).reason)),
        [],
        'every start migrated its own schema, whatever happened to the others',
      );
    } finally {
      for (const schema of [...others, ...ours]) {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
      await admin.end();
    }
  });

  it("sees its own tables, columns and migrations, and no other schema's", async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const schema = `liveline_test_${randomBytes(6).toString('hex')}`;
    const other = `other_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE SCHEMA ${other}`);
    await admin.query(`CREATE TABLE ${other}.pages (id serial primary key)`);
    const pool = new pg.Pool({
      connectionString: TEST_DATABASE_URL,
      max: 1,
      options: `-c search_path=${schema}`,
    });
    const db = new Kysely<unknown>({ dialect: new PostgresDialectInOneSchema({ pool }) });
    try {
      const store = await connectPostgres(TEST_DATABASE_URL, { schema, maxConnections: 1 });
      await store.close();
      const tables = await db.introspection.getTables();
      const names = tables.map((t) => t.name);
      assert.ok(
        names.includes('pages') && names.includes('posts') && names.includes('changes'),
        names.join(),
      );
      assert.ok(!names.includes('kysely_migration'), "kysely's own tables only when asked for");
      assert.deepEqual(new Set(tables.map((t) => t.schema)), new Set([schema]));
      const pages = tables.find((t) => t.name === 'pages');
      const slug = pages?.columns.find((c) => c.name === 'slug');
      assert.equal(slug?.isNullable, false);
      assert.equal(slug?.dataType, 'text');
      const withInternal = await db.introspection.getTables({ withInternalKyselyTables: true });
      assert.ok(withInternal.some((t) => t.name === 'kysely_migration'));
      assert.deepEqual(
        (await db.introspection.getSchemas()).map((s) => s.name),
        [schema],
      );
    } finally {
      await db.destroy();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.query(`DROP SCHEMA IF EXISTS ${other} CASCADE`);
      await admin.end();
    }
  });
});
