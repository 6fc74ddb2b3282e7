import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LivelineError } from '../../src/domain/errors.ts';
import { IdempotencyConflict, type Store } from '../../src/store/store.ts';
import { adapters } from '../support/adapters.ts';
import { aPage, aPost, makePost } from '../support/factories.ts';

// ONE behavioural suite, run against every storage adapter.
for (const adapter of await adapters()) {
  describe(`store contract: ${adapter.name}`, { skip: adapter.skip }, () => {
    let store: Store;
    let drop: () => Promise<void>;
    before(async () => {
      ({ store, drop } = await adapter.open());
    });
    after(() => drop());

    it('creates a page and reads it back by slug and id, with every field', async () => {
      const created = await store.transaction((tx) =>
        tx.insertPage(aPage({ slug: 'contract-page' })),
      );
      assert.equal(created.revision, 1);
      assert.equal(created.lastSeq, 0);
      assert.equal(created.postCount, 0);
      assert.match(created.startedAt ?? '', /^\d{4}-\d\d-\d\dT/);
      const bySlug = await store.getPage('contract-page');
      assert.deepEqual(bySlug, created);
      assert.deepEqual(await store.getPageById(created.id), created);
      assert.equal(await store.getPage('no-such-page'), null);
    });

    it('refuses a second page with the same slug', async () => {
      await assert.rejects(
        store.transaction((tx) => tx.insertPage(aPage({ slug: 'contract-page' }))),
        (error: unknown) => error instanceof LivelineError && error.code === 'SLUG_TAKEN',
      );
    });

    it('updates a page only at its current revision', async () => {
      const page = await store.getPage('contract-page');
      assert.ok(page);
      const updated = await store.transaction((tx) =>
        tx.updatePage(page.id, page.revision, {
          title: 'New title',
          summary: [{ text: 'One' }, { text: 'Two' }],
          leadMedia: null,
        }),
      );
      assert.equal(updated?.title, 'New title');
      assert.equal(updated?.revision, 2);
      assert.deepEqual(updated?.summary, [{ text: 'One' }, { text: 'Two' }]);
      assert.equal(updated?.leadMedia, null);
      const stale = await store.transaction((tx) =>
        tx.updatePage(page.id, page.revision, { title: 'Lost' }),
      );
      assert.equal(stale, null);
      assert.equal((await store.getPage('contract-page'))?.title, 'New title');
    });

    it('stores posts with their body, labels, contributors and flags intact', async () => {
      const page = await store.getPage('contract-page');
      assert.ok(page);
      const input = aPost(page.id, {
        labels: ['breaking', 'key'],
        pinned: true,
        body: [
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'Bold ', bold: true },
              { type: 'link', text: 'link', href: 'https://example.org/a', external: true },
            ],
          },
          {
            type: 'list',
            items: [[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two' }]],
          },
          {
            type: 'image',
            src: 'https://example.org/i.jpg',
            alt: 'Alt',
            caption: 'Caption',
            credit: 'Reuters',
            width: 800,
            height: 450,
          },
        ],
      });
      const post = await store.transaction((tx) => tx.insertPost(input));
      assert.equal(post.revision, 1);
      assert.equal(post.pinned, true);
      assert.deepEqual(post.labels, ['breaking', 'key']);
      assert.deepEqual(post.body, input.body);
      assert.deepEqual(post.contributors, input.contributors);
      assert.equal(post.publishedAt, '2025-03-20T18:10:00.000Z');
      assert.deepEqual(await store.getPost(page.id, post.id), post);
      assert.deepEqual(await store.getPinnedPost(page.id), post);
    });

    it('lists published posts pinned first, then newest first, by offset', async () => {
      const page = await store.transaction((tx) => tx.insertPage(aPage({ slug: 'order-page' })));
      await store.transaction(async (tx) => {
        for (let minute = 10; minute < 35; minute++) {
          await tx.insertPost(
            aPost(page.id, {
              headline: `At ${minute}`,
              publishedAt: `2025-03-20T12:${minute}:00.000Z`,
            }),
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
        await tx.insertPost(
          aPost(page.id, {
            headline: 'Deleted',
            status: 'deleted',
            publishedAt: '2025-03-20T13:00:00.000Z',
          }),
        );
      });
      const first = await store.listPosts(page.id, 0, 20);
      assert.deepEqual(
        first.slice(0, 3).map((p) => p.headline),
        ['Pinned', 'At 34', 'At 33'],
      );
      assert.equal(first.length, 20);
      const second = await store.listPosts(page.id, 20, 20);
      assert.deepEqual(
        second.map((p) => p.headline),
        ['At 15', 'At 14', 'At 13', 'At 12', 'At 11', 'At 10'],
      );
    });

    it('updates a post only at the expected revision', async () => {
      const page = await store.getPage('order-page');
      assert.ok(page);
      const [post] = await store.listPosts(page.id, 1, 1);
      assert.ok(post);
      const edited = await store.transaction((tx) =>
        tx.updatePost(page.id, post.id, 1, {
          headline: 'Edited',
          revision: 2,
          updatedAt: '2025-03-20T19:00:00.000Z',
        }),
      );
      assert.equal(edited?.headline, 'Edited');
      assert.equal(edited?.revision, 2);
      assert.equal(edited?.updatedAt, '2025-03-20T19:00:00.000Z');
      assert.equal(
        await store.transaction((tx) => tx.updatePost(page.id, post.id, 1, { headline: 'Lost' })),
        null,
      );
    });

    it('numbers change-log entries 1, 2, 3 per page and reads them after a sequence number', async () => {
      const a = await store.transaction((tx) => tx.insertPage(aPage({ slug: 'log-a' })));
      const b = await store.transaction((tx) => tx.insertPage(aPage({ slug: 'log-b' })));
      for (let i = 0; i < 3; i++) {
        await store.transaction((tx) =>
          tx.appendChange(a.id, null, { kind: 'page.updated', page: a }),
        );
      }
      const onB = await store.transaction((tx) =>
        tx.appendChange(b.id, 'x', { kind: 'post.deleted', postId: 'x' }),
      );
      assert.equal(onB.seq, 1);
      assert.deepEqual(
        (await store.changesSince(a.id, 0, 100)).map((c) => c.seq),
        [1, 2, 3],
      );
      assert.deepEqual(
        (await store.changesSince(a.id, 1, 1)).map((c) => c.seq),
        [2],
      );
      assert.equal((await store.getPage('log-a'))?.lastSeq, 3);
      const [entry] = await store.changesSince(b.id, 0, 10);
      assert.deepEqual(entry?.data, { kind: 'post.deleted', postId: 'x' });
      assert.equal(entry?.postId, 'x');
    });

    it('keeps sequence numbers gap-free under concurrent writers', async () => {
      const page = await store.transaction((tx) =>
        tx.insertPage(aPage({ slug: 'log-concurrent' })),
      );
      await Promise.all(
        Array.from({ length: 20 }, () =>
          store.transaction((tx) => tx.appendChange(page.id, null, { kind: 'page.updated', page })),
        ),
      );
      const seqs = (await store.changesSince(page.id, 0, 100)).map((c) => c.seq);
      assert.deepEqual(
        seqs,
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });

    it("supersedes a post's earlier entries, and no other post's", async () => {
      const page = await store.transaction((tx) => tx.insertPage(aPage({ slug: 'supersede' })));
      const post = (id: string) => makePost({ id, pageId: page.id });
      await store.transaction(async (tx) => {
        await tx.appendChange(page.id, 'x', { kind: 'post.published', post: post('x') });
        await tx.appendChange(page.id, 'y', { kind: 'post.published', post: post('y') });
        await tx.appendChange(page.id, 'x', { kind: 'post.edited', post: post('x') });
        await tx.supersedeChanges(page.id, 'x', 3);
        await tx.appendChange(page.id, 'x', { kind: 'post.deleted', postId: 'x' });
        await tx.supersedeChanges(page.id, 'x', 4);
      });
      const log = await store.changesSince(page.id, 0, 10);
      assert.deepEqual(
        log.map((c) => [c.seq, c.kind, c.postId, c.data.kind]),
        [
          [1, 'post.superseded', 'x', 'post.superseded'],
          [2, 'post.published', 'y', 'post.published'],
          [3, 'post.superseded', 'x', 'post.superseded'],
          [4, 'post.deleted', 'x', 'post.deleted'],
        ],
      );
      // An entry already superseded keeps pointing at the entry that replaced it.
      assert.deepEqual(log[0]?.data, { kind: 'post.superseded', postId: 'x', supersededBy: 3 });
      assert.deepEqual(log[2]?.data, { kind: 'post.superseded', postId: 'x', supersededBy: 4 });
    });

    it('locks a page by slug inside a transaction and stamps writes with its clock', async () => {
      const clocked = store.withClock(() => new Date('2030-01-02T03:04:05.000Z'));
      const page = await clocked.transaction(async (tx) => {
        await tx.insertPage(aPage({ slug: 'locked' }));
        return tx.lockPage('locked');
      });
      assert.equal(page?.slug, 'locked');
      assert.equal(page?.createdAt, '2030-01-02T03:04:05.000Z');
      assert.equal(await store.transaction((tx) => tx.lockPage('no-such-page')), null);
    });

    it('rolls back every write of a failed transaction, change-log entry included', async () => {
      const page = await store.transaction((tx) => tx.insertPage(aPage({ slug: 'rollback' })));
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.insertPost(aPost(page.id));
          await tx.adjustPostCount(page.id, 1);
          await tx.appendChange(page.id, null, { kind: 'page.updated', page });
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual(await store.listPosts(page.id, 0, 20), []);
      assert.deepEqual(await store.changesSince(page.id, 0, 20), []);
      const after = await store.getPage('rollback');
      assert.equal(after?.lastSeq, 0);
      assert.equal(after?.postCount, 0);
    });

    it('finds users by token hash and name', async () => {
      const user = await store.transaction(async (tx) => {
        const u = await tx.insertUser('Rich Preston', 'editor');
        await tx.insertToken(u.id, 'hash-1');
        return u;
      });
      assert.deepEqual(await store.findUserByTokenHash('hash-1'), user);
      assert.deepEqual(await store.findUserByName('Rich Preston'), user);
      assert.equal(await store.findUserByTokenHash('hash-2'), null);
      const promoted = await store.transaction((tx) => tx.updateUserRole(user.id, 'admin'));
      assert.equal(promoted.role, 'admin');
    });

    it('ensures a user by name: the one there, or one made once however many ask at once', async () => {
      const there = await store.transaction((tx) => tx.ensureUser('Rich Preston', 'contributor'));
      assert.deepEqual(there, await store.findUserByName('Rich Preston'));
      assert.equal(there.role, 'admin', 'the role of a user already there is left alone');
      const made = await Promise.all(
        Array.from({ length: 8 }, () =>
          store.transaction((tx) => tx.ensureUser('Night Desk', 'editor')),
        ),
      );
      assert.equal(new Set(made.map((user) => user.id)).size, 1, 'one row for eight writers');
      assert.deepEqual(made[0], await store.findUserByName('Night Desk'));
      assert.equal(made[0]?.role, 'editor');
    });

    it('stores one response per idempotency key and refuses a second', async () => {
      const user = await store.findUserByName('Rich Preston');
      assert.ok(user);
      const response = {
        fingerprint: 'f',
        status: 201,
        headers: { location: '/api/pages/x' },
        body: { id: 'abc', nested: [1, 2] },
      };
      await store.transaction((tx) => tx.saveIdempotentResponse(user.id, 'key-1', response));
      assert.deepEqual(await store.getIdempotentResponse(user.id, 'key-1'), response);
      await assert.rejects(
        store.transaction((tx) => tx.saveIdempotentResponse(user.id, 'key-1', response)),
        IdempotencyConflict,
      );
    });
  });
}
