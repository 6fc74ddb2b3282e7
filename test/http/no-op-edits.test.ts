import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';

type PostJson = { id: string; headline: string; revision: number; updatedAt: string };
type PageJson = { revision: number; lastSeq: number; updatedAt: string; title: string };

// An edit that changes nothing is a no-op: 200 with the current state, no new revision and
// no change-log entry; never a 500 from an UPDATE with no columns.
for (const adapter of await adapters()) {
  describe(
    `edits that change nothing: ${adapter.name}`,
    { skip: adapter.skip, timeout: 60_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      let post: PostJson;
      const page = async () => (await t.call(null, 'GET', '/api/pages/quiet')).json<PageJson>();

      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestApp(opened.store);
        await t.call('editor', 'POST', '/api/pages', {
          slug: 'quiet',
          title: 'Quiet day',
          status: 'live',
          description: 'Nothing happens.',
        });
        const res = await t.call('editor', 'POST', '/api/pages/quiet/posts', {
          headline: 'Still quiet',
          body: [aParagraph('Nothing yet.')],
          labels: ['key'],
        });
        post = res.json<PostJson>();
      });
      after(async () => {
        await t.app.close();
        await drop();
      });

      const postEdits: [string, object][] = [
        ['only the revision', {}],
        ['the same headline', { headline: 'Still quiet' }],
        ['the same body', { body: [aParagraph('Nothing yet.')] }],
        ['the same labels', { labels: ['key'] }],
        ['the same pin and status', { pinned: false, status: 'published' }],
      ];
      for (const [name, fields] of postEdits) {
        it(`answers a post PATCH with ${name} with the current post and writes nothing`, async () => {
          const before = await page();
          const res = await t.call('editor', 'PATCH', `/api/pages/quiet/posts/${post.id}`, {
            revision: 1,
            ...fields,
          });
          assert.equal(res.statusCode, 200, res.body);
          const answered = res.json<PostJson>();
          assert.equal(answered.revision, 1);
          assert.equal(answered.updatedAt, post.updatedAt);
          const stored = await t.call(null, 'GET', `/api/pages/quiet/posts/${post.id}`);
          assert.deepEqual(stored.json(), answered);
          assert.equal((await page()).lastSeq, before.lastSeq, 'no change-log entry');
        });
      }

      const pageEdits: [string, object][] = [
        ['only the revision', {}],
        ['the same title', { title: 'Quiet day' }],
        ['the same status and description', { status: 'live', description: 'Nothing happens.' }],
      ];
      for (const [name, fields] of pageEdits) {
        it(`answers a page PATCH with ${name} with the current page and writes nothing`, async () => {
          const before = await page();
          const res = await t.call('editor', 'PATCH', '/api/pages/quiet', {
            revision: before.revision,
            ...fields,
          });
          assert.equal(res.statusCode, 200, res.body);
          assert.deepEqual(res.json(), before);
          assert.deepEqual(await page(), before);
        });
      }

      it('still refuses a no-op edit at a stale revision', async () => {
        const res = await t.call('editor', 'PATCH', `/api/pages/quiet/posts/${post.id}`, {
          revision: 7,
        });
        assert.equal(res.statusCode, 409);
        assert.equal(res.json().code, 'EDIT_CONFLICT');
      });
    },
  );
}
