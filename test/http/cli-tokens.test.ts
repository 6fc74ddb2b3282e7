import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { buildApp } from '../../src/app.ts';
import { MemoryBus } from '../../src/bus/memory/memory-bus.ts';
import { connectSqlite } from '../../src/store/sqlite/connect.ts';

const run = promisify(execFile);

test(
  '`liveline token` creates, lists and revokes tokens; a revoked one is refused',
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liveline-cli-tokens-'));
    const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '' };
    const cli = (...args: string[]) =>
      run('node', ['bin/liveline.js', 'token', ...args], { env, timeout: 30_000 });
    try {
      const created = await cli(
        'create',
        '--name',
        'Rich Preston',
        '--role',
        'editor',
        '--expires-in',
        '90d',
      );
      const token = created.stdout.trimEnd().split('\n').at(-1) ?? '';
      const id = /Token ([0-9a-z]{20}) for Rich Preston \(editor, expires (\S+)\)/.exec(
        created.stderr,
      );
      assert.ok(id?.[1], created.stderr);
      const expires = Date.parse(id[2] ?? '');
      assert.ok(Math.abs(expires - (Date.now() + 90 * 86_400_000)) < 120_000, 'expires in 90 days');

      const listed = (await cli('list')).stdout;
      assert.match(listed, /^ID\s+NAME\s+ROLE\s+CREATED\s+LAST USED\s+EXPIRES\s+STATUS/);
      assert.match(
        listed,
        new RegExp(`${id[1]}\\s+Rich Preston\\s+editor\\s+\\S+\\s+never\\s+\\S+\\s+active`),
      );
      assert.ok(
        !listed.includes(token) && !listed.includes(token.slice(3)),
        'the secret is never listed',
      );

      // Another role for the same person is refused, saying why; the role stays.
      await assert.rejects(
        cli('create', '--name', 'Rich Preston', '--role', 'admin'),
        (error: { code: number; stderr: string }) => {
          assert.equal(error.code, 1);
          assert.match(
            error.stderr,
            /Rich Preston is an editor, and a token acts with its user's role/,
          );
          return true;
        },
      );
      assert.doesNotMatch((await cli('list')).stdout, /admin/);

      await cli('revoke', id[1]);
      assert.match((await cli('list')).stdout, /revoked \d{4}-/);
      await assert.rejects(cli('revoke', 'nosuchtoken00000000x'), /No token has the id/);

      const store = await connectSqlite(join(dir, 'liveline.sqlite'));
      const app = await buildApp({ store, bus: new MemoryBus(), now: () => new Date() });
      try {
        const res = await app.inject({
          method: 'POST',
          url: '/api/pages',
          headers: { authorization: `Bearer ${token}` },
          payload: { slug: 'revoked', title: 'Made with a revoked token' },
        });
        assert.equal(res.statusCode, 401, res.body);
      } finally {
        await app.close();
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
