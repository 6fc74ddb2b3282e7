import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { adapters } from '../support/adapters.ts';
import { aPage, aPost } from '../support/factories.ts';

// The workflow's columns and a post's history, on every storage adapter.
for (const adapter of await adapters()) {
  describe(`post history: ${adapter.name}`, { skip: adapter.skip }, () => {
    let store: Store;
    let drop: () => Promise<void>;
    before(async () => {
      ({ store, drop } = await adapter.open());
    });
    after(() => drop());

    it('keeps the workflow fields of pages and posts', async () => {
      const page = await store.transaction((tx) =>
        tx.insertPage(aPage({ slug: 'workflow', reviewMode: 'review' })),
      );
      assert.equal(page.reviewMode, 'review');
      assert.equal(page.scheduledFor, null);
      const later = await store.transaction((tx) =>
        tx.updatePage(page.id, page.revision, { scheduledFor: '2030-01-01T09:00:00.000Z' }),
      );
      assert.equal(later?.scheduledFor, '2030-01-01T09:00:00.000Z');

      const post = await store.transaction((tx) =>
        tx.insertPost({
          ...aPost(page.id),
          status: 'scheduled',
          scheduledFor: later?.scheduledFor,
        }),
      );
      assert.equal(post.status, 'scheduled');
      assert.equal(post.scheduledFor, '2030-01-01T09:00:00.000Z');
      assert.deepEqual(post.corrections, []);
      assert.equal(post.reviewNote, null);
      assert.equal(post.removal, null);
      const corrected = await store.transaction((tx) =>
        tx.updatePost(page.id, post.id, post.revision, {
          corrections: [{ note: 'The figure was 2,400.', at: '2030-01-01T10:00:00.000Z' }],
          reviewNote: 'Check the figure',
          removal: { byId: null, byName: 'Legal', at: '2030-01-01T11:00:00.000Z', reason: 'x' },
        }),
      );
      assert.deepEqual(corrected?.corrections, [
        { note: 'The figure was 2,400.', at: '2030-01-01T10:00:00.000Z' },
      ]);
      assert.equal(corrected?.reviewNote, 'Check the figure');
      assert.equal(corrected?.removal?.reason, 'x');
      assert.deepEqual(await store.getPost(page.id, post.id), corrected);
    });

    it('records the steps of a post, oldest first, with content only where given', async () => {
      const page = await store.getPage('workflow');
      assert.ok(page);
      const post = await store.transaction((tx) => tx.insertPost(aPost(page.id)));
      const content = {
        headline: post.headline,
        body: post.body,
        labels: post.labels,
        contributors: post.contributors,
        publishedAt: post.publishedAt,
      };
      await store.transaction(async (tx) => {
        await tx.appendHistory({
          pageId: page.id,
          postId: post.id,
          actor: { kind: 'system', name: 'scheduler' },
          action: 'published',
          revision: 1,
          fields: ['headline', 'body'],
          content,
          note: null,
        });
        await tx.appendHistory({
          pageId: page.id,
          postId: post.id,
          actor: { kind: 'system', name: 'scheduler' },
          action: 'pinned',
          revision: 1,
          fields: ['pinned'],
          content: null,
          note: 'top story',
        });
      });
      const steps = await store.listHistory(page.id, post.id);
      assert.deepEqual(
        steps.map((s) => [s.action, s.revision, s.fields, s.note, s.actor]),
        [
          ['published', 1, ['headline', 'body'], null, { kind: 'system', name: 'scheduler' }],
          ['pinned', 1, ['pinned'], 'top story', { kind: 'system', name: 'scheduler' }],
        ],
      );
      assert.deepEqual(steps[0]?.content, content);
      assert.equal(steps[1]?.content, null);
      assert.deepEqual(await store.listHistory(page.id, 'no-such-post'), []);
    });
  });
}
