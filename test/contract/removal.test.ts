import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NewHistoryEntry } from '../../src/domain/history.ts';
import type { Post, Removal } from '../../src/domain/post.ts';
import type { Store } from '../../src/store/store.ts';
import { adapters } from '../support/adapters.ts';
import { aPage, aPost } from '../support/factories.ts';

const REMOVAL: Removal = {
  byId: null,
  byName: 'Legal desk',
  at: '2030-01-01T12:00:00.000Z',
  reason: 'Court order',
};

/** A step of `post` at `revision`, keeping `headline` as its content (or none). */
function step(post: Post, revision: number, headline: string | null): NewHistoryEntry {
  return {
    pageId: post.pageId,
    postId: post.id,
    actor: { kind: 'system', name: 'test' },
    action: headline === null ? 'pinned' : 'edited',
    revision,
    fields: headline === null ? ['pinned'] : ['headline'],
    content:
      headline === null
        ? null
        : { headline, body: [], labels: [], contributors: [], publishedAt: post.publishedAt },
    note: `note ${revision}`,
  };
}

// The store's scrubbing methods for legal removal, on every storage adapter.
for (const adapter of await adapters()) {
  describe(`legal removal in the store: ${adapter.name}`, { skip: adapter.skip }, () => {
    let store: Store;
    let drop: () => Promise<void>;
    let post: Post;
    let other: Post;
    before(async () => {
      ({ store, drop } = await adapter.open());
      const page = await store.transaction((tx) => tx.insertPage(aPage({ slug: 'removal' })));
      [post, other] = await store.transaction(async (tx) => [
        await tx.insertPost(aPost(page.id)),
        await tx.insertPost(aPost(page.id)),
      ]);
      await store.transaction(async (tx) => {
        for (const entry of [
          step(post, 1, 'First'),
          step(post, 2, 'Second'),
          step(post, 2, 'Second'),
          step(post, 2, null),
          step(post, 3, 'Third'),
          step(other, 1, 'Other'),
        ])
          await tx.appendHistory(entry);
      });
    });
    after(() => drop());

    it("blanks one revision's content wherever it was kept, and nothing else", async () => {
      const count = await store.transaction((tx) =>
        tx.removeVersionContent(post.pageId, post.id, 2, REMOVAL),
      );
      assert.equal(count, 2);
      const steps = await store.listHistory(post.pageId, post.id);
      assert.deepEqual(
        steps.map((s) => [s.revision, s.content?.headline ?? null, s.removal?.reason ?? null]),
        [
          [1, 'First', null],
          [2, null, 'Court order'],
          [2, null, 'Court order'],
          [2, null, null],
          [3, 'Third', null],
        ],
      );
      assert.equal(steps[1]?.note, 'note 2', 'a version removal keeps the notes');
    });

    it("scrubs every step of a post, notes included, and no other post's", async () => {
      await store.transaction((tx) => tx.scrubHistory(post.pageId, post.id, REMOVAL));
      const steps = await store.listHistory(post.pageId, post.id);
      assert.ok(steps.every((s) => s.content === null && s.note === null));
      assert.ok(steps.every((s) => s.removal?.reason === 'Court order'));
      const others = await store.listHistory(other.pageId, other.id);
      assert.deepEqual(
        others.map((s) => [s.content?.headline, s.note, s.removal]),
        [['Other', 'note 1', null]],
      );
    });

    it('rewrites only the stored answers that are the post, keeping their fingerprints', async () => {
      const user = await store.transaction((tx) => tx.insertUser('Idempotent writer', 'editor'));
      await store.transaction(async (tx) => {
        await tx.saveIdempotentResponse(user.id, 'publish', {
          fingerprint: 'f1',
          status: 201,
          headers: { location: `/posts/${post.id}` },
          body: { id: post.id, headline: 'Secret' },
        });
        // Another post's answer that merely mentions the id is not the post.
        await tx.saveIdempotentResponse(user.id, 'mention', {
          fingerprint: 'f2',
          status: 201,
          headers: {},
          body: { id: other.id, headline: `About ${post.id}` },
        });
      });
      const gone = { status: 410, headers: {}, body: { code: 'POST_REMOVED' } };
      const count = await store.transaction((tx) => tx.rewriteIdempotentAnswers(post.id, gone));
      assert.equal(count, 1);
      assert.deepEqual(await store.getIdempotentResponse(user.id, 'publish'), {
        fingerprint: 'f1',
        ...gone,
      });
      const kept = await store.getIdempotentResponse(user.id, 'mention');
      assert.deepEqual(kept?.body, { id: other.id, headline: `About ${post.id}` });
    });
  });
}
