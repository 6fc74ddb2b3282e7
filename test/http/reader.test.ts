import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { startTestServer } from '../support/server.ts';
import { aParagraph } from '../support/factories.ts';
import { DEMO_SLUG, loadDemoIfEmpty } from '../../src/services/demo.ts';

describe("the reader's pages over HTTP", () => {
  let t: TestApp;
  const ids: string[] = [];
  const html = async (url: string) => {
    const res = await t.call(null, 'GET', url, undefined, { accept: 'text/html' });
    return { res, body: res.body };
  };

  before(async () => {
    t = await startTestApp();
    await t.call('editor', 'POST', '/api/pages', {
      slug: 'summit',
      title: 'Summit in Geneva',
      description: 'Leaders meet.',
      status: 'live',
      summary: [{ text: 'Talks began at 09:00' }],
    });
    for (let i = 1; i <= 25; i++) {
      const res = await t.call('editor', 'POST', '/api/pages/summit/posts', {
        headline: `Update ${i}`,
        publishedAt: new Date(Date.UTC(2025, 2, 20, 9, i)).toISOString(),
        body: [aParagraph(`Paragraph ${i}.`)],
        labels: i === 25 ? ['breaking'] : [],
      });
      ids.push(res.json<{ id: string }>().id);
    }
  });
  after(() => t.close());

  it('renders page 1 with the newest 20 posts, the summary, and security headers', async () => {
    const { res, body } = await html('/live/summit');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal((body.match(/<article/g) ?? []).length, 20);
    assert.ok(body.indexOf('Update 25') < body.indexOf('Update 24'), 'newest first');
    assert.match(body, /Talks began at 09:00/);
    assert.match(body, /Page 1 of 2/);
    assert.match(body, /datetime="2025-03-20T09:25:00.000Z"/);
    assert.match(body, /09:25 GMT/);
    assert.match(body, /application\/ld\+json/);
    assert.match(body, /LiveBlogPosting/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(res.headers['referrer-policy']);
    assert.match(String(res.headers['cache-control']), /s-maxage=\d+, stale-while-revalidate/);
    assert.ok(res.headers.etag);
    assert.doesNotMatch(body, /<script(?![^>]*(src=|application\/ld\+json))/, 'no inline script');
  });

  it('shows a new post on the next read, and answers a matching ETag with 304', async () => {
    const first = await html('/live/summit');
    const etag = String(first.res.headers.etag);
    const again = await t.call(null, 'GET', '/live/summit', undefined, { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    await t.call('editor', 'POST', '/api/pages/summit/posts', {
      headline: 'Fresh off the desk',
      body: [aParagraph('New.')],
    });
    const after = await t.call(null, 'GET', '/live/summit', undefined, { 'if-none-match': etag });
    assert.equal(after.statusCode, 200);
    assert.match(after.body, /Fresh off the desk/);
    const posts = (await t.call(null, 'GET', '/api/pages/summit/posts')).json<{
      posts: { id: string; headline: string }[];
    }>().posts;
    const fresh = posts.find((p) => p.headline === 'Fresh off the desk');
    await t.call('editor', 'DELETE', `/api/pages/summit/posts/${fresh?.id}`);
    assert.doesNotMatch((await html('/live/summit')).body, /Fresh off the desk/);
  });

  it('renders page 2 and answers a page beyond the last with a real 404 page', async () => {
    const { body } = await html('/live/summit?page=2');
    assert.equal((body.match(/<article/g) ?? []).length, 5);
    assert.match(body, /Page 2 of 2/);
    const beyond = await html('/live/summit?page=3');
    assert.equal(beyond.res.statusCode, 404);
    assert.match(String(beyond.res.headers['content-type']), /^text\/html/);
    const unknown = await html('/live/no-such-page');
    assert.equal(unknown.res.statusCode, 404);
    assert.match(unknown.body, /<html/);
  });

  it('keeps a permalink working once the post has moved to page 2, with its own headline in the card tags', async () => {
    const { res, body } = await html(`/live/summit/posts/${ids[0]}`);
    assert.equal(res.statusCode, 200);
    assert.match(body, /<meta property="og:title" content="Update 1"/);
    assert.match(body, /Paragraph 1\./);
    assert.equal((await html(`/live/summit/posts/00000000000000000000`)).res.statusCode, 404);
  });

  it('lists live pages at /', async () => {
    const { body } = await html('/');
    assert.match(body, /Summit in Geneva/);
    assert.match(body, /href="\/live\/summit"/);
  });

  it('serves an Atom feed and the reader assets', async () => {
    const feed = await t.call(null, 'GET', '/live/summit/feed.xml');
    assert.equal(feed.statusCode, 200);
    assert.match(String(feed.headers['content-type']), /^application\/atom\+xml/);
    assert.equal((feed.body.match(/<entry>/g) ?? []).length, 20);
    const page = (await html('/live/summit')).body;
    const script = /src="(\/assets\/reader\.js\?v=[^"]+)"/.exec(page)?.[1];
    const css = /href="(\/assets\/reader\.css\?v=[^"]+)"/.exec(page)?.[1];
    assert.ok(script && css);
    const js = await t.call(null, 'GET', script);
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.match(String(js.headers['cache-control']), /immutable/);
    assert.equal((await t.call(null, 'GET', css)).statusCode, 200);
  });
});

describe('the demo live page', () => {
  it('loads on an empty database and weighs under 100 KB without images', async () => {
    const t = await startTestApp();
    try {
      const slug = await loadDemoIfEmpty(t.services);
      assert.equal(slug, DEMO_SLUG);
      assert.equal(await loadDemoIfEmpty(t.services), null, 'loaded once only');
      const loaded = (await t.call(null, 'GET', `/api/pages/${DEMO_SLUG}`)).json();
      assert.deepEqual(
        [loaded.title, loaded.status, loaded.postCount],
        ['Kestrel-1 launch: the first orbital rocket from Skerra Head', 'ended', 25],
        'a story that has ended: no LIVE badge over its last post',
      );
      assert.match(String(loaded.description), /^A demonstration live page/);
      const [newest] = (await t.call(null, 'GET', `/api/pages/${DEMO_SLUG}/posts`)).json<{
        posts: { publishedAt: string }[];
      }>().posts;
      assert.match(String(newest?.publishedAt), /^2025-10-2/, 'the night the clocks went back');
      const authors = (await t.services.store.listUsers()).filter(
        (u) => u.name === 'Liveline demo',
      );
      assert.equal(authors.length, 1, 'its author made once');
      const page = await t.call(null, 'GET', `/live/${DEMO_SLUG}`, undefined, {
        accept: 'text/html',
      });
      assert.equal(page.statusCode, 200);
      assert.equal((page.body.match(/<article/g) ?? []).length, 20);
      const assets = [...page.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map(
        (m) => m[1] ?? '',
      );
      assert.equal(assets.length, 2);
      let bytes = page.rawPayload.length;
      for (const asset of assets) bytes += (await t.call(null, 'GET', asset)).rawPayload.length;
      assert.ok(bytes < 100 * 1024, `the page weighs ${bytes} bytes`);
    } finally {
      await t.close();
    }
  });
});

describe('the cached-page fast path', () => {
  it('answers a repeat read below Fastify with the same headers and body, and 304 on a match', async () => {
    const s = await startTestServer();
    try {
      await s.call('editor', 'POST', '/api/pages', { slug: 'fast', title: 'Fast', status: 'live' });
      const first = await fetch(`${s.url}/live/fast`);
      const body = await first.text();
      const second = await fetch(`${s.url}/live/fast`);
      assert.equal(await second.text(), body);
      for (const name of [
        'content-security-policy',
        'x-content-type-options',
        'etag',
        'cache-control',
        'content-type',
      ]) {
        assert.equal(second.headers.get(name), first.headers.get(name), name);
      }
      const etag = second.headers.get('etag') ?? '';
      const notModified = await fetch(`${s.url}/live/fast`, { headers: { 'if-none-match': etag } });
      assert.equal(notModified.status, 304);
      assert.equal(
        notModified.headers.get('content-security-policy'),
        first.headers.get('content-security-policy'),
      );
      await s.call('editor', 'POST', '/api/pages/fast/posts', {
        headline: 'Breaks the cache',
        body: [],
      });
      assert.match(await (await fetch(`${s.url}/live/fast`)).text(), /Breaks the cache/);
      const changed = await fetch(`${s.url}/live/fast`, { headers: { 'if-none-match': etag } });
      assert.equal(changed.status, 200);
    } finally {
      await s.close();
    }
  });
});
