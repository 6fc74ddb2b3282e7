import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';

/**
 * A post's life on a live page, as the newsroom lives it: drafts edited in private, published,
 * corrected, pinned and re-pinned, unpublished. Each step is checked where readers see it (the
 * page's count, the public change log, the post and the listing) and in the post's history.
 */

type PostJson = { id: string; headline: string; status: string; pinned: boolean; revision: number };
type Change = { kind: string; postId: string | null; post?: PostJson };

for (const adapter of await adapters()) {
  describe(`a post's life: ${adapter.name}`, { skip: adapter.skip, timeout: 60_000 }, () => {
    let t: TestApp;
    let drop: () => Promise<void>;
    const url = '/api/pages/life/posts';

    before(async () => {
      const opened = await adapter.open();
      drop = opened.drop;
      t = await startTestApp(opened.store);
      const created = await t.call('editor', 'POST', '/api/pages', {
        slug: 'life',
        title: 'Life',
        status: 'live',
      });
      assert.equal(created.statusCode, 201, created.body);
    });
    after(async () => {
      await t.app.close();
      await drop();
    });

    const write = async (headline: string, extra: object = {}) => {
      const res = await t.call('editor', 'POST', url, {
        headline,
        body: [aParagraph(`${headline}.`)],
        ...extra,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<PostJson>();
    };
    const patch = async (post: { id: string }, fields: object) => {
      const { revision } = await asEditor(post);
      const res = await t.call('editor', 'PATCH', `${url}/${post.id}`, { revision, ...fields });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<PostJson>();
    };
    const asEditor = async (post: { id: string }) =>
      (await t.call('editor', 'GET', `${url}/${post.id}`)).json<PostJson>();
    const publicStatus = async (post: { id: string }) =>
      (await t.call(null, 'GET', `${url}/${post.id}`)).statusCode;
    const page = async () =>
      (await t.call(null, 'GET', '/api/pages/life')).json<{ lastSeq: number; postCount: number }>();
    /** The public change log after `since`, as [kind, postId, pinned] */
    const logSince = async (since: number) =>
      (await t.call(null, 'GET', `/api/pages/life/changes?since=${since}`))
        .json<{ changes: Change[] }>()
        .changes.map((c) => [c.kind, c.postId, c.post?.pinned ?? null]);
    const listed = async () =>
      (await t.call(null, 'GET', url)).json<{ posts: PostJson[] }>().posts.map((p) => p.id);
    const history = async (post: { id: string }) => {
      const stored = await t.services.store.getPage('life');
      return t.services.store.listHistory(stored!.id, post.id);
    };
    const steps = async (post: { id: string }) => (await history(post)).map((s) => s.action);

    it('lists an empty page as one page of no posts', async () => {
      const empty = (await t.call(null, 'GET', url)).json<{
        posts: PostJson[];
        pageCount: number;
        total: number;
      }>();
      assert.deepEqual([empty.posts, empty.pageCount, empty.total], [[], 1, 0]);
    });

    it('unpublishes a post: out of the count and the listing, logged as deleted, kept as a draft', async () => {
      const post = await write('Wrong page');
      const before = await page();
      const draft = await patch(post, { status: 'draft' });
      assert.equal(draft.status, 'draft');
      const now = await page();
      assert.deepEqual(now, {
        ...now,
        postCount: before.postCount - 1,
        lastSeq: before.lastSeq + 1,
      });
      assert.deepEqual(await logSince(before.lastSeq), [['post.deleted', post.id, null]]);
      assert.equal(await publicStatus(post), 404);
      assert.ok(!(await listed()).includes(post.id));
      assert.equal((await asEditor(post)).status, 'draft', 'the newsroom still has it');
      assert.deepEqual(await steps(post), ['published', 'unpublished']);
    });

    it('publishes a draft by PATCH status: published, counted and logged once', async () => {
      const draft = await write('Embargo lifts', { status: 'draft' });
      const before = await page();
      const published = await patch(draft, { status: 'published' });
      assert.equal(published.status, 'published');
      const now = await page();
      assert.deepEqual(now, {
        ...now,
        postCount: before.postCount + 1,
        lastSeq: before.lastSeq + 1,
      });
      assert.deepEqual(await logSince(before.lastSeq), [['post.published', draft.id, false]]);
      assert.equal(await publicStatus(draft), 200);
      assert.equal((await listed())[0], draft.id);
      assert.deepEqual(await steps(draft), ['created', 'published']);
    });

    it('saves an edit of a draft without publishing it or telling readers', async () => {
      const draft = await write('Rough notes', { status: 'draft' });
      const before = await page();
      const saved = await patch(draft, { headline: 'Better notes', body: [aParagraph('Tidy.')] });
      assert.deepEqual(
        [saved.status, saved.headline, saved.revision],
        ['draft', 'Better notes', 2],
      );
      assert.deepEqual(await page(), before, 'no count, no change-log entry');
      assert.deepEqual(await logSince(before.lastSeq), []);
      assert.equal(await publicStatus(draft), 404);
      assert.deepEqual(
        (await history(draft)).map((s) => [s.action, s.fields]),
        [
          ['created', ['headline', 'body', 'labels', 'contributors', 'publishedAt']],
          ['saved', ['headline', 'body']],
        ],
      );
    });

    it('logs every edit of a published post, and none for an edit that changes nothing', async () => {
      const post = await write('Talks begin');
      const before = await page();
      const edited = await patch(post, { headline: 'Talks begin in Geneva' });
      assert.equal(edited.revision, 2);
      const log = (await t.call(null, 'GET', `/api/pages/life/changes?since=${before.lastSeq}`))
        .json<{ changes: Change[] }>()
        .changes.map((c) => [c.kind, c.postId, c.post?.headline, c.post?.status]);
      assert.deepEqual(log, [['post.edited', post.id, 'Talks begin in Geneva', 'published']]);
      assert.equal((await page()).postCount, before.postCount, 'an edit is not a new post');
      const same = await patch(post, { headline: 'Talks begin in Geneva' });
      assert.equal(same.revision, 2);
      assert.equal((await page()).lastSeq, before.lastSeq + 1);
      assert.deepEqual(await steps(post), ['published', 'edited']);
    });

    it('keeps the pinned post pinned through edits that are not pin changes', async () => {
      const pinned = await write('Key points', { pinned: true });
      const other = await write('Minute 12');
      const before = await page();
      await patch(pinned, { headline: 'Key points so far' });
      await patch(pinned, { headline: 'Key points, updated', pinned: true });
      await patch(other, { headline: 'Minute 13' });
      assert.equal((await asEditor(pinned)).pinned, true);
      assert.equal((await listed())[0], pinned.id);
      // The log keeps each post's newest entry; the earlier edit stands in as superseded.
      assert.deepEqual(await logSince(before.lastSeq), [
        ['post.superseded', pinned.id, null],
        ['post.edited', pinned.id, true],
        ['post.edited', other.id, false],
      ]);
    });

    it('unpins a post: pinned false, logged, and no new revision', async () => {
      const pinned = await write('Pinned for now', { pinned: true });
      const before = await page();
      const unpinned = await patch(pinned, { pinned: false });
      assert.deepEqual([unpinned.pinned, unpinned.revision], [false, 1]);
      assert.equal((await asEditor(pinned)).pinned, false);
      assert.deepEqual(await logSince(before.lastSeq), [['post.unpinned', pinned.id, false]]);
      assert.deepEqual(await steps(pinned), ['published', 'unpinned']);
    });

    it('a new pinned post unpins the old one: both posts and both entries', async () => {
      const old = await write('Old pin', { pinned: true });
      const before = await page();
      const fresh = await write('New pin', { pinned: true });
      assert.equal(fresh.pinned, true);
      assert.equal((await asEditor(old)).pinned, false);
      assert.equal((await asEditor(fresh)).pinned, true);
      assert.deepEqual(await logSince(before.lastSeq), [
        ['post.unpinned', old.id, false],
        ['post.published', fresh.id, true],
      ]);
      assert.deepEqual(await steps(old), ['published', 'unpinned']);
      assert.equal((await listed())[0], fresh.id);
    });

    it('a pinned draft unpins nothing until it is published', async () => {
      const live = await write('Live pin', { pinned: true });
      const before = await page();
      const draft = await write('Pin later', { status: 'draft', pinned: true });
      const other = await write('Another draft', { status: 'draft' });
      await patch(other, { pinned: true });
      assert.equal((await asEditor(live)).pinned, true);
      assert.deepEqual((await history(other)).map((s) => [s.action, s.fields]).slice(1), [
        ['pinned', ['pinned']],
      ]);
      assert.deepEqual(await logSince(before.lastSeq), []);
      await t.call('editor', 'DELETE', `${url}/${other.id}`);
      await patch(draft, { status: 'published' });
      assert.equal((await asEditor(live)).pinned, false);
      assert.deepEqual(await logSince(before.lastSeq), [
        ['post.unpinned', live.id, false],
        ['post.published', draft.id, true],
      ]);
    });

    it('deletes a draft without touching the count or the public log', async () => {
      const draft = await write('Never mind', { status: 'draft', pinned: true });
      const before = await page();
      const res = await t.call('editor', 'DELETE', `${url}/${draft.id}`);
      assert.equal(res.statusCode, 204);
      assert.deepEqual(await page(), before);
      assert.equal((await t.call('editor', 'GET', `${url}/${draft.id}`)).statusCode, 404);
      assert.deepEqual(await steps(draft), ['created', 'deleted']);
    });

    it('a deleted pinned post is unpinned: the next pin unpins nothing', async () => {
      const pinned = await write('Pinned, then deleted', { pinned: true });
      assert.equal((await t.call('editor', 'DELETE', `${url}/${pinned.id}`)).statusCode, 204);
      const before = await page();
      const next = await write('Next pin', { pinned: true });
      assert.deepEqual(await logSince(before.lastSeq), [['post.published', next.id, true]]);
      assert.deepEqual(await steps(pinned), ['published', 'deleted']);
    });

    it('moves a scheduled post by a new time alone; the same time written another way changes nothing', async () => {
      const now = t.clock.now().getTime();
      const inHours = (h: number) => new Date(now + h * 3_600_000);
      const post = await write('Polls close', {
        status: 'scheduled',
        scheduledFor: inHours(2).toISOString(),
      });
      assert.equal((post as { scheduledFor?: string }).scheduledFor, inHours(2).toISOString());
      const before = await page();
      const moved = await patch(post, { scheduledFor: inHours(3).toISOString() });
      assert.deepEqual(
        [moved.status, (moved as { scheduledFor?: string }).scheduledFor, moved.revision],
        ['scheduled', inHours(3).toISOString(), 1],
      );
      // The same instant, written with an offset: no move, no step, nothing stored.
      const same = new Date(inHours(3).getTime() + 3_600_000).toISOString().replace('Z', '+01:00');
      const unmoved = await patch(post, { scheduledFor: same });
      assert.deepEqual(unmoved, moved);
      const again = await patch(post, { status: 'scheduled', scheduledFor: same });
      assert.deepEqual(again, moved);
      assert.deepEqual(await patch(post, { status: 'scheduled' }), moved, 'already scheduled');
      assert.deepEqual(await steps(post), ['scheduled', 'scheduled']);
      assert.deepEqual(await page(), before, 'readers are told nothing of a schedule');
      assert.equal(await publicStatus(post), 404);
    });

    it('edits the labels and contributors of a published post: one logged edit naming both', async () => {
      const post = await write('Results so far');
      const before = await page();
      const edited = await patch(post, {
        labels: ['key'],
        contributors: [{ name: 'Laura Kuenssberg', role: 'Presenter' }],
      });
      const read = (await t.call(null, 'GET', `${url}/${post.id}`)).json<{
        labels: string[];
        contributors: { name: string }[];
        revision: number;
      }>();
      assert.deepEqual(
        [read.labels, read.contributors.map((c) => c.name), read.revision],
        [['key'], ['Laura Kuenssberg'], 2],
      );
      assert.equal(edited.revision, 2);
      assert.deepEqual(await logSince(before.lastSeq), [['post.edited', post.id, false]]);
      assert.deepEqual((await history(post)).map((s) => [s.action, s.fields]).slice(1), [
        ['edited', ['labels', 'contributors']],
      ]);
    });

    it('corrects a published post with a public note: a new revision, logged; a draft cannot be', async () => {
      const post = await write('Turnout 61%');
      const before = await page();
      const corrected = await patch(post, {
        headline: 'Turnout 66%',
        correction: { note: 'An earlier version gave the wrong turnout.' },
      });
      assert.equal(corrected.revision, 2);
      const read = (await t.call(null, 'GET', `${url}/${post.id}`)).json<{
        corrections: { note: string }[];
      }>();
      assert.deepEqual(
        read.corrections.map((c) => c.note),
        ['An earlier version gave the wrong turnout.'],
      );
      assert.deepEqual(await logSince(before.lastSeq), [['post.edited', post.id, false]]);
      assert.deepEqual((await history(post)).map((s) => [s.action, s.fields, s.note]).slice(1), [
        ['corrected', ['headline', 'corrections'], 'An earlier version gave the wrong turnout.'],
      ]);
      const draft = await write('Not out yet', { status: 'draft' });
      const refused = await t.call('editor', 'PATCH', `${url}/${draft.id}`, {
        revision: draft.revision,
        headline: 'Still not out',
        correction: { note: 'Nothing to correct.' },
      });
      assert.equal(refused.statusCode, 422, refused.body);
      assert.deepEqual(
        [(await asEditor(draft)).headline, await steps(draft)],
        ['Not out yet', ['created']],
      );
    });

    it('a deleted post can be neither edited nor deleted again: 404 naming it', async () => {
      const post = await write('Deleted soon');
      const live = await page();
      assert.equal((await t.call('editor', 'DELETE', `${url}/${post.id}`)).statusCode, 204);
      const before = await page();
      assert.equal(before.postCount, live.postCount - 1, 'out of the count');
      assert.deepEqual(await logSince(live.lastSeq), [['post.deleted', post.id, null]]);
      const edit = await t.call('editor', 'PATCH', `${url}/${post.id}`, {
        revision: post.revision,
        headline: 'Back from the dead',
      });
      const again = await t.call('editor', 'DELETE', `${url}/${post.id}`);
      const read = await t.call('editor', 'GET', `${url}/${post.id}`);
      for (const res of [edit, again, read]) {
        assert.equal(res.statusCode, 404, res.body);
        assert.deepEqual(
          [res.json<{ code: string }>().code, res.json<{ detail: string }>().detail],
          ['POST_NOT_FOUND', `No post "${post.id}" on the live page "life".`],
        );
      }
      assert.deepEqual(await page(), before);
      assert.deepEqual(await steps(post), ['published', 'deleted']);
    });

    it('re-pins: pinning another published post unpins the first, and both are logged', async () => {
      const first = await write('First pin', { pinned: true });
      const second = await write('Second pin');
      const before = await page();
      const pinned = await patch(second, { pinned: true });
      assert.deepEqual([pinned.pinned, pinned.revision], [true, 1]);
      assert.equal((await asEditor(first)).pinned, false);
      assert.deepEqual((await listed())[0], second.id);
      assert.deepEqual(await logSince(before.lastSeq), [
        ['post.unpinned', first.id, false],
        ['post.pinned', second.id, true],
      ]);
      assert.deepEqual(await steps(first), ['published', 'unpinned']);
      assert.deepEqual(await steps(second), ['published', 'pinned']);
      assert.deepEqual(await page(), { ...before, lastSeq: before.lastSeq + 2 });
    });

    it('refuses an edit with a video that is not MP4 or HLS, naming the block, writing nothing', async () => {
      const post = await write('Watch the launch');
      const before = await page();
      const res = await t.call('editor', 'PATCH', `${url}/${post.id}`, {
        revision: post.revision,
        body: [aParagraph('Watch.'), { type: 'video', src: 'https://cdn.example/launch.exe' }],
      });
      assert.equal(res.statusCode, 422, res.body);
      assert.deepEqual(
        res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field),
        ['/body/1/src'],
      );
      assert.deepEqual([(await asEditor(post)).revision, await page()], [1, before]);
    });

    it('corrects a post with a note alone (the text was fixed before): a new revision', async () => {
      const post = await write('Rates held');
      const corrected = await patch(post, { correction: { note: '  Rates were held at 4%.  ' } });
      assert.equal(corrected.revision, 2);
      assert.deepEqual((await history(post)).map((s) => [s.action, s.fields, s.note]).slice(1), [
        ['corrected', ['corrections'], 'Rates were held at 4%.'],
      ]);
    });

    it('says which revision the post is at when an edit is stale, and writes nothing', async () => {
      const post = await write('Score 1-0');
      await patch(post, { headline: 'Score 2-0' });
      const before = await page();
      const stale = await t.call('editor', 'PATCH', `${url}/${post.id}`, {
        revision: 1,
        headline: 'Score 1-1',
      });
      assert.equal(stale.statusCode, 409);
      assert.deepEqual(stale.json(), {
        ...stale.json(),
        code: 'EDIT_CONFLICT',
        detail: 'The post is at revision 2, not 1.',
        currentRevision: 2,
      });
      assert.deepEqual([(await asEditor(post)).headline, await page()], ['Score 2-0', before]);
    });

    it("keeps a contributor's hands off someone else's post: no edit, no delete (their own, yes)", async () => {
      const theirs = (
        await t.call('otherContributor', 'POST', url, { headline: 'Not yours', body: [] })
      ).json<PostJson>();
      const before = await page();
      const edit = await t.call('contributor', 'PATCH', `${url}/${theirs.id}`, {
        revision: theirs.revision,
        headline: 'Mine now',
      });
      const del = await t.call('contributor', 'DELETE', `${url}/${theirs.id}`);
      assert.deepEqual([edit.statusCode, del.statusCode], [403, 403]);
      assert.deepEqual([(await asEditor(theirs)).headline, await page()], ['Not yours', before]);
      assert.equal(await publicStatus(theirs), 200);
      const mine = (
        await t.call('contributor', 'POST', url, { headline: 'My mistake', body: [] })
      ).json<PostJson>();
      assert.equal((await t.call('contributor', 'DELETE', `${url}/${mine.id}`)).statusCode, 204);
      assert.equal(await publicStatus(mine), 404, 'their own post they may delete');
    });

    it('on a review page a contributor edits a draft and may take a post down to rewrite it, but not rewrite it live', async () => {
      const reviewed = '/api/pages/life-review';
      const made = await t.call('editor', 'POST', '/api/pages', {
        slug: 'life-review',
        title: 'Reviewed',
        status: 'live',
      });
      assert.equal(made.statusCode, 201, made.body);
      const mine = async (headline: string, extra: object = {}) =>
        (
          await t.call('contributor', 'POST', `${reviewed}/posts`, {
            headline,
            body: [aParagraph('x')],
            ...extra,
          })
        ).json<PostJson>();
      const live = await mine('Live words');
      const draft = await mine('Draft words', { status: 'draft' });
      const switched = await t.call('editor', 'PATCH', reviewed, {
        revision: made.json<{ revision: number }>().revision,
        reviewMode: 'review',
      });
      assert.equal(switched.statusCode, 200, switched.body);
      const edit = (post: PostJson, fields: object) =>
        t.call('contributor', 'PATCH', `${reviewed}/posts/${post.id}`, {
          revision: post.revision,
          ...fields,
        });
      const drafted = await edit(draft, { headline: 'Draft words, better' });
      assert.equal(drafted.statusCode, 200, drafted.body);
      const rewrite = await edit(live, { headline: 'Unreviewed words' });
      assert.equal(rewrite.statusCode, 403);
      assert.equal(rewrite.json<{ code: string }>().code, 'REVIEW_REQUIRED');
      const down = await edit(live, { status: 'draft', headline: 'Words to review' });
      assert.equal(down.statusCode, 200, down.body);
      assert.deepEqual(
        [down.json<PostJson>().status, down.json<PostJson>().headline],
        ['draft', 'Words to review'],
      );
    });

    it('pages 20 posts to a page: the 21st opens page 2, and a page past the last is refused', async () => {
      const made = await t.call('editor', 'POST', '/api/pages', {
        slug: 'life-pages',
        title: 'Pages',
        status: 'live',
      });
      assert.equal(made.statusCode, 201, made.body);
      const posts = '/api/pages/life-pages/posts';
      type Listing = { posts: PostJson[]; page: number; pageCount: number; total: number };
      const listing = async (n: number) => await t.call(null, 'GET', `${posts}?page=${n}`);
      const ids: string[] = [];
      for (let i = 1; i <= 21; i++) {
        const res = await t.call('editor', 'POST', posts, {
          headline: `Update ${i}`,
          body: [],
          publishedAt: new Date(Date.UTC(2026, 0, 1, 12, i)).toISOString(),
        });
        assert.equal(res.statusCode, 201, res.body);
        ids.push(res.json<PostJson>().id);
        if (i === 20) {
          const one = (await listing(1)).json<Listing>();
          assert.deepEqual([one.pageCount, one.total, one.posts.length], [1, 20, 20]);
          const two = await listing(2);
          assert.equal(two.statusCode, 404, two.body);
          assert.equal(
            two.json<{ detail: string }>().detail,
            'The live page "life-pages" has 1 page(s) of posts, not 2.',
          );
        }
      }
      const one = (await listing(1)).json<Listing>();
      assert.deepEqual(
        [one.page, one.pageCount, one.total, one.posts[0]?.id, one.posts.length],
        [1, 2, 21, ids[20], 20],
      );
      const two = (await listing(2)).json<Listing>();
      assert.deepEqual([two.page, two.posts.map((p) => p.id)], [2, [ids[0]]]);
      assert.equal((await listing(3)).statusCode, 404);
      // The feed is the first page too.
      const feed = (await t.call(null, 'GET', '/live/life-pages/feed.xml')).body;
      assert.deepEqual(
        ['Update 21', 'Update 2<', 'Update 1<'].map((h) => feed.includes(h)),
        [true, true, false],
      );
    });

    it('refuses a time to publish on a post that is not being scheduled, changing nothing', async () => {
      const later = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
      const draft = await write('Hold for now', { status: 'draft' });
      const before = await page();
      for (const status of ['draft', 'published']) {
        const res = await t.call('editor', 'PATCH', `${url}/${draft.id}`, {
          revision: draft.revision,
          status,
          scheduledFor: later,
        });
        assert.equal(res.statusCode, 422, `${status}: ${res.body}`);
        assert.equal(
          res.json<{ detail: string }>().detail,
          '/scheduledFor: only a post with status "scheduled" has a time to publish',
        );
      }
      assert.deepEqual(
        [(await asEditor(draft)).status, await steps(draft), await page()],
        ['draft', ['created'], before],
      );
    });

    it("tells a contributor that pinning is not theirs, and an edit of another's post is not", async () => {
      const mine = (
        await t.call('contributor', 'POST', url, { headline: 'Mine to pin?', body: [] })
      ).json<PostJson>();
      const theirs = (
        await t.call('otherContributor', 'POST', url, { headline: 'Theirs to pin?', body: [] })
      ).json<PostJson>();
      const PIN = 'The contributor role may not pin or unpin posts.';
      const EDIT = "The contributor role may not edit someone else's post.";
      const cases: [PostJson, object, string][] = [
        [mine, { pinned: true }, PIN],
        [theirs, { pinned: true }, PIN],
        [theirs, { pinned: true, headline: 'Pinned by me' }, EDIT],
        [theirs, { pinned: true, status: 'draft' }, EDIT],
      ];
      for (const [post, fields, detail] of cases) {
        const res = await t.call('contributor', 'PATCH', `${url}/${post.id}`, {
          revision: post.revision,
          ...fields,
        });
        assert.equal(res.statusCode, 403, JSON.stringify(fields));
        assert.equal(res.json<{ detail: string }>().detail, detail, JSON.stringify(fields));
      }
      assert.deepEqual(
        [(await asEditor(mine)).pinned, (await asEditor(theirs)).pinned],
        [false, false],
      );
      const pinnedNew = await t.call('contributor', 'POST', url, {
        headline: 'Pinned from the start?',
        body: [],
        pinned: true,
      });
      assert.equal(pinnedNew.statusCode, 403);
      assert.equal(pinnedNew.json<{ detail: string }>().detail, PIN);
    });

    it("an unpublished post loses its pin: its contributor publishing it again unpins no editor's choice", async () => {
      const mine = (
        await t.call('contributor', 'POST', url, {
          headline: 'Pinned by the editor',
          body: [aParagraph('Mine.')],
        })
      ).json<PostJson>();
      assert.equal((await patch(mine, { pinned: true })).pinned, true);
      const asContributor = async (fields: object) => {
        const { revision } = await asEditor(mine);
        const res = await t.call('contributor', 'PATCH', `${url}/${mine.id}`, {
          revision,
          ...fields,
        });
        assert.equal(res.statusCode, 200, res.body);
        return res.json<PostJson>();
      };
      const down = await asContributor({ status: 'draft' });
      assert.deepEqual([down.status, down.pinned], ['draft', false]);
      const chosen = await write('The editor pins this', { pinned: true });
      const before = await page();
      const again = await asContributor({ status: 'published' });
      assert.deepEqual([again.status, again.pinned], ['published', false]);
      assert.equal((await asEditor(chosen)).pinned, true, "the editor's pin stays");
      assert.deepEqual(await logSince(before.lastSeq), [['post.published', mine.id, false]]);
      assert.deepEqual(await steps(chosen), ['published']);
      assert.equal((await listed())[0], chosen.id);
    });

    it('writes a post without labels or contributors as none, and a retried write (same key) once', async () => {
      const key = { 'idempotency-key': 'life-retry-1' };
      const body = { headline: 'Sent twice', body: [aParagraph('Once.')] };
      const first = await t.call('editor', 'POST', url, body, key);
      assert.equal(first.statusCode, 201, first.body);
      const post = first.json<PostJson & { labels: string[]; contributors: unknown[] }>();
      assert.deepEqual([post.labels, post.contributors], [[], []]);
      const before = await page();
      const again = await t.call('editor', 'POST', url, body, key);
      assert.equal(again.statusCode, 201, again.body);
      assert.equal(again.json<PostJson>().id, post.id);
      assert.deepEqual(await page(), before, 'the retry wrote nothing');
    });

    it("refuses a contributor's edit of someone else's post even when it changes nothing", async () => {
      const theirs = (
        await t.call('otherContributor', 'POST', url, { headline: 'Theirs', body: [] })
      ).json<PostJson>();
      for (const fields of [{}, { pinned: false }]) {
        const res = await t.call('contributor', 'PATCH', `${url}/${theirs.id}`, {
          revision: theirs.revision,
          ...fields,
        });
        assert.equal(res.statusCode, 403, JSON.stringify(fields));
      }
    });
  });
}
