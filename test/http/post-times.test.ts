import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';

/**
 * The time a post shows: now when it goes out, or the time given, never in the future beyond
 * a minute of clock skew; a draft goes out under the time it is published, not written.
 */

type PostJson = { id: string; status: string; publishedAt: string; revision: number };

const T0 = '2026-03-20T18:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

for (const adapter of await adapters()) {
  describe(`a post's time: ${adapter.name}`, { skip: adapter.skip, timeout: 60_000 }, () => {
    let t: TestApp;
    let drop: () => Promise<void>;
    const url = '/api/pages/times/posts';

    before(async () => {
      const opened = await adapter.open();
      drop = opened.drop;
      t = await startTestApp(opened.store);
      t.clock.set(T0);
      const created = await t.call('editor', 'POST', '/api/pages', {
        slug: 'times',
        title: 'Times',
        status: 'live',
      });
      assert.equal(created.statusCode, 201, created.body);
    });
    after(async () => {
      await t.app.close();
      await drop();
    });

    const write = (headline: string, extra: object = {}) =>
      t.call('editor', 'POST', url, { headline, body: [aParagraph('x')], ...extra });
    const patch = async (post: PostJson, fields: object) =>
      t.call('editor', 'PATCH', `${url}/${post.id}`, { revision: post.revision, ...fields });
    const page = async () =>
      (await t.call(null, 'GET', '/api/pages/times')).json<{
        lastSeq: number;
        postCount: number;
      }>();

    it('accepts a published time up to a minute ahead, and refuses one later', async () => {
      t.clock.set(T0);
      const skewed = await write('Fast clock', { publishedAt: at(60_000) });
      assert.equal(skewed.statusCode, 201, skewed.body);
      assert.equal(skewed.json<PostJson>().publishedAt, at(60_000));
      const before = await page();
      const future = await write('Too soon', { publishedAt: at(60_001) });
      assert.equal(future.statusCode, 422);
      assert.equal(future.json<{ code: string }>().code, 'VALIDATION_FAILED');
      assert.deepEqual(await page(), before, 'nothing written');
    });

    it('refuses moving a published post into the future, but lets a draft carry any time', async () => {
      t.clock.set(T0);
      const post = (await write('Published')).json<PostJson>();
      assert.equal(post.publishedAt, T0);
      const moved = await patch(post, { publishedAt: at(3_600_000) });
      assert.equal(moved.statusCode, 422);
      const read = (await t.call(null, 'GET', `${url}/${post.id}`)).json<PostJson>();
      assert.deepEqual([read.publishedAt, read.revision], [T0, 1]);
      const draft = (await write('Draft', { status: 'draft' })).json<PostJson>();
      const dated = await patch(draft, { publishedAt: at(3_600_000) });
      assert.equal(dated.statusCode, 200, dated.body);
      assert.equal(dated.json<PostJson>().publishedAt, at(3_600_000));
    });

    it('publishes a draft under the time it goes out, or the past time given', async () => {
      t.clock.set(T0);
      const draft = (await write('Written early', { status: 'draft' })).json<PostJson>();
      assert.equal(draft.publishedAt, T0);
      t.clock.set(at(600_000));
      const out = await patch(draft, { status: 'published' });
      assert.equal(out.json<PostJson>().publishedAt, at(600_000));
      const other = (await write('Backdated', { status: 'draft' })).json<PostJson>();
      const backdated = await patch(other, { status: 'published', publishedAt: at(300_000) });
      assert.equal(backdated.json<PostJson>().publishedAt, at(300_000));
    });

    it('keeps the time given to a draft, and stamps an edit but not a pin with the time', async () => {
      t.clock.set(T0);
      const draft = (
        await write('Dated draft', { status: 'draft', publishedAt: at(-3_600_000) })
      ).json<PostJson>();
      assert.equal(draft.publishedAt, at(-3_600_000));
      const post = (await write('Stamped')).json<PostJson & { updatedAt: string }>();
      assert.equal(post.updatedAt, T0);
      t.clock.set(at(60_000));
      const pinned = (await patch(post, { pinned: true })).json<PostJson & { updatedAt: string }>();
      assert.equal(pinned.updatedAt, T0, 'pinning is not an edit of the text');
      t.clock.set(at(120_000));
      const edited = (await patch(pinned, { headline: 'Stamped again' })).json<
        PostJson & { updatedAt: string }
      >();
      assert.deepEqual([edited.updatedAt, edited.revision], [at(120_000), 2]);
      await patch(edited, { pinned: false });
    });

    it('treats PATCH status: published on a published post as no change', async () => {
      const post = (await write('Already out')).json<PostJson>();
      const before = await page();
      const same = await patch(post, { status: 'published' });
      assert.equal(same.statusCode, 200, same.body);
      assert.equal(same.json<PostJson>().revision, post.revision);
      assert.deepEqual(await page(), before);
    });

    it('publishes a draft and its last edit in one step: one entry, the new text', async () => {
      const draft = (await write('Working title', { status: 'draft' })).json<PostJson>();
      const before = await page();
      const res = await patch(draft, { status: 'published', headline: 'Final title' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json<PostJson>().revision, 2);
      const log = (await t.call(null, 'GET', `/api/pages/times/changes?since=${before.lastSeq}`))
        .json<{ changes: { kind: string; post?: { headline: string } }[] }>()
        .changes.map((c) => [c.kind, c.post?.headline]);
      assert.deepEqual(log, [['post.published', 'Final title']]);
      const stored = await t.services.store.getPage('times');
      const steps = await t.services.store.listHistory(stored!.id, draft.id);
      assert.deepEqual(
        steps.map((s) => s.action),
        ['created', 'saved', 'published'],
      );
    });

    it("schedules only for a time to come, says when on the page's clock, and unschedules", async () => {
      t.clock.set(T0);
      const history = async (post: PostJson) => {
        const stored = await t.services.store.getPage('times');
        return (await t.services.store.listHistory(stored!.id, post.id)).map((s) => [
          s.action,
          s.note,
        ]);
      };
      const draft = (await write('Polls open', { status: 'draft' })).json<PostJson>();
      const refusals = [
        [{ status: 'scheduled' }, '/scheduledFor: a scheduled post needs a time'],
        [
          { status: 'scheduled', scheduledFor: T0 },
          '/scheduledFor: this time has passed: publish the post instead',
        ],
        [
          { status: 'published', scheduledFor: at(60_000) },
          '/scheduledFor: only a post with status "scheduled" has a time to publish',
        ],
      ] as const;
      for (const [fields, detail] of refusals) {
        const res = await patch(draft, fields);
        assert.equal(res.statusCode, 422, res.body);
        assert.equal(res.json<{ detail: string }>().detail, detail);
      }
      const scheduled = await patch(draft, { status: 'scheduled', scheduledFor: at(1) });
      assert.equal(scheduled.statusCode, 200, scheduled.body);
      const post = scheduled.json<PostJson & { scheduledFor: string | null }>();
      assert.deepEqual(
        [post.status, post.scheduledFor, post.publishedAt],
        ['scheduled', at(1), at(1)],
      );
      const back = (await patch(post, { status: 'draft' })).json<
        PostJson & { scheduledFor: string | null }
      >();
      assert.deepEqual([back.status, back.scheduledFor], ['draft', null]);
      assert.deepEqual(await history(draft), [
        ['created', null],
        ['scheduled', 'Scheduled for 18:00 Greenwich Mean Time, 20 March 2026'],
        ['unscheduled', null],
      ]);
    });

    it('takes a post down to a draft under a later time (an embargo), which a live post may not have', async () => {
      t.clock.set(T0);
      const post = (await write('Embargoed after all')).json<PostJson>();
      const held = await patch(post, { status: 'draft', publishedAt: at(3_600_000) });
      assert.equal(held.statusCode, 200, held.body);
      assert.deepEqual(
        [held.json<PostJson>().status, held.json<PostJson>().publishedAt],
        ['draft', at(3_600_000)],
      );
    });

    it('says why a published time in the future is refused', async () => {
      t.clock.set(T0);
      const res = await write('Too soon', { publishedAt: at(3_600_000) });
      assert.equal(
        res.json<{ detail: string }>().detail,
        '/publishedAt: is in the future: a post that should appear later is scheduled (status "scheduled" with scheduledFor), not published',
      );
    });
  });
}
