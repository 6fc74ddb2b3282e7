import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Post } from '../../src/domain/post.ts';
import type { Store } from '../../src/store/store.ts';
import { adapters } from '../support/adapters.ts';
import { aPage, aPost } from '../support/factories.ts';

const keyOf = (post: Post) => ({ pinned: post.pinned, publishedAt: post.publishedAt, id: post.id });

// Keyset paging (issue 13): the posts after a key are the posts after it by offset.
for (const adapter of await adapters()) {
  describe(
    `store contract, keyset paging of posts: ${adapter.name}`,
    { skip: adapter.skip },
    () => {
      let store: Store;
      let drop: () => Promise<void>;
      before(async () => {
        ({ store, drop } = await adapter.open());
      });
      after(() => drop());

      it('lists the posts after a key exactly as the offset after it would', async () => {
        const page = await store.transaction((tx) => tx.insertPage(aPage({ slug: 'keyset' })));
        await store.transaction(async (tx) => {
          for (let minute = 10; minute < 40; minute++) {
            await tx.insertPost(
              aPost(page.id, {
                headline: `At ${minute}`,
                publishedAt: `2025-03-20T12:${minute}:00.000Z`,
              }),
            );
          }
          // Three posts in the same millisecond: the id orders them.
          for (const headline of ['Same A', 'Same B', 'Same C']) {
            await tx.insertPost(
              aPost(page.id, { headline, publishedAt: '2025-03-20T12:20:00.000Z' }),
            );
          }
          await tx.insertPost(
            aPost(page.id, {
              headline: 'Pinned',
              pinned: true,
              publishedAt: '2025-03-20T09:00:00.000Z',
            }),
          );
          await tx.insertPost(
            aPost(page.id, {
              headline: 'Draft',
              status: 'draft',
              publishedAt: '2025-03-20T13:00:00.000Z',
            }),
          );
        });
        const all = await store.listPosts(page.id, 0, 100);
        assert.equal(all.length, 34);
        for (const at of [0, 1, 9, 18, 19, 20, 32]) {
          const from = all[at];
          assert.ok(from);
          const after = await store.listPostsAfter(page.id, keyOf(from), 5);
          assert.deepEqual(
            after.map((p) => p.headline),
            all.slice(at + 1, at + 6).map((p) => p.headline),
            `after post ${at} (${from.headline})`,
          );
        }
        const last = all.at(-1);
        assert.ok(last);
        assert.deepEqual(await store.listPostsAfter(page.id, keyOf(last), 5), []);
      });
    },
  );
}
