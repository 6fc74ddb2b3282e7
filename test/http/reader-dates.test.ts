import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_SLUG, loadDemoIfEmpty } from '../../src/services/demo.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { readSample, SAMPLE_14, SAMPLE_20, samplesMissing } from '../support/samples.ts';

/**
 * The dates a reader sees (the header's "Last updated", the wrap-up's "The last update came
 * at", the JSON-LD for search engines) tell the story's time, taken from the posts: never the
 * moment the rows were written, which for an imported capture is the day of the import.
 */

interface LiveBlogLd {
  datePublished: string;
  dateModified: string;
  coverageStartTime?: string;
  coverageEndTime?: string;
  liveBlogUpdate: { datePublished: string; dateModified: string }[];
}

function jsonLd(html: string): LiveBlogLd {
  const raw = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1];
  assert.ok(raw, 'the page has JSON-LD');
  return JSON.parse(raw) as LiveBlogLd;
}

function lastUpdated(html: string): { datetime: string; text: string } {
  const m = /<time id="last-updated" datetime="([^"]+)">([^<]+)<\/time>/.exec(html);
  assert.ok(m, 'the header says when the page was last updated');
  return { datetime: m[1] ?? '', text: m[2] ?? '' };
}

function lastUpdateCameAt(html: string): string | undefined {
  return /The last update came at <time datetime="([^"]+)"/.exec(html)?.[1];
}

describe('reader page dates come from the posts', { skip: samplesMissing, timeout: 60_000 }, () => {
  let t: TestApp;
  const html = async (url: string) => {
    const res = await t.call(null, 'GET', url, undefined, { accept: 'text/html' });
    assert.equal(res.statusCode, 200, url);
    return res.body;
  };
  before(async () => {
    t = await startTestApp();
    // Two captures: page 1 is 20 March (newest post 18:10), page 2 is 14 March.
    const captures = [readSample(SAMPLE_20), readSample(SAMPLE_14)];
    for (const [i, text] of captures.entries()) {
      const res = await t.call('editor', 'POST', `/api/import?slug=dates-${i}&year=2025`, text, {
        'content-type': 'text/plain; charset=utf-8',
      });
      assert.equal(res.statusCode, 201, res.body);
    }
  });
  after(() => t.close());

  it('an imported capture says it was last updated at its newest post, and ended then', async () => {
    const page = await html('/live/dates-0');
    assert.deepEqual(lastUpdated(page), {
      datetime: '2025-03-20T18:10:00.000Z',
      text: '18:10 GMT 20 March',
    });
    assert.match(page, /badge--ended/);
    assert.equal(lastUpdateCameAt(page), '2025-03-20T18:10:00.000Z');
  });

  it('the front page dates each live page by its newest post too', async () => {
    const index = await html('/');
    const card =
      /<li class="page-card">(?:(?!<\/li>).)*?\/live\/dates-0"(?:(?!<\/li>).)*<\/li>/s.exec(
        index,
      )?.[0];
    assert.ok(card, 'the front page lists the imported page');
    assert.match(
      card,
      /Last updated <time datetime="2025-03-20T18:10:00.000Z">18:10 GMT 20 March<\/time>/,
    );
  });

  it('its JSON-LD starts coverage at the earliest post and dates nothing after its posts', async () => {
    const posts = (await t.call(null, 'GET', '/api/pages/dates-0/posts')).json<{
      posts: { publishedAt: string }[];
    }>().posts;
    const times = posts.map((post) => post.publishedAt).sort();
    const [earliest, newest] = [times[0], times.at(-1)];
    assert.equal(newest, '2025-03-20T18:10:00.000Z');
    const ld = jsonLd(await html('/live/dates-0'));
    assert.equal(ld.coverageStartTime, earliest);
    assert.equal(ld.datePublished, earliest);
    assert.equal(ld.dateModified, newest);
    assert.equal(ld.coverageEndTime, newest);
    for (const update of ld.liveBlogUpdate) {
      assert.ok(update.datePublished >= (earliest ?? ''), update.datePublished);
      assert.equal(update.dateModified, update.datePublished, 'an imported post was never edited');
    }
  });

  it("a post's permalink and a later page carry the page's own dates", async () => {
    const { posts } = (await t.call(null, 'GET', '/api/pages/dates-0/posts?page=1')).json<{
      posts: { id: string }[];
    }>();
    const permalink = await html(`/live/dates-0/posts/${posts.at(-1)?.id}`);
    assert.equal(lastUpdated(permalink).datetime, '2025-03-20T18:10:00.000Z');
    assert.equal(lastUpdateCameAt(permalink), '2025-03-20T18:10:00.000Z');

    // Pages 1 and 2 of a live page with 25 posts agree on when it was updated and started.
    for (let i = 0; i < 5; i += 1) {
      const res = await t.call('editor', 'POST', '/api/pages/dates-1/posts', {
        headline: `An older post ${i}`,
        publishedAt: `2025-03-1${i}T08:00:00.000Z`,
        body: [{ type: 'paragraph', content: [{ type: 'text', text: 'Earlier.' }] }],
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const [one, two] = [await html('/live/dates-1'), await html('/live/dates-1?page=2')];
    assert.equal(lastUpdated(one).datetime, '2025-03-14T16:16:00.000Z');
    assert.equal(lastUpdated(two).datetime, '2025-03-14T16:16:00.000Z');
    assert.equal(jsonLd(one).coverageStartTime, '2025-03-10T08:00:00.000Z');
    assert.equal(jsonLd(two).coverageStartTime, '2025-03-10T08:00:00.000Z');
  });

  it('an edit of a post is an update: it moves "Last updated" to the time of the edit', async () => {
    const { posts } = (await t.call(null, 'GET', '/api/pages/dates-0/posts')).json<{
      posts: { id: string; revision: number }[];
    }>();
    const oldest = posts.at(-1);
    const before = Date.now();
    const res = await t.call('editor', 'PATCH', `/api/pages/dates-0/posts/${oldest?.id}`, {
      revision: oldest?.revision,
      headline: 'A corrected headline',
    });
    assert.equal(res.statusCode, 200, res.body);
    const updated = Date.parse(lastUpdated(await html('/live/dates-0')).datetime);
    assert.ok(updated >= before - 1_000, 'the edit is the newest update');
  });
});

describe('the demo live page', { timeout: 60_000 }, () => {
  it('ends, as its newest post says, and its dates are those of its posts', async () => {
    const t = await startTestApp();
    try {
      assert.equal(await loadDemoIfEmpty(t.services), DEMO_SLUG);
      const api = (await t.call(null, 'GET', `/api/pages/${DEMO_SLUG}`)).json<{ status: string }>();
      assert.equal(api.status, 'ended');
      const { posts } = (await t.call(null, 'GET', `/api/pages/${DEMO_SLUG}/posts`)).json<{
        posts: { headline: string; publishedAt: string }[];
      }>();
      assert.match(posts[0]?.headline ?? '', /pausing our coverage/);
      const page = await t.call(null, 'GET', `/live/${DEMO_SLUG}`, undefined, {
        accept: 'text/html',
      });
      assert.match(page.body, /<span class="badge badge--ended">Ended<\/span>/);
      assert.doesNotMatch(page.body, /badge--live/);
      assert.equal(lastUpdateCameAt(page.body), posts[0]?.publishedAt);
      assert.equal(lastUpdated(page.body).datetime, '2025-10-26T03:40:00.000Z');
    } finally {
      await t.close();
    }
  });
});
