import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createPerson, signIn } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

interface Answer {
  status: number;
  /** Every header but Date, by lower-case name. */
  headers: Record<string, string>;
  body: string;
}

/** A request on a fresh connection, headers as sent on the wire. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const named: Record<string, string> = {};
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = (res.rawHeaders[i] ?? '').toLowerCase();
          assert.equal(named[name], undefined, `${name} sent twice`);
          if (name !== 'date') named[name] = res.rawHeaders[i + 1] ?? '';
        }
        resolve({ status: res.statusCode ?? 0, headers: named, body });
      });
    });
    request.on('error', reject);
    request.setTimeout(5_000, () => request.destroy(new Error(`${url}: no answer in 5 s`)));
    request.end();
  });
}

const SLUG = 'fast-list';
const LIST = `/api/pages/${SLUG}/posts`;

describe('the anonymous JSON list of posts is served by the fast path', () => {
  let s: TestServer;
  const log: string[] = [];
  /** How many requests for `url` Fastify saw (it logs each one; the fast path does not). */
  const reachedFastify = (url: string) =>
    log.filter((line) => {
      const entry = JSON.parse(line) as { msg?: string; req?: { url?: string } };
      return entry.msg === 'incoming request' && entry.req?.url === url;
    }).length;
  let cursor = '';

  before(async () => {
    s = await startTestServer(undefined, {
      logger: { level: 'info', stream: { write: (line: string) => log.push(line) } },
      // Entries stay fresh through a slow test; a change still drops them at once (the bus).
      renderCacheFreshMs: 60_000,
    });
    await s.call('editor', 'POST', '/api/pages', {
      slug: SLUG,
      title: 'Fast list',
      status: 'live',
    });
    for (let i = 1; i <= 25; i++) {
      const res = await s.call('editor', 'POST', `${LIST}`, { headline: `Post ${i}`, body: [] });
      assert.equal(res.statusCode, 201);
    }
    // Signed in, so nothing is cached yet.
    cursor = (await s.call('editor', 'GET', `${LIST}?page=1`)).json<{ next: string }>().next;
    assert.match(cursor, /^[A-Za-z0-9_-]+$/);
  });
  after(() => s.close());

  it(
    'answers a repeat read below Fastify with every header and the body Fastify sent',
    { timeout: 20_000 },
    async () => {
      for (const url of [LIST, `${LIST}?page=1`, `${LIST}?page=2`, `${LIST}?after=${cursor}`]) {
        // The list without a page number is page 1: cached already for `?page=1`.
        const first = await get(s.url + url);
        assert.equal(first.status, 200, url);
        const seen = reachedFastify(url);
        const second = await get(s.url + url);
        assert.equal(reachedFastify(url), seen, `${url}: the repeat reached Fastify`);
        assert.equal(second.body, first.body, url);
        // A cookie (a desk session, perhaps) sends it through Fastify: the same answer.
        const viaFastify = await get(s.url + url, { cookie: 'unrelated=1' });
        assert.equal(reachedFastify(url), seen + 1, url);
        assert.deepEqual(second.headers, viaFastify.headers, url);
        assert.deepEqual(first.headers, viaFastify.headers, url);
        assert.equal(viaFastify.body, first.body, url);
      }
      const answer = await get(s.url + LIST);
      assert.match(answer.headers['content-security-policy'] ?? '', /default-src 'self'/);
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
      assert.equal(answer.headers['referrer-policy'], 'strict-origin-when-cross-origin');
      assert.equal(answer.headers['x-frame-options'], 'SAMEORIGIN');
      assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(
        answer.headers['cache-control'],
        'public, max-age=0, s-maxage=2, stale-while-revalidate=30',
      );
      assert.equal(answer.headers.vary, 'Authorization');
      assert.equal(answer.headers['content-length'], String(Buffer.byteLength(answer.body)));
      const listing = JSON.parse(answer.body) as { posts: { headline: string }[]; next: string };
      assert.equal(listing.posts.length, 20);
      assert.equal(listing.next, cursor);
      const page2 = JSON.parse((await get(`${s.url}${LIST}?page=2`)).body) as { posts: unknown[] };
      assert.equal(page2.posts.length, 5);
      // HEAD stays Fastify's: the same headers, no body.
      const head = await get(s.url + LIST, {}, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.body, '');
      assert.deepEqual(head.headers, answer.headers);
    },
  );

  it(
    'answers a matching If-None-Match, strong or weak, with a bodiless 304',
    { timeout: 20_000 },
    async () => {
      const url = `${LIST}?page=1`;
      const { headers } = await get(s.url + url);
      const etag = headers.etag ?? '';
      assert.match(etag, /^"[\w-]+"$/);
      for (const condition of [etag, `W/${etag}`]) {
        const before = reachedFastify(url);
        const fast = await get(s.url + url, { 'if-none-match': condition });
        assert.equal(fast.status, 304, condition);
        assert.equal(fast.body, '');
        assert.equal(reachedFastify(url), before, 'the 304 reached Fastify');
        const viaFastify = await get(s.url + url, { 'if-none-match': condition, cookie: 'a=b' });
        assert.equal(viaFastify.status, 304, condition);
        // Fastify sends "content-length: 0" on its 304, which RFC 9110 (8.6) forbids unless it
        // is the 200's length; the fast path sends none. Every other header is the same.
        assert.equal(viaFastify.headers['content-length'], '0');
        assert.equal(fast.headers['content-length'], undefined);
        const { 'content-length': _, ...rest } = viaFastify.headers;
        assert.deepEqual(fast.headers, rest, condition);
      }
      const stale = await get(s.url + url, { 'if-none-match': '"not-it"' });
      assert.equal(stale.status, 200);
    },
  );

  it(
    'never serves the cached list to a signed-in reader (token or desk session)',
    { timeout: 20_000 },
    async () => {
      const url = `${LIST}?page=1`;
      assert.match((await get(s.url + url)).headers['cache-control'] ?? '', /^public/);
      const person = await createPerson(s);
      const session = await signIn(s.url, person.email, person.password);
      const before = reachedFastify(url);
      const withSession = await get(s.url + url, { cookie: session.cookie });
      assert.equal(withSession.headers['cache-control'], 'private, no-store');
      const withToken = await get(s.url + url, { authorization: `Bearer ${s.tokens.editor}` });
      assert.equal(withToken.headers['cache-control'], 'private, no-store');
      assert.equal(reachedFastify(url), before + 2);
    },
  );

  it('shows a change at once, with a new ETag', { timeout: 20_000 }, async () => {
    const url = `${LIST}?page=1`;
    const old = await get(s.url + url);
    const res = await s.call('editor', 'POST', LIST, { headline: 'Just in', body: [] });
    assert.equal(res.statusCode, 201);
    const fresh = await get(s.url + url, { 'if-none-match': old.headers.etag ?? '' });
    assert.equal(fresh.status, 200);
    assert.notEqual(fresh.headers.etag, old.headers.etag);
    assert.equal(
      (JSON.parse(fresh.body) as { posts: { headline: string }[] }).posts[0]?.headline,
      'Just in',
    );
  });

  it(
    'leaves other queries to Fastify, which names what is wrong',
    { timeout: 20_000 },
    async () => {
      for (const [query, field] of [
        ['?page=0', 'page'],
        ['?after=', 'after'],
      ] as const) {
        const res = await get(`${s.url}${LIST}${query}`);
        assert.equal(res.status, 422, query);
        assert.match(res.headers['content-type'] ?? '', /problem\+json/);
        assert.match(res.body, new RegExp(field));
      }
      const unknown = await get(`${s.url}/api/pages/no-such-page/posts?page=1`);
      assert.equal(unknown.status, 404);
    },
  );
});

describe('the cached live page from the fast path', () => {
  it('answers a weak If-None-Match with a 304, as Fastify does', { timeout: 20_000 }, async () => {
    const s = await startTestServer(undefined, { renderCacheFreshMs: 60_000 });
    try {
      await s.call('editor', 'POST', '/api/pages', { slug: 'weak', title: 'Weak', status: 'live' });
      const first = await get(`${s.url}/live/weak`);
      const etag = first.headers.etag ?? '';
      const weak = await get(`${s.url}/live/weak`, { 'if-none-match': `W/${etag}` });
      assert.equal(weak.status, 304);
      assert.equal(weak.body, '');
      assert.equal(
        weak.headers['content-security-policy'],
        first.headers['content-security-policy'],
      );
      assert.equal(weak.headers['content-length'], undefined);
    } finally {
      await s.close();
    }
  });
});
