import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestApp } from '../support/app.ts';

interface Problem {
  code: string;
  status: number;
}

describe('rate limits', { timeout: 30_000 }, () => {
  it('slows down token guessing from one address: 429 with Retry-After after the limit', async () => {
    const t = await startTestApp(undefined, { rateLimits: { authFailuresPerMinute: 3 } });
    try {
      const guess = (token: string, ip: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/pages',
          remoteAddress: ip,
          headers: { authorization: `Bearer ${token}` },
          payload: { slug: 'guessed', title: 'Guessed' },
        });
      for (let i = 0; i < 3; i++)
        assert.equal((await guess(`ll_guess${i}`, '10.0.0.1')).statusCode, 401);
      const limited = await guess('ll_guess4', '10.0.0.1');
      assert.equal(limited.statusCode, 429, limited.body);
      assert.match(String(limited.headers['content-type']), /^application\/problem\+json/);
      assert.equal(limited.json<Problem>().code, 'RATE_LIMITED');
      const retryAfter = Number(limited.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
      // Another address is not affected; reads without a token are not counted.
      assert.equal((await guess('ll_other', '10.0.0.2')).statusCode, 401);
      assert.equal(
        (await t.app.inject({ url: '/api/pages', remoteAddress: '10.0.0.1' })).statusCode,
        200,
      );
      assert.equal((await t.call(null, 'GET', '/api/pages/guessed')).statusCode, 404);
    } finally {
      await t.close();
    }
  });

  it('limits writes per token, writing nothing past the limit, other tokens unaffected', async () => {
    const t = await startTestApp(undefined, { rateLimits: { writesPerMinute: 5 } });
    try {
      await t.call('editor', 'POST', '/api/pages', { slug: 'busy', title: 'Busy', status: 'live' });
      const publish = (as: 'editor' | 'admin', n: number) =>
        t.call(as, 'POST', '/api/pages/busy/posts', { headline: `Post ${n}`, body: [] });
      for (let n = 1; n <= 4; n++) assert.equal((await publish('editor', n)).statusCode, 201);
      const limited = await publish('editor', 5);
      assert.equal(limited.statusCode, 429, limited.body);
      assert.equal(limited.json<Problem>().code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      const page = (await t.call(null, 'GET', '/api/pages/busy')).json<{ postCount: number }>();
      assert.equal(page.postCount, 4, 'the limited write wrote nothing');
      assert.equal((await publish('admin', 6)).statusCode, 201, 'another token writes on');
      // Reads are not writes.
      assert.equal((await t.call('editor', 'GET', '/api/pages/busy')).statusCode, 200);
    } finally {
      await t.close();
    }
  });
});
