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

test(
  "`liveline user create` prints a one-time link that sets the first admin's password; list and reset-link work",
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liveline-cli-users-'));
    const env = {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: '',
      PUBLIC_URL: 'https://live.example.org/',
    };
    const cli = (...args: string[]) =>
      run('node', ['bin/liveline.js', 'user', ...args], { env, timeout: 30_000 });
    try {
      const created = await cli(
        'create',
        '--email',
        'Editor@Newsroom.test',
        '--name',
        'Dana Whitfield',
        '--role',
        'admin',
        '--byline-role',
        'Presenter',
      );
      const lines = created.stdout.trimEnd().split('\n');
      const link = lines.at(-1) ?? '';
      assert.match(
        link,
        /^https:\/\/live\.example\.org\/desk\/link\/[A-Za-z0-9_-]{40,}$/,
        'absolute, from PUBLIC_URL, alone on the last line',
      );
      assert.match(created.stderr, /Created Dana Whitfield <editor@newsroom\.test> \(admin\)/);

      const listed = (await cli('list')).stdout;
      assert.match(listed, /^ID\s+EMAIL\s+NAME\s+ROLE\s+STATUS/);
      assert.match(listed, /editor@newsroom\.test\s+Dana Whitfield\s+admin\s+active/);
      assert.ok(!listed.includes('argon2'), 'no hash listed');

      await assert.rejects(
        cli(
          'create',
          '--email',
          'EDITOR@newsroom.test',
          '--name',
          'Someone Else',
          '--role',
          'editor',
        ),
        (error: { code: number; stderr: string }) => {
          assert.equal(error.code, 1);
          assert.match(error.stderr, /another user has this e-mail/);
          return true;
        },
      );
      await assert.rejects(
        cli('create', '--email', 'x@y.z', '--name', 'X', '--role', 'chief'),
        /must be one of admin, editor, contributor/,
      );
      await assert.rejects(
        cli('create', '--email', 'not-an-email', '--name', 'X', '--role', 'editor'),
        /--email/,
      );

      // The link works against the server on the same database: set the password, sign in.
      const store = await connectSqlite(join(dir, 'liveline.sqlite'));
      const services = serviceDeps({ store, bus: new MemoryBus() });
      const app = await buildApp(services, { publicUrl: 'https://live.example.org' });
      try {
        const token = link.split('/').at(-1) ?? '';
        const set = await app.inject({
          method: 'POST',
          url: `/desk/api/links/${token}`,
          headers: { origin: 'https://live.example.org' },
          payload: { password: 'the first admin password' },
        });
        assert.equal(set.statusCode, 200, set.body);
        assert.equal(set.json<{ user: { role: string } }>().user.role, 'admin');
        const signIn = await app.inject({
          method: 'POST',
          url: '/desk/api/sign-in',
          headers: { origin: 'https://live.example.org' },
          payload: { email: 'editor@newsroom.test', password: 'the first admin password' },
        });
        assert.equal(signIn.statusCode, 200, signIn.body);

        const reset = await cli('reset-link', '--email', 'EDITOR@newsroom.test');
        const resetLink = reset.stdout.trimEnd().split('\n').at(-1) ?? '';
        assert.match(resetLink, /^https:\/\/live\.example\.org\/desk\/link\/[A-Za-z0-9_-]{40,}$/);
        const look = await app.inject({
          method: 'GET',
          url: `/desk/api/links/${resetLink.split('/').at(-1)}`,
        });
        assert.equal(look.json<{ purpose: string }>().purpose, 'reset-password');
        await assert.rejects(
          cli('reset-link', '--email', 'nobody@newsroom.test'),
          /No user has the e-mail/,
        );
      } finally {
        await app.close();
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
