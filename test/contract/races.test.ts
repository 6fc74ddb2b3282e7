import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryBus } from '../../src/bus/memory/memory-bus.ts';
import { LivelineError } from '../../src/domain/errors.ts';
import type { User } from '../../src/domain/user.ts';
import { serviceDeps, type ServiceDeps } from '../../src/services/deps.ts';
import { deletePost, editPost, publishPost } from '../../src/services/posts.ts';
import { editPage } from '../../src/services/pages.ts';
import { adapters } from '../support/adapters.ts';
import { aPage, aParagraph } from '../support/factories.ts';

// Concurrent writers through the use cases, on every adapter: every read-then-write must
// hold when requests race (SQLite serialises writers; PostgreSQL needs the page-row lock).
const ROUNDS = 10;

/** Settles every promise; refusals must be LivelineErrors with one of `codes`. */
async function race<T>(
  attempts: Promise<T>[],
  codes: string[],
): Promise<{ ok: T[]; refused: string[] }> {
  const results = await Promise.allSettled(attempts);
  const ok: T[] = [];
  const refused: string[] = [];
  for (const result of results) {
    if (result.status === 'fulfilled') ok.push(result.value);
    else {
      const error: unknown = result.reason;
      assert.ok(error instanceof LivelineError, `unexpected failure: ${String(error)}`);
      assert.ok(codes.includes(error.code), `unexpected code ${error.code}`);
      refused.push(error.code);
    }
  }
  return { ok, refused };
}

for (const adapter of await adapters()) {
  describe(`write races: ${adapter.name}`, { skip: adapter.skip, timeout: 60_000 }, () => {
    let deps: ServiceDeps;
    let drop: () => Promise<void>;
    let editor: User;
    before(async () => {
      const opened = await adapter.open();
      drop = opened.drop;
      deps = serviceDeps({ store: opened.store, bus: new MemoryBus() });
      editor = await deps.store.transaction((tx) => tx.insertUser('Race Editor', 'editor'));
    });
    after(() => drop());

    const newPage = (slug: string) =>
      deps.store.transaction((tx) => tx.insertPage(aPage({ slug })));
    const write = (slug: string, extra: { status?: 'draft'; pinned?: boolean } = {}) =>
      publishPost(deps, editor, slug, {
        headline: 'Racing headline',
        body: [aParagraph('Racing body')],
        ...extra,
      }).then((r) => {
        assert.equal(r.replayed, false);
        return (r as { value: { id: string } }).value;
      });

    it('lets exactly one of eight concurrent deletes of a post succeed', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const slug = `race-delete-${round}`;
        const page = await newPage(slug);
        await write(slug);
        const post = await write(slug);
        const { ok, refused } = await race(
          Array.from({ length: 8 }, () => deletePost(deps, editor, slug, post.id)),
          ['POST_NOT_FOUND', 'EDIT_CONFLICT'],
        );
        assert.equal(ok.length, 1, `round ${round}: ${ok.length} deletes succeeded`);
        assert.equal(refused.length, 7);
        const after = await deps.store.getPageById(page.id);
        assert.equal(after?.postCount, 1, `round ${round}: postCount`);
        const log = await deps.store.changesSince(page.id, 0, 100);
        assert.equal(log.filter((c) => c.kind === 'post.deleted').length, 1);
      }
    });

    it('publishes a draft once when eight publish it at the same revision', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const slug = `race-publish-${round}`;
        const page = await newPage(slug);
        const draft = await write(slug, { status: 'draft' });
        const { ok } = await race(
          Array.from({ length: 8 }, () =>
            editPost(deps, editor, slug, draft.id, { revision: 1, status: 'published' }),
          ),
          ['EDIT_CONFLICT'],
        );
        assert.ok(ok.length >= 1);
        const after = await deps.store.getPageById(page.id);
        assert.equal(after?.postCount, 1, `round ${round}: postCount`);
        const log = await deps.store.changesSince(page.id, 0, 100);
        assert.equal(log.filter((c) => c.kind === 'post.published').length, 1);
      }
    });

    it('leaves exactly one pinned post when six posts are pinned at once', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const slug = `race-pin-${round}`;
        const page = await newPage(slug);
        const posts = [];
        for (let i = 0; i < 6; i++) posts.push(await write(slug));
        const { ok } = await race(
          posts.map((post) => editPost(deps, editor, slug, post.id, { revision: 1, pinned: true })),
          ['EDIT_CONFLICT'],
        );
        assert.equal(ok.length, 6, 'pinning is not an edit of the text: no conflicts');
        const listed = await deps.store.listPosts(page.id, 0, 20);
        assert.equal(listed.filter((p) => p.pinned).length, 1, `round ${round}: pinned posts`);
        // The log tells readers the same story: the last pin is the pinned post.
        const log = await deps.store.changesSince(page.id, 0, 100);
        const lastPin = log.filter((c) => c.kind === 'post.pinned').at(-1);
        assert.equal(lastPin?.postId, listed.find((p) => p.pinned)?.id);
      }
    });

    it('lets one of several concurrent edits at the same revision win', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const slug = `race-edit-${round}`;
        const page = await newPage(slug);
        const post = await write(slug);
        const { ok, refused } = await race(
          Array.from({ length: 6 }, (_, i) =>
            editPost(deps, editor, slug, post.id, { revision: 1, headline: `Edit ${i}` }),
          ),
          ['EDIT_CONFLICT'],
        );
        assert.equal(ok.length, 1, `round ${round}: ${ok.length} edits won`);
        assert.equal(refused.length, 5);
        const stored = await deps.store.getPost(page.id, post.id);
        assert.equal(stored?.revision, 2);
        assert.equal(stored?.headline, ok[0]?.headline);
        const log = await deps.store.changesSince(page.id, 0, 100);
        assert.equal(log.filter((c) => c.kind === 'post.edited').length, 1);
      }
    });

    it('lets one of several concurrent page edits at the same revision win', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const slug = `race-page-edit-${round}`;
        await newPage(slug);
        const { ok } = await race(
          Array.from({ length: 6 }, (_, i) =>
            editPage(deps, editor, slug, { revision: 1, title: `Title ${i}` }),
          ),
          ['EDIT_CONFLICT'],
        );
        assert.equal(ok.length, 1);
        const page = await deps.store.getPage(slug);
        assert.equal(page?.revision, 2);
        assert.equal(page?.title, ok[0]?.title);
      }
    });
  });
}
