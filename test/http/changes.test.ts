import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';

interface Batch {
  changes: { seq: number; kind: string; postId: string | null }[];
  lastSeq: number;
  latestSeq: number;
  hasMore: boolean;
}

/**
 * GET /api/pages/{slug}/changes as a client catching up uses it (an app back from the
 * background, a widget after a dropped connection): bounded batches, each saying where to ask
 * from next and whether there is more. On every database.
 */
for (const adapter of await adapters()) {
  describe(
    `the change log for catching up: ${adapter.name}`,
    { skip: adapter.skip, timeout: 60_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      const changes = async (slug: string, since: number) => {
        const res = await t.call(null, 'GET', `/api/pages/${slug}/changes?since=${since}`);
        assert.equal(res.statusCode, 200, res.body);
        return res.json<Batch>();
      };
      const publish = async (slug: string, headline: string) => {
        const res = await t.call('editor', 'POST', `/api/pages/${slug}/posts`, {
          headline,
          body: [aParagraph(`${headline}.`)],
        });
        assert.equal(res.statusCode, 201, res.body);
        return res.json<{ id: string; revision: number }>();
      };
      const openPage = async (slug: string) => {
        const res = await t.call('editor', 'POST', '/api/pages', {
          slug,
          title: slug,
          status: 'live',
        });
        assert.equal(res.statusCode, 201, res.body);
      };

      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestApp(opened.store);
      });
      after(async () => {
        await t.app.close();
        await drop();
      });

      it('catches up on 130 updates in two batches, each saying where to ask from next', async () => {
        await openPage('marathon');
        for (let n = 1; n <= 130; n++) await publish('marathon', `Mile ${n}`);
        const first = await changes('marathon', 0);
        assert.deepEqual(
          first.changes.map((c) => c.seq),
          Array.from({ length: 100 }, (_, i) => i + 1),
        );
        assert.deepEqual(
          [first.lastSeq, first.latestSeq, first.hasMore],
          [100, 130, true],
          'the first batch stops at 100 and says there is more, up to 130',
        );
        const second = await changes('marathon', first.lastSeq);
        assert.deepEqual(
          second.changes.map((c) => c.seq),
          Array.from({ length: 30 }, (_, i) => i + 101),
        );
        assert.deepEqual([second.lastSeq, second.latestSeq, second.hasMore], [130, 130, false]);
        const upToDate = await changes('marathon', second.lastSeq);
        assert.deepEqual(
          [upToDate.changes.length, upToDate.lastSeq, upToDate.latestSeq, upToDate.hasMore],
          [0, 130, 130, false],
        );
      });

      it("sends a client that is ahead of the page (another page's number) back to the page's own", async () => {
        await openPage('sprint');
        await publish('sprint', 'Heats begin');
        await publish('sprint', 'Final at nine');
        const batch = await changes('sprint', 500);
        assert.deepEqual(
          [batch.changes.length, batch.lastSeq, batch.latestSeq, batch.hasMore],
          [0, 2, 2, false],
          'ask again from 2, the newest entry there is',
        );
        const missed = await publish('sprint', 'False start');
        const next = await changes('sprint', batch.lastSeq);
        assert.deepEqual(
          next.changes.map((c) => [c.seq, c.kind, c.postId]),
          [[3, 'post.published', missed.id]],
        );
      });

      it('keeps only the current text of an edited post, at its newest number', async () => {
        await openPage('relay');
        const post = await publish('relay', 'Baton dropped');
        const edited = await t.call('editor', 'PATCH', `/api/pages/relay/posts/${post.id}`, {
          revision: post.revision,
          headline: 'Baton dropped on the last leg',
        });
        assert.equal(edited.statusCode, 200, edited.body);
        const batch = await changes('relay', 0);
        assert.deepEqual(
          batch.changes.map((c) => [c.seq, c.kind, c.postId]),
          [
            [1, 'post.superseded', post.id],
            [2, 'post.edited', post.id],
          ],
        );
        assert.ok(!JSON.stringify(batch.changes[0]).includes('Baton'), 'the old text is gone');
        assert.deepEqual([batch.lastSeq, batch.latestSeq, batch.hasMore], [2, 2, false]);
      });

      it('answers 404 for a page that does not exist', async () => {
        const res = await t.call(null, 'GET', '/api/pages/no-such-page/changes?since=0');
        assert.equal(res.statusCode, 404);
        assert.equal(res.json().code, 'PAGE_NOT_FOUND');
      });
    },
  );
}
