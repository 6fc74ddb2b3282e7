import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';
import { readFileSync } from 'node:fs';
import { DEMO_FILE } from '../../src/services/demo.ts';

// A double-clicked Publish must make one post, on every database, even when the two
// requests race each other.
for (const adapter of await adapters()) {
  describe(`idempotent publishing: ${adapter.name}`, { skip: adapter.skip }, () => {
    let t: TestApp;
    let drop: () => Promise<void>;
    const url = '/api/pages/vote/posts';
    const post = { headline: 'Polls close', body: [aParagraph('Counting begins.')] };
    const count = async () =>
      (await t.call(null, 'GET', '/api/pages/vote')).json<{ postCount: number; lastSeq: number }>();

    before(async () => {
      const opened = await adapter.open();
      drop = opened.drop;
      t = await startTestApp(opened.store);
      await t.call('editor', 'POST', '/api/pages', {
        slug: 'vote',
        title: 'Election night',
        status: 'live',
      });
    });
    after(async () => {
      await t.app.close();
      await drop();
    });

    it('returns the first response to a repeated key and creates nothing new', async () => {
      const key = { 'idempotency-key': 'publish-1' };
      const first = await t.call('editor', 'POST', url, post, key);
      assert.equal(first.statusCode, 201);
      const second = await t.call('editor', 'POST', url, post, key);
      assert.equal(second.statusCode, 201);
      assert.equal(second.headers['idempotent-replayed'], 'true');
      assert.deepEqual(second.json(), first.json());
      assert.deepEqual(await count(), { ...(await count()), postCount: 1, lastSeq: 1 });
    });

    it('makes one post from concurrent requests with the same key', async () => {
      const key = { 'idempotency-key': 'publish-race' };
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => t.call('editor', 'POST', url, post, key)),
      );
      assert.deepEqual(
        responses.map((r) => r.statusCode),
        [201, 201, 201, 201, 201],
      );
      assert.equal(new Set(responses.map((r) => r.json<{ id: string }>().id)).size, 1);
      const after = await count();
      assert.equal(after.postCount, 2);
      assert.equal(after.lastSeq, 2);
    });

    it('refuses the same key with a different request', async () => {
      const res = await t.call(
        'editor',
        'POST',
        url,
        { ...post, headline: 'Other' },
        { 'idempotency-key': 'publish-1' },
      );
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().code, 'IDEMPOTENCY_KEY_REUSED');
      assert.equal((await count()).postCount, 2);
    });

    it('keeps keys per user: another user may use the same key', async () => {
      const res = await t.call('contributor', 'POST', url, post, {
        'idempotency-key': 'publish-1',
      });
      assert.equal(res.statusCode, 201);
      assert.equal(res.headers['idempotent-replayed'], undefined);
      assert.equal((await count()).postCount, 3);
    });

    it('replays the first answer of every idempotent route with its status, body and headers', async () => {
      const capture = readFileSync(DEMO_FILE, 'utf8');
      const routes: [string, string, string | object, Record<string, string>][] = [
        ['POST', url, { headline: 'Replayed', body: [aParagraph('Once.')] }, {}],
        ['POST', '/api/pages', { slug: 'replayed-page', title: 'Replayed page' }, {}],
        [
          'POST',
          '/api/import?slug=replayed-import&year=2025',
          capture,
          { 'content-type': 'text/plain' },
        ],
      ];
      for (const [method, route, body, headers] of routes) {
        const key = { 'idempotency-key': `replay ${route}`, ...headers };
        const first = await t.call('editor', method, route, body, key);
        assert.equal(first.statusCode, 201, first.body);
        const lastSeq = (await count()).lastSeq;
        const second = await t.call('editor', method, route, body, key);
        assert.equal(second.statusCode, first.statusCode, route);
        assert.equal(second.headers['idempotent-replayed'], 'true', route);
        assert.equal(second.headers.location, first.headers.location, route);
        assert.ok(first.headers.location, route);
        assert.deepEqual(second.json(), first.json(), route);
        assert.equal((await count()).lastSeq, lastSeq, `${route}: nothing new written`);
      }
    });
  });
}
