import { scrape } from '../support/metrics.ts';
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { aParagraph } from '../support/factories.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** A GET with a Host header of our choosing (fetch does not allow setting Host). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.setTimeout(5_000, () => request.destroy(new Error('timed out')));
  });
}

const metric = async (s: TestServer, name: string): Promise<number> => {
  const text = await scrape(s.url);
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ').at(-1)) : Number.NaN;
};

describe('absolute URLs come from PUBLIC_URL and the render cache cannot be grown by Host', () => {
  let s: TestServer;
  const PUBLIC = 'https://live.example.org';
  before(async () => {
    s = await startTestServer(undefined, { publicUrl: PUBLIC, renderCacheBytes: 256 * 1024 });
    for (const slug of ['cache-a', 'cache-b', 'cache-c', 'cache-d']) {
      await s.call('editor', 'POST', '/api/pages', { slug, title: slug, status: 'live' });
      // ~90 KB of text on each page's first page (20 posts near the post size limit): four
      // pages do not fit in 256 KiB.
      for (let i = 0; i < 20; i++) {
        const res = await s.call('editor', 'POST', `/api/pages/${slug}/posts`, {
          headline: `Post ${i}`,
          body: [1, 2].map(() => aParagraph('word '.repeat(450))),
        });
        assert.equal(res.statusCode, 201);
      }
    }
  });
  after(() => s.close());

  it(
    '300 different Host headers make one cache entry, and no page names them',
    { timeout: 30_000 },
    async () => {
      const first = await getWithHost(`${s.url}/live/cache-a`, 'first.example');
      assert.equal(first.status, 200);
      const entries = await metric(s, 'liveline_render_cache_entries');
      const bytes = await metric(s, 'liveline_render_cache_bytes');
      assert.equal(entries, 1);
      for (let i = 0; i < 300; i++) {
        const res = await getWithHost(`${s.url}/live/cache-a`, `attacker-${i}.example`);
        assert.equal(res.status, 200);
        assert.ok(!res.body.includes('attacker-'), 'the Host header is never echoed');
      }
      assert.equal(await metric(s, 'liveline_render_cache_entries'), entries);
      assert.equal(await metric(s, 'liveline_render_cache_bytes'), bytes);
      assert.match(
        first.body,
        /<link rel="canonical" href="https:\/\/live\.example\.org\/live\/cache-a"/,
      );
    },
  );

  it(
    'builds feeds, permalinks and the index from PUBLIC_URL whatever the Host',
    { timeout: 10_000 },
    async () => {
      const feed = await getWithHost(`${s.url}/live/cache-a/feed.xml`, 'evil.example');
      assert.match(feed.body, /<id>https:\/\/live\.example\.org\/live\/cache-a<\/id>/);
      const index = await getWithHost(`${s.url}/`, 'evil.example');
      for (const body of [feed.body, index.body]) assert.ok(!body.includes('evil.example'));
    },
  );

  it('evicts the least recently used pages past its byte budget', { timeout: 10_000 }, async () => {
    for (const slug of ['cache-a', 'cache-b', 'cache-c', 'cache-d']) {
      assert.equal((await fetch(`${s.url}/live/${slug}`)).status, 200);
    }
    const bytes = await metric(s, 'liveline_render_cache_bytes');
    const entries = await metric(s, 'liveline_render_cache_entries');
    assert.ok(bytes <= 256 * 1024, `holds ${bytes} bytes`);
    assert.ok(entries < 4, `holds ${entries} entries`);
  });
});
