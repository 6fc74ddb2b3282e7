import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';
import { readEvents, startTestServer, type TestServer } from '../support/server.ts';

type PostJson = { id: string; headline: string; revision: number; pinned: boolean };
type ChangeJson = { seq: number; kind: string; postId: string | null; supersededBy?: number };

// Once a delete is acknowledged the post's words are gone from every public surface, and the
// public change log is no archive of superseded versions. Searched in the raw response text,
// on every database.
for (const adapter of await adapters()) {
  describe(
    `deleted and superseded text: ${adapter.name}`,
    { skip: adapter.skip, timeout: 60_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      const slug = 'erasure';
      const posts = `/api/pages/${slug}/posts`;
      const publish = async (headline: string, body: string, extra: object = {}) => {
        const res = await t.call('editor', 'POST', posts, {
          headline,
          body: [aParagraph(body)],
          ...extra,
        });
        assert.equal(res.statusCode, 201, res.body);
        return res.json<PostJson>();
      };
      const log = async () =>
        (await t.call(null, 'GET', `/api/pages/${slug}/changes?since=0`)).body;
      const everyPublicSurface = async (id: string) => {
        const surfaces = [
          `/api/pages/${slug}/changes?since=0`,
          `/api/pages/${slug}/posts`,
          `/live/${slug}`,
          `/live/${slug}/feed.xml`,
          `/live/${slug}.txt`,
          `/live/${slug}/posts/${id}`,
          `/api/pages/${slug}/posts/${id}`,
        ];
        const bodies = [];
        for (const url of surfaces) bodies.push((await t.call(null, 'GET', url)).body);
        return bodies.join('\n');
      };

      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestApp(opened.store);
        const res = await t.call('editor', 'POST', '/api/pages', {
          slug,
          title: 'Erasure',
          status: 'live',
        });
        assert.equal(res.statusCode, 201);
        await publish('A post that stays', 'Nothing to hide here.');
      });
      after(async () => {
        await t.app.close();
        await drop();
      });

      it('leaves no word of a deleted post anywhere public, only a tombstone', async () => {
        const post = await publish('Quokkaflume headline', 'Marmalisk libel paragraph.');
        const edited = await t.call('editor', 'PATCH', `${posts}/${post.id}`, {
          revision: 1,
          body: [aParagraph('Marmalisk libel paragraph, corrected by Zebrawick.')],
        });
        assert.equal(edited.statusCode, 200);
        const pinned = await t.call('editor', 'PATCH', `${posts}/${post.id}`, {
          revision: 2,
          pinned: true,
        });
        assert.equal(pinned.statusCode, 200);
        assert.match(await log(), /Quokkaflume/, 'the live post is in the log before the delete');

        assert.equal((await t.call('editor', 'DELETE', `${posts}/${post.id}`)).statusCode, 204);
        const everywhere = await everyPublicSurface(post.id);
        for (const word of ['Quokkaflume', 'Marmalisk', 'libel', 'Zebrawick']) {
          assert.doesNotMatch(everywhere, new RegExp(word), `"${word}" is still public`);
        }
        const changes = JSON.parse(await log()).changes as ChangeJson[];
        const ofPost = changes.filter((c) => c.postId === post.id);
        const tombstone = ofPost.at(-1);
        assert.equal(tombstone?.kind, 'post.deleted');
        assert.deepEqual(
          ofPost.slice(0, -1).map((c) => [c.kind, c.supersededBy]),
          ofPost.slice(0, -1).map((c, i) => ['post.superseded', ofPost[i + 1]?.seq]),
        );
        assert.match(await log(), /A post that stays/, 'other posts keep their entries');
      });

      it('keeps only the current version of an edited post in the change log', async () => {
        const post = await publish('Wombatrix first headline', 'Original wording.');
        const edited = await t.call('editor', 'PATCH', `${posts}/${post.id}`, {
          revision: 1,
          headline: 'Corrected headline',
        });
        assert.equal(edited.statusCode, 200);
        const raw = await log();
        assert.doesNotMatch(raw, /Wombatrix/);
        const changes = JSON.parse(raw).changes as (ChangeJson & { post?: PostJson })[];
        const live = changes.filter((c) => c.postId === post.id && c.kind !== 'post.superseded');
        assert.deepEqual(
          live.map((c) => [c.kind, c.post?.headline, c.post?.revision]),
          [['post.edited', 'Corrected headline', 2]],
        );
      });

      it('takes an unpublished post out of the public log too', async () => {
        const post = await publish('Pangolode headline', 'Withdrawn for checks.');
        const back = await t.call('editor', 'PATCH', `${posts}/${post.id}`, {
          revision: 1,
          status: 'draft',
        });
        assert.equal(back.statusCode, 200);
        assert.doesNotMatch(await log(), /Pangolode/);
      });
    },
  );
}

describe('deleted text in the event stream replay', { timeout: 30_000 }, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.close());

  it('replays a tombstone, not the text, to a reader resuming from before the delete', async () => {
    await s.call('editor', 'POST', '/api/pages', {
      slug: 'replay',
      title: 'Replay',
      status: 'live',
    });
    const created = await s.call('editor', 'POST', '/api/pages/replay/posts', {
      headline: 'Axolotrance headline',
      body: [aParagraph('Defamatory Brindlewort text.')],
    });
    const { id } = created.json<{ id: string }>();
    await s.call('editor', 'POST', '/api/pages/replay/posts', {
      headline: 'Kept',
      body: [aParagraph('Kept.')],
    });
    assert.equal(
      (await s.call('editor', 'DELETE', `/api/pages/replay/posts/${id}`)).statusCode,
      204,
    );
    const events = await readEvents(`${s.url}/live/replay/events`, 3, {
      headers: { 'last-event-id': '0' },
    });
    const raw = events.map((e) => e.data).join('\n');
    assert.doesNotMatch(raw, /Axolotrance|Brindlewort/);
    assert.deepEqual(
      events.map((e) => JSON.parse(e.data).kind),
      ['post.superseded', 'post.published', 'post.deleted'],
    );
  });
});
