import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../support/app.ts';
import { readSample, SAMPLE_14, SAMPLE_20, samplesMissing } from '../support/samples.ts';

const run = promisify(execFile);

/** What editors on Windows save: UTF-8 with a byte-order mark in front. */
const BOM = '\uFEFF';

describe(
  'a capture that starts with a byte-order mark',
  { skip: samplesMissing, timeout: 60_000 },
  () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp();
    });
    after(() => t.close());

    it('is imported by POST /api/import as if the mark were not there', async () => {
      const sample = readSample(SAMPLE_14);
      const res = await t.call(
        'editor',
        'POST',
        '/api/import?slug=bom-http&year=2025',
        BOM + sample,
        {
          'content-type': 'text/plain; charset=utf-8',
        },
      );
      assert.equal(res.statusCode, 201, res.body);
      const report = res.json<{ posts: number; assumptions: string[] }>();
      assert.equal(report.posts, 20);
      assert.ok(
        report.assumptions.some((a) => /byte-order mark/.test(a)),
        report.assumptions.join('\n'),
      );
      // The mark is gone: the page writes back as the capture without it.
      assert.equal((await t.call(null, 'GET', '/live/bom-http.txt')).body, sample);
      const page = (await t.call(null, 'GET', '/api/pages/bom-http')).json<{ postCount: number }>();
      assert.equal(page.postCount, 20);
    });

    it('is imported by `liveline import` as if the mark were not there', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'liveline-bom-'));
      const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '' };
      const cli = (...args: string[]) =>
        run('node', ['bin/liveline.js', ...args], { env, maxBuffer: 10_000_000, timeout: 30_000 });
      try {
        const sample = readSample(SAMPLE_20);
        const file = join(dir, 'capture-with-bom.txt');
        writeFileSync(file, BOM + sample, 'utf8');
        const { stdout } = await cli('import', file, '--slug', 'bom-cli', '--year', '2025');
        assert.match(stdout, /Imported 20 posts/);
        assert.match(stdout, /Assumed: .*byte-order mark/);
        assert.equal((await cli('export', 'bom-cli')).stdout, sample);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
