import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { WORST_CASE_PAGE, WORST_CASE_POSTS } from '../support/worst-case.ts';

/**
 * The class of defect: a post, or a page of posts, that costs seconds and megabytes to
 * render. Posts at every limit, shaped to make each renderer work hardest, must be accepted;
 * a page of 20 of them must stay under a size bound; anything beyond the limits is refused.
 * (Times are reported by the test's log, not asserted: sizes are what the limits control.)
 */

/**
 * The bounds, over what these posts measured (2026-12-01, `npx tsx
 * scripts/measure-render-limits.ts`, 2 shared cores): the largest page 1,575 KiB rendered in
 * 32 ms, the largest permalink 119 KiB in 1.3 ms, the largest feed 984 KiB in 13 ms. Before
 * the limits, 20 posts of 1 MB made a 200 MB page that took 21 s. The feed was measured
 * again after it moved to its own XML writer, which escapes the HTML content instead of
 * wrapping it in CDATA (ADR 0010): 1,530 KiB for 20 posts of the most links. Click-to-load
 * embed cards (ADR 0021) carry their player's address, sandbox and a hidden "Load" button:
 * 20 posts of the most embeds measured a 1,663 KiB page in 447 ms (under the whole test run)
 * and a 1,713 KiB feed, so both bounds moved from 1,700,000 to 1,800,000 bytes.
 */
const MAX_PAGE_BYTES = 1_800_000;
const MAX_PERMALINK_BYTES = 140_000;
const MAX_FEED_BYTES = 1_800_000;

describe('posts and pages are bounded in size', { timeout: 120_000 }, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  for (const [name, post] of Object.entries(WORST_CASE_POSTS)) {
    it(`a page of 20 posts like "${name}" stays under its size bounds`, async (test) => {
      const slug = name.replaceAll(' ', '-');
      const created = await t.call('editor', 'POST', '/api/pages', { slug, ...WORST_CASE_PAGE });
      assert.equal(created.statusCode, 201, created.body.slice(0, 300));
      let id = '';
      for (let i = 0; i < 20; i++) {
        const res = await t.call('editor', 'POST', `/api/pages/${slug}/posts`, post);
        assert.equal(
          res.statusCode,
          201,
          `the worst case must be a valid post: ${res.body.slice(0, 300)}`,
        );
        id = res.json<{ id: string }>().id;
      }
      const started = performance.now();
      const page = await t.call(null, 'GET', `/live/${slug}`);
      const pageMs = performance.now() - started;
      const permalink = await t.call(null, 'GET', `/live/${slug}/posts/${id}`);
      const feed = await t.call(null, 'GET', `/live/${slug}/feed.xml`);
      for (const res of [page, permalink, feed]) assert.equal(res.statusCode, 200);
      test.diagnostic(
        `${name}: page ${page.rawPayload.length} B in ${pageMs.toFixed(1)} ms, ` +
          `permalink ${permalink.rawPayload.length} B, feed ${feed.rawPayload.length} B`,
      );
      assert.ok(page.rawPayload.length <= MAX_PAGE_BYTES, `page: ${page.rawPayload.length} B`);
      assert.ok(
        permalink.rawPayload.length <= MAX_PERMALINK_BYTES,
        `permalink: ${permalink.rawPayload.length} B`,
      );
      assert.ok(feed.rawPayload.length <= MAX_FEED_BYTES, `feed: ${feed.rawPayload.length} B`);
    });
  }

  it('refuses a post over the limits, naming the body, and a body over the byte limit', async () => {
    await t.call('editor', 'POST', '/api/pages', { slug: 'over', title: 'Over', status: 'live' });
    const before = (await t.call(null, 'GET', '/api/pages/over')).json();
    const text = (n: number) => ({
      type: 'paragraph',
      content: [{ type: 'text', text: '<'.repeat(n) }],
    });
    const cases: { body: unknown[]; status: number; code: string }[] = [
      // Today's defect: a post of 1 MB of "<" was accepted and rendered to 10 MB.
      { body: Array.from({ length: 110 }, () => text(9_000)), status: 413, code: 'BODY_TOO_LARGE' },
      { body: [text(3_000), text(2_001)], status: 422, code: 'VALIDATION_FAILED' },
      {
        body: Array.from({ length: 40 }, () => ({
          type: 'paragraph',
          content: Array.from({ length: 10 }, () => ({ type: 'text', text: '' })),
        })),
        status: 422,
        code: 'VALIDATION_FAILED',
      },
    ];
    for (const { body, status, code } of cases) {
      const res = await t.call('editor', 'POST', '/api/pages/over/posts', { headline: 'x', body });
      assert.equal(res.statusCode, status, res.body.slice(0, 300));
      const problem = res.json<{ code: string; errors?: { field: string }[] }>();
      assert.equal(problem.code, code);
      if (status === 422) assert.equal(problem.errors?.[0]?.field, 'body/body');
    }
    assert.deepEqual((await t.call(null, 'GET', '/api/pages/over')).json(), before);
  });
});
