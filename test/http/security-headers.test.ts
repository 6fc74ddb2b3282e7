import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * What @fastify/helmet sent on every response when it ran per request (taken from the server
 * before issue 13 worked them out once): the same names, values and case must still be sent.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self';script-src 'self';style-src 'self';img-src 'self' https: data:;" +
    "media-src 'self' https:;connect-src 'self';object-src 'none';base-uri 'self';" +
    "form-action 'self';frame-ancestors 'self';frame-src https://platform.twitter.com " +
    'https://www.youtube-nocookie.com https://www.instagram.com https://player.vimeo.com ' +
    'https://embed.bsky.app https://www.tiktok.com https://www.facebook.com https://www.threads.com',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

/** The raw header lines of a response, as [name, value] pairs. */
function rawHeaders(url: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        const lines = new Map<string, string>();
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          lines.set(res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '');
        resolve(lines);
      });
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error(`${url}: no answer in 5 s`)));
    req.end();
  });
}

describe('security headers', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
    await s.call('editor', 'POST', '/api/pages', { slug: 'guarded', title: 'G', status: 'live' });
  });
  after(() => s.close());

  it(
    'are the same on pages, JSON, errors and the desk, as helmet sent them',
    { timeout: 20_000 },
    async () => {
      for (const path of [
        '/live/guarded',
        '/live/guarded', // the second from the render cache's fast path
        '/api/pages/guarded/posts',
        '/api/pages/guarded/posts?page=0', // 422
        '/nothing-here', // 404
        '/desk',
        '/',
      ]) {
        const lines = await rawHeaders(s.url + path);
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
          // The fast path sends the names as the cache keeps them (lower case).
          const sent = lines.get(name) ?? lines.get(name.toLowerCase());
          assert.equal(sent, value, `${path}: ${name}`);
        }
      }
    },
  );

  it(
    'let the embed view open frame-ancestors and drop X-Frame-Options',
    { timeout: 20_000 },
    async () => {
      const lines = await rawHeaders(`${s.url}/live/guarded/embed`);
      const csp = lines.get('Content-Security-Policy') ?? lines.get('content-security-policy');
      assert.match(csp ?? '', /frame-ancestors \*;/);
      assert.ok(![...lines.keys()].some((name) => name.toLowerCase() === 'x-frame-options'));
      // ...and only there.
      const page = await rawHeaders(`${s.url}/live/guarded/posts/none`);
      assert.equal(page.get('X-Frame-Options'), 'SAMEORIGIN');
    },
  );
});
