import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { connectSqlite } from '../../src/store/sqlite/connect.ts';

const run = promisify(execFile);

test(
  '`liveline user create`, `token create`, `token revoke` and `import` are audited as the system actor cli; reads are not',
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liveline-cli-audit-'));
    const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '' };
    const cli = (...args: string[]) =>
      run('node', ['bin/liveline.js', ...args], { env, timeout: 30_000 });
    try {
      await cli(
        'user',
        'create',
        '--email',
        'mira@newsroom.test',
        '--name',
        'Mira Castell',
        '--role',
        'admin',
      );
      const created = await cli('token', 'create', '--name', 'Otto Brink', '--role', 'editor');
      const tokenId = /Token ([0-9a-z]{20})/.exec(created.stderr)?.[1] ?? '';
      assert.ok(tokenId, created.stderr);
      await cli('token', 'revoke', tokenId);
      await cli('token', 'list');
      await cli('user', 'list');
      const capture = join(process.cwd(), 'content', 'demo-live-page.txt');
      await cli('import', capture, '--slug', 'audited-import', '--year', '2025');

      const store = await connectSqlite(join(dir, 'liveline.sqlite'));
      try {
        const entries = (await store.listAudit({ limit: 100 })).reverse();
        assert.deepEqual(
          entries.map((e) => [e.action, e.actor, e.summary.split(';')[0]]),
          [
            [
              'user.invite',
              { kind: 'system', name: 'cli' },
              'Mira Castell <mira@newsroom.test> as admin',
            ],
            ['token.create', { kind: 'system', name: 'cli' }, 'new user Otto Brink (editor)'],
            ['token.revoke', { kind: 'system', name: 'cli' }, `token ${tokenId} revoked`],
            ['page.import', { kind: 'system', name: 'cli' }, 'new user Liveline console (admin)'],
            ['page.import', { kind: 'system', name: 'cli' }, entries[4]?.pageTitle],
          ],
        );
        assert.equal(entries[1]?.summary, `new user Otto Brink (editor); token ${tokenId}`);
        const page = await store.getPage('audited-import');
        assert.equal(entries[4]?.pageId, page?.id);
        assert.equal(entries[4]?.pageSlug, 'audited-import');
        assert.equal(entries[4]?.postId, null, 'an import is about its page, not one post');
        assert.match(entries[4]?.summary ?? '', new RegExp(`; ${page?.postCount} posts$`));
        for (const entry of entries) assert.equal(entry.address, null);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
