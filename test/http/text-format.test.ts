import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../support/app.ts';
import { readSample, SAMPLE_14, SAMPLE_20, samplesMissing } from '../support/samples.ts';

const run = promisify(execFile);

type Post = {
  headline: string;
  publishedAt: string;
  labels: string[];
  contributors: unknown[];
  body: { type: string; credit?: string; caption?: string }[];
};

describe('the text format over HTTP', { skip: samplesMissing }, () => {
  let t: TestApp;
  const importText = (as: 'editor' | 'contributor' | null, query: string, text: string) =>
    t.call(as, 'POST', `/api/import?${query}`, text, {
      'content-type': 'text/plain; charset=utf-8',
    });

  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('imports a capture as a live page, field by field, and serves it back byte for byte', async () => {
    const sample = readSample(SAMPLE_20);
    const res = await importText(
      'editor',
      'slug=ukraine-20&year=2025&title=Ukraine%20peace%20talks',
      sample,
    );
    assert.equal(res.statusCode, 201, res.body);
    const report = res.json<{
      posts: number;
      page: { postCount: number; title: string };
      assumptions: string[];
    }>();
    assert.equal(report.posts, 20);
    assert.equal(report.page.postCount, 20);
    assert.equal(report.page.title, 'Ukraine peace talks');

    const { posts } = (await t.call(null, 'GET', '/api/pages/ukraine-20/posts')).json<{
      posts: Post[];
    }>();
    assert.equal(posts[0]?.headline, 'More peace talks in coming days as fighting continues');
    assert.equal(posts[0]?.publishedAt, '2025-03-20T18:10:00.000Z');
    assert.deepEqual(posts[3]?.labels, ['analysis']);
    assert.deepEqual(posts[3]?.contributors, [{ name: 'Rich Preston', role: 'BBC News' }]);
    const image = posts[2]?.body.find((b) => b.type === 'image');
    assert.equal(image?.credit, 'Reuters');
    assert.match(image?.caption ?? '', /^Keir Starmer and John Healey/);
    assert.deepEqual(posts[19]?.labels, ['breaking']);

    // Each imported post's history starts with the version the capture gave it.
    const page = await t.services.store.getPage('ukraine-20');
    const first = await t.services.store.listPosts(page?.id ?? '', 0, 1);
    const steps = await t.services.store.listHistory(page?.id ?? '', first[0]?.id ?? '');
    assert.deepEqual(
      steps.map((s) => [s.action, s.note, s.content?.headline]),
      [['published', 'Imported from a capture', posts[0]?.headline]],
    );

    const text = await t.call(null, 'GET', '/live/ukraine-20.txt');
    assert.equal(text.statusCode, 200);
    assert.match(String(text.headers['content-type']), /^text\/plain/);
    assert.equal(text.body, sample);

    // A capture does not say where a link leads: readers see its words, unlinked.
    const html = (
      await t.call(null, 'GET', '/live/ukraine-20?page=1', undefined, { accept: 'text/html' })
    ).body;
    assert.match(html, /eventually join/);
    assert.doesNotMatch(html, /link-unknown\.invalid/);
  });

  it('round-trips the other sample too', async () => {
    const sample = readSample(SAMPLE_14);
    assert.equal((await importText('editor', 'slug=ukraine-14&year=2025', sample)).statusCode, 201);
    assert.equal((await t.call(null, 'GET', '/live/ukraine-14.txt?page=1')).body, sample);
  });

  it("gives an imported page a title from its slug, no description, ended, its posts' numbers", async () => {
    const res = await importText('editor', 'slug=peace-talks-14&year=2025', readSample(SAMPLE_14));
    assert.equal(res.statusCode, 201, res.body);
    const { page } = res.json<{ page: Record<string, unknown> }>();
    assert.deepEqual(
      [page.title, page.description, page.status, page.postCount, page.lastSeq],
      ['Peace talks 14', '', 'ended', 20, 20],
      'a capture is of coverage that is over; each post was logged',
    );
    const read = (await t.call(null, 'GET', '/api/pages/peace-talks-14')).json();
    assert.deepEqual(read, page, 'the report gives the page as stored');
    const live = await importText(
      'editor',
      'slug=still-live&year=2025&status=live',
      readSample(SAMPLE_14),
    );
    assert.equal(live.json<{ page: { status: string } }>().page.status, 'live');
  });

  it('refuses a capture that is not one, naming the line, and writes nothing', async () => {
    const res = await importText('editor', 'slug=not-a-capture', 'Hello\nthis is not a live page');
    assert.equal(res.statusCode, 422);
    const problem = res.json<{ code: string; detail: string; line: number }>();
    assert.equal(problem.code, 'VALIDATION_FAILED');
    assert.equal(problem.line, 1);
    assert.match(problem.detail, /line 1/);
    assert.equal((await t.call(null, 'GET', '/api/pages/not-a-capture')).statusCode, 404);
  });

  it('needs an editor token, and refuses a taken slug without writing', async () => {
    const sample = readSample(SAMPLE_14);
    assert.equal((await importText(null, 'slug=anon', sample)).statusCode, 401);
    assert.equal((await importText('contributor', 'slug=contrib', sample)).statusCode, 403);
    const taken = await importText('editor', 'slug=ukraine-14&year=2025', sample);
    assert.equal(taken.statusCode, 409);
    assert.equal(
      (await t.call(null, 'GET', '/api/pages/ukraine-14')).json<{ postCount: number }>().postCount,
      20,
    );
  });

  it('serves any page of any live page as text, not only imported ones', async () => {
    await t.call('editor', 'POST', '/api/pages', {
      slug: 'made-here',
      title: 'Made here',
      status: 'live',
    });
    await t.call('editor', 'POST', '/api/pages/made-here/posts', {
      headline: 'Written in the desk',
      publishedAt: '2025-07-01T08:05:00.000Z',
      labels: ['breaking'],
      contributors: [{ name: 'Ada Reporter', role: 'Reporter' }],
      body: [{ type: 'paragraph', content: [{ type: 'text', text: 'A paragraph.' }] }],
    });
    const text = (await t.call(null, 'GET', '/live/made-here.txt')).body;
    assert.match(text, /1\. Written in the desk/);
    assert.match(text, /published at 09:05 British Summer Time 1 July/);
    assert.match(text, /Ada Reporter\n {4}Reporter/);
    assert.equal((await t.call(null, 'GET', '/live/nowhere.txt')).statusCode, 404);
  });
});

describe('the text format through the CLI', { skip: samplesMissing }, () => {
  it('imports several files as the pages of one live page and exports each page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liveline-import-'));
    const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '' };
    const cli = (...args: string[]) =>
      run('node', ['bin/liveline.js', ...args], { env, maxBuffer: 10_000_000 });
    try {
      const { stdout } = await cli(
        'import',
        SAMPLE_20,
        SAMPLE_14,
        '--slug',
        'ukraine',
        '--year',
        '2025',
      );
      assert.match(stdout, /Imported 40 posts from 2 file\(s\) as \/live\/ukraine/);
      assert.match(stdout, /Assumed: .*2025/);
      const page1 = await cli('export', 'ukraine');
      assert.equal(page1.stdout, readSample(SAMPLE_20));
      const page2 = await cli('export', 'ukraine', '--page', '2');
      assert.match(page2.stdout, /1\. US 'cautiously optimistic' over Ukraine deal/);
      await assert.rejects(cli('export', 'ukraine', '--page', '3'), /fewer pages|has 2 page/);

      // The way times are written can be overridden on export, or recorded on import.
      const short = await cli(
        'export',
        'ukraine',
        '--zone-style',
        'short',
        '--show-year',
        '--no-repeat-time-line',
      );
      assert.match(short.stdout, /published at 18:10 GMT 20 March 2025\n\n/);
      await cli(
        'import',
        SAMPLE_14,
        '--slug',
        'short-zones',
        '--year',
        '2025',
        '--zone-style',
        'short',
      );
      assert.match(
        (await cli('export', 'short-zones')).stdout,
        /published at 16:16 GMT 14 March\n/,
      );
      await assert.rejects(cli('import', SAMPLE_20, '--slug', 'ukraine'), /already exists/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
