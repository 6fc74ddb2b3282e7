import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';

/**
 * A reader who follows a broken link sees the site's own error page (HTML, the right status,
 * nothing of the machinery: no JSON, no error codes, no stack), on every reader route. The API
 * keeps answering problem+json.
 */

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('reader routes answer bad addresses with an HTML error page', { timeout: 60_000 }, () => {
  let t: TestApp;
  let postId = '';
  before(async () => {
    t = await startTestApp();
    await t.call('editor', 'POST', '/api/pages', { slug: 'storm', title: 'Storm', status: 'live' });
    const res = await t.call('editor', 'POST', '/api/pages/storm/posts', {
      headline: 'First',
      body: [aParagraph('One.')],
    });
    postId = res.json<{ id: string }>().id;
  });
  after(() => t.close());

  /** [address, status]: every reader route, with each kind of bad parameter it takes. */
  const cases = (): [string, number][] => [
    ['/live/storm?page=abc', 400],
    ['/live/storm?page=0', 400],
    ['/live/storm?page=-3', 400],
    ['/live/storm?page=1.5', 400],
    ['/live/storm?page=100001', 400],
    ['/live/storm?page=2', 404], // past the end
    ['/live/Bad_Slug', 404],
    ['/live/no-such-page', 404],
    ['/live/storm/posts/zzzz', 404],
    ['/live/storm/posts/00000000000000000000', 404],
    ['/live/Bad_Slug/posts/zzzz', 404],
    [`/live/no-such-page/posts/${postId}`, 404],
    ['/live/storm.txt?page=abc', 400],
    ['/live/storm.txt?page=0', 400],
    ['/live/storm.txt?page=2', 404],
    ['/live/Bad_Slug.txt', 404],
    ['/live/no-such-page.txt', 404],
    ['/live/Bad_Slug/feed.xml', 404],
    ['/live/no-such-page/feed.xml', 404],
    ['/live/storm/nothing-here', 404],
    ['/nothing-here', 404],
  ];

  const assertErrorPage = (
    url: string,
    status: number,
    res: Awaited<ReturnType<TestApp['call']>>,
  ) => {
    assert.equal(res.statusCode, status, `${url}: ${res.body.slice(0, 200)}`);
    assert.match(String(res.headers['content-type']), /^text\/html/, url);
    assert.match(res.body, /^<!DOCTYPE html><html lang="en-GB">/, url);
    assert.match(res.body, /<a href="\/">See all live coverage<\/a>/, url);
    for (const leak of [
      /"code"/,
      /VALIDATION_FAILED|_NOT_FOUND|OUT_OF_RANGE/,
      /\bat \S+\.ts:\d+/,
      /querystring\//,
    ]) {
      assert.doesNotMatch(res.body, leak, url);
    }
  };

  it('in a browser, every reader route gives the HTML page with 400 or 404', async () => {
    for (const [url, status] of cases()) {
      assertErrorPage(url, status, await t.call(null, 'GET', url, undefined, { accept: BROWSER }));
    }
  });

  it('every /live/ route gives it to a client that does not ask for JSON', async () => {
    for (const [url, status] of cases().filter(([u]) => u.startsWith('/live/'))) {
      assertErrorPage(url, status, await t.call(null, 'GET', url));
      assertErrorPage(url, status, await t.call(null, 'GET', url, undefined, { accept: '*/*' }));
      const sse = { accept: 'text/event-stream' };
      assertErrorPage(url, status, await t.call(null, 'GET', url, undefined, sse));
    }
  });

  it('the event stream, read by EventSource and never shown, answers with problem+json', async () => {
    for (const url of [
      '/live/storm/events?since=abc',
      '/live/storm/events?since=-1',
      '/live/Bad_Slug/events',
      '/live/no-such-page/events',
    ]) {
      const res = await t.call(null, 'GET', url, undefined, { accept: BROWSER });
      assert.ok([400, 404, 422].includes(res.statusCode), `${url}: ${res.statusCode}`);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/, url);
    }
  });

  it('a client that asks for JSON, and any write, gets problem+json', async () => {
    const json = { accept: 'application/problem+json' };
    const bad = await t.call(null, 'GET', '/live/storm?page=abc', undefined, json);
    assert.match(String(bad.headers['content-type']), /^application\/problem\+json/);
    const write = await t.call(null, 'POST', '/live/storm', 'x', { accept: BROWSER });
    assert.match(String(write.headers['content-type']), /^application\/problem\+json/);
  });

  it('says what is wrong in words a reader understands', async () => {
    const bad = await t.call(null, 'GET', '/live/storm?page=abc', undefined, { accept: BROWSER });
    assert.match(bad.body, /<h1>This address is not quite right<\/h1>/);
    assert.match(bad.body, /page/);
    const missing = await t.call(null, 'GET', '/live/Bad_Slug', undefined, { accept: BROWSER });
    assert.match(missing.body, /<h1>Page not found<\/h1>/);
  });

  it('the API still answers problem+json', async () => {
    for (const url of ['/api/pages/Bad_Slug', '/api/pages/storm/posts?page=abc', '/api/nothing']) {
      const res = await t.call(null, 'GET', url, undefined, { accept: BROWSER });
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/, url);
      assert.equal(typeof res.json<{ code: string }>().code, 'string');
    }
  });
});
