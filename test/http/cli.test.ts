import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { buildApp } from '../../src/app.ts';
import { MemoryBus } from '../../src/bus/memory/memory-bus.ts';
import { serviceDeps } from '../../src/services/deps.ts';
import { connectSqlite } from '../../src/store/sqlite/connect.ts';

const run = promisify(execFile);

test('`liveline token create` prints a token, alone on the last line, that the server accepts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-cli-'));
  try {
    const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '' };
    const { stdout } = await run(
      'node',
      ['bin/liveline.js', 'token', 'create', '--name', 'Rich Preston', '--role', 'editor'],
      { env },
    );
    const token = stdout.trimEnd().split('\n').at(-1) ?? '';
    assert.match(token, /^ll_[A-Za-z0-9_-]{43}$/);

    const store = await connectSqlite(join(dir, 'liveline.sqlite'));
    const app = await buildApp(serviceDeps({ store, bus: new MemoryBus() }));
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/pages',
        headers: { authorization: `Bearer ${token}` },
        payload: { slug: 'cli-made', title: 'Made with a CLI token' },
      });
      assert.equal(res.statusCode, 201, res.body);
    } finally {
      await app.close();
      await store.close();
    }

    await assert.rejects(
      run('node', ['bin/liveline.js', 'token', 'create', '--name', 'X', '--role', 'overlord'], {
        env,
      }),
      (error: { stderr: string }) => /must be one of admin, editor, contributor/.test(error.stderr),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an invalid setting stops the start with a message naming it', async () => {
  await assert.rejects(
    run('node', ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: 'eighty', LOG_LEVEL: 'loud' },
    }),
    (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /PORT must be a whole number/);
      assert.match(error.stderr, /LOG_LEVEL must be one of/);
      return true;
    },
  );
});

test('the CLI says plainly when the database cannot be reached, without a stack trace', async () => {
  // Port 1 on the loopback interface: nothing listens there, so the connection is refused.
  const env = { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' };
  const failed = await run('node', ['bin/liveline.js', 'token', 'list'], { env }).then(
    () => assert.fail('token list succeeded without a database'),
    (error: { code: number; stderr: string }) => error,
  );
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^error: The database is unreachable: .*ECONNREFUSED/m);
  assert.match(failed.stderr, /DATABASE_URL/);
  assert.doesNotMatch(failed.stderr, /^\s+at /m, 'a stack trace');
});
