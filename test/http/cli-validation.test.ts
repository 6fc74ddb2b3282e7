import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { connectSqlite } from '../../src/store/sqlite/connect.ts';

const run = promisify(execFile);
const DEMO = 'content/demo-live-page.txt';
/** The demo's dates carry no year; it happens on the night the clocks went back in 2025. */
const YEAR = ['--year', '2025'];
const FIRST_HEADLINE = "Three satellites in orbit - we're pausing our coverage here";

/**
 * The CLI goes through the API's schemas and text rule: whatever it would create, the API
 * could read, edit and delete. Each case runs the real command and checks the database
 * holds no page afterwards.
 */
describe('the CLI refuses what the API refuses', { timeout: 120_000 }, () => {
  let dir: string;
  const env = () => ({ ...process.env, DATA_DIR: dir, DATABASE_URL: '' });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'liveline-cli-validation-'));
    const demo = readFileSync(DEMO, 'utf8');
    assert.ok(demo.includes(FIRST_HEADLINE), 'the demo page changed: update this test');
    writeFileSync(join(dir, 'long-headline.txt'), demo.replace(FIRST_HEADLINE, 'x'.repeat(5_000)));
    writeFileSync(join(dir, 'control-headline.txt'), demo.replace(FIRST_HEADLINE, 'Bell\u0007'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const refuses = async (args: string[], field: RegExp) => {
    await assert.rejects(
      run('node', ['bin/liveline.js', ...args, ...(args[0] === 'import' ? YEAR : [])], {
        env: env(),
        timeout: 30_000,
      }),
      (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1, error.stderr);
        assert.match(error.stderr, field);
        assert.doesNotMatch(error.stderr, /\n\s+at /, 'a stack trace instead of a message');
        return true;
      },
    );
    const store = await connectSqlite(join(dir, 'liveline.sqlite'));
    try {
      assert.deepEqual(await store.listPages(), [], `${args.join(' ')} created a page`);
    } finally {
      await store.close();
    }
  };

  it('refuses slugs the API refuses: markup, a path, empty', async () => {
    for (const slug of ['Bad Slug<script>', '../../etc', '']) {
      await refuses(['import', DEMO, '--slug', slug], /\/slug must match pattern|\/slug must NOT/);
    }
  });

  it('refuses a 5,000-character title and one with a control character', async () => {
    await refuses(
      ['import', DEMO, '--slug', 'long', '--title', 'x'.repeat(5_000)],
      /\/title must NOT have more than 300 characters/,
    );
    await refuses(
      ['import', DEMO, '--slug', 'bell', '--title', 'a\u0007'],
      /\/title has a character/,
    );
  });

  it('refuses posts in a capture that the API would refuse', async () => {
    await refuses(
      ['import', join(dir, 'long-headline.txt'), '--slug', 'long-headline'],
      /headline of at most 300 characters/,
    );
    await refuses(
      ['import', join(dir, 'control-headline.txt'), '--slug', 'bell-headline'],
      /\/posts\/0\/headline has a character that is not allowed/,
    );
  });

  it('refuses an impossible --capture-date and a token name with a control character', async () => {
    await refuses(
      ['import', DEMO, '--slug', 'dated', '--capture-date', '2025-13-45'],
      /must be a real date/,
    );
    await refuses(
      ['token', 'create', '--name', 'Bell\u0007', '--role', 'editor'],
      /--name has a character that is not allowed/,
    );
  });

  it('imports the same capture under a valid slug (the cases fail for their reason alone)', async () => {
    const { stdout } = await run(
      'node',
      ['bin/liveline.js', 'import', DEMO, '--slug', 'fine', ...YEAR],
      {
        env: env(),
        timeout: 30_000,
      },
    );
    assert.match(stdout, /as \/live\/fine/);
  });
});
