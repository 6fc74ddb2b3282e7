import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';

const SHELL_PATHS = [
  '/desk',
  '/desk/link/abc123',
  '/desk/pages/harbour-bridge',
  '/desk/users',
  '/desk/account',
];

describe('the desk shell', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  for (const url of SHELL_PATHS) {
    it(`GET ${url}: the shell, no inline script, strict CSP, never cached or indexed`, async () => {
      const res = await t.call(null, 'GET', url);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers['x-robots-tag'], 'noindex');
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /style-src 'self'(;|$)/);
      // Every script is a file of our own; none is inline.
      const scripts = [...res.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      assert.equal(scripts.length, 1);
      assert.match(scripts[0]![1]!, /src="\/desk\/assets\/desk\.js\?v=[\w-]{8}"/);
      assert.equal(scripts[0]![2], '');
      assert.doesNotMatch(res.body, /\sstyle=|<style/);
      assert.match(res.body, /data-reader-css="\/assets\/reader\.css\?v=/);
    });
  }

  it('serves the bundle and the stylesheet it links to, cacheable for a year', async () => {
    const shell = await t.call(null, 'GET', '/desk');
    for (const [, path] of shell.body.matchAll(/(?:src|href)="(\/desk\/assets\/[^"]+)"/g)) {
      const res = await t.call(null, 'GET', path!);
      assert.equal(res.statusCode, 200, path);
      assert.match(String(res.headers['cache-control']), /immutable/);
      assert.ok(res.body.length > 1000, `${path} has content`);
    }
    // A route that exists for GET but finds nothing is a 404, not "405, use GET": the
    // reader's assets and the desk's alike.
    for (const path of ['/desk/assets/nothing.js', '/assets/nothing.js']) {
      const missing = await t.call(null, 'GET', path);
      assert.equal(missing.statusCode, 404, path);
      assert.equal(missing.headers.allow, undefined, path);
    }
  });

  it('answers an address the desk does not have with a 404', async () => {
    const res = await t.call(null, 'GET', '/desk/nowhere');
    assert.equal(res.statusCode, 404);
  });
});
