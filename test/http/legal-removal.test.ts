import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { REPLAYED_HEADER } from '../../src/http/api/answer.ts';
import { adapters } from '../support/adapters.ts';
import { openStream } from '../support/event-stream.ts';
import { tablesContaining } from '../support/every-row.ts';
import { aParagraph } from '../support/factories.ts';
import { liveDesk, serveOn, type PostJson } from '../support/live-desk.ts';
import { readEvents } from '../support/server.ts';

type Change = { seq: number; kind: string; postId: string | null };

// A legally removed post's words must be gone from every public surface, every cache, the
// event stream's memory and replay, stored answers to Idempotency-Keys and every table of
// the database, leaving a tombstone only editors see. On every database.
for (const adapter of await adapters()) {
  describe(`legal removal: ${adapter.name}`, { skip: adapter.skip, timeout: 90_000 }, () => {
    let t: Awaited<ReturnType<typeof serveOn>>;
    const slug = 'removal';
    let desk: ReturnType<typeof liveDesk>;
    const removal = (id: string) => `/api/pages/${slug}/posts/${id}/removal`;
    const changes = async () =>
      (await t.call(null, 'GET', `/api/pages/${slug}/changes?since=0`)).json<{
        changes: Change[];
      }>().changes;

    before(async () => {
      t = await serveOn(adapter);
      desk = liveDesk(t, slug);
      await desk.openPage();
      await desk.publish('A post that stays', 'Nothing to hide here.');
    });
    after(() => t.dispose());

    it('takes the text out of everything, leaving a tombstone for editors', async () => {
      // One made-up word per version, so each can be looked for on its own.
      const words = ['Vexmorrow', 'Quillibrant', 'Drastophel', 'Pellucian'];
      const newPost = { headline: 'Vexmorrow claims', body: [aParagraph('Vexmorrow said so.')] };
      const key = { 'idempotency-key': 'publish-vexmorrow' };
      const first = await t.call('editor', 'POST', desk.posts, newPost, key);
      assert.equal(first.statusCode, 201, first.body);
      const { id } = first.json<PostJson>();
      await desk.edit(id, { body: [aParagraph('Quillibrant said so.')] });
      await desk.edit(id, {
        headline: 'Drastophel claims',
        body: [aParagraph('Drastophel said so.')],
        correction: { note: 'It was Drastophel, not Pellucian.' },
      });

      // Every cache holds the post before the removal: the rendered page, the anonymous JSON
      // listing, and the event stream's memory (a reader connected from the start).
      for (const url of [`/live/${slug}`, `/api/pages/${slug}/posts`]) {
        assert.match((await t.call(null, 'GET', url)).body, /Drastophel/);
        assert.match((await t.call(null, 'GET', url)).body, /Drastophel/, `${url} again, cached`);
      }
      const early = await openStream(`${t.url}/live/${slug}/events`, { 'last-event-id': '0' });
      try {
        await early.waitFor((e) => e.data.includes('Drastophel'), 5_000);

        const res = await t.call('editor', 'POST', removal(id), { reason: 'Court order 17/2026' });
        assert.equal(res.statusCode, 200, res.body);
        const tombstone = res.json<{ status: string; removal: Record<string, unknown> }>();
        assert.equal(tombstone.status, 'deleted');
        assert.equal(tombstone.removal.byName, 'Rich Preston');
        assert.equal(tombstone.removal.reason, 'Court order 17/2026');

        const gone = await early.waitFor(
          (e) => (JSON.parse(e.data) as Change).kind === 'post.deleted',
          5_000,
        );
        assert.equal((JSON.parse(gone.data) as Change).postId, id);
      } finally {
        early.close();
      }

      const everywhere = await desk.everyPublicSurface(id);
      const log = await changes();
      const replay = await readEvents(`${t.url}/live/${slug}/events`, log.length, {
        headers: { 'last-event-id': '0' },
      });
      assert.equal(replay.length, log.length);
      const again = await t.call('editor', 'POST', desk.posts, newPost, key);
      assert.equal(again.statusCode, 410, again.body);
      assert.equal(again.headers[REPLAYED_HEADER], 'true');
      assert.equal(again.json<{ code: string }>().code, 'POST_REMOVED');
      assert.equal(again.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.deepEqual(
        [again.json().type, again.json().title, again.json().postId],
        ['/docs/errors#POST_REMOVED', 'Gone', id],
      );
      const pageId = (await t.services.store.getPage(slug))?.id ?? '';
      const row = await t.services.store.getPost(pageId, id);
      assert.deepEqual(
        row && {
          status: row.status,
          pinned: row.pinned,
          headline: row.headline,
          body: row.body,
          labels: row.labels,
          contributors: row.contributors,
          corrections: row.corrections,
          reviewNote: row.reviewNote,
          scheduledFor: row.scheduledFor,
        },
        {
          status: 'deleted',
          pinned: false,
          headline: '',
          body: [],
          labels: [],
          contributors: [],
          corrections: [],
          reviewNote: null,
          scheduledFor: null,
        },
        'the row keeps nothing but the tombstone',
      );
      const replayed = replay.map((e) => e.data).join('\n');
      for (const word of words) {
        for (const [surface, text] of [
          ['public surfaces', everywhere],
          ['event replay', replayed],
          ['idempotency replay', again.body],
        ]) {
          assert.doesNotMatch(text ?? '', new RegExp(word), `"${word}" is still in ${surface}`);
        }
        assert.deepEqual(await tablesContaining(t.services.store, word), [], `"${word}" stored`);
      }
      assert.match(everywhere, /A post that stays/, 'the other post is untouched');
      const permalink = await t.call(null, 'GET', `/live/${slug}/posts/${id}`);
      assert.equal(permalink.statusCode, 404);
      assert.equal(log.at(-1)?.kind, 'post.deleted');
      const page = (await t.call(null, 'GET', `/api/pages/${slug}`)).json<{ postCount: number }>();
      assert.equal(page.postCount, 1);

      const history = await desk.history(id);
      assert.equal(history.post.removal?.reason, 'Court order 17/2026');
      assert.equal(history.post.removal?.byName, 'Rich Preston');
      assert.ok(history.steps.length >= 4);
      for (const step of history.steps.slice(0, -1)) {
        assert.equal(step.content, null, `${step.action} keeps no content`);
        assert.equal(step.note, null, `${step.action} keeps no note`);
        assert.equal(step.removal?.reason, 'Court order 17/2026');
      }
      const last = history.steps.at(-1);
      assert.deepEqual(
        [last?.action, last?.note, last?.actor.name],
        ['removed', 'Court order 17/2026', 'Rich Preston'],
      );
      const historyUrl = `/desk/api/pages/${slug}/posts/${id}/history`;
      assert.equal((await t.call('contributor', 'GET', historyUrl)).statusCode, 403);
      assert.equal((await t.call(null, 'GET', historyUrl)).statusCode, 401);
      assert.doesNotMatch(everywhere, /Court order/, 'the reason is for editors only');
    });

    it('is for editors and admins, with a reason, and writes nothing when refused', async () => {
      const post = await desk.publish('Contested post', 'Contested words.');
      const seq = (await changes()).at(-1)?.seq;
      const cases: [string, 'contributor' | 'editor' | null, object, number][] = [
        ['a contributor', 'contributor', { reason: 'Legal advice' }, 403],
        ['anonymous', null, { reason: 'Legal advice' }, 401],
        ['no reason', 'editor', {}, 422],
        ['a blank reason', 'editor', { reason: '  ' }, 422],
      ];
      for (const [name, as, body, status] of cases) {
        const res = await t.call(as, 'POST', removal(post.id), body);
        assert.equal(res.statusCode, status, `${name}: ${res.body}`);
        if (as === 'contributor')
          assert.equal(
            res.json().detail,
            'The contributor role may not remove posts for legal reasons.',
          );
      }
      const unknownId = '0'.repeat(20);
      const unknown = await t.call('editor', 'POST', removal(unknownId), { reason: 'Legal' });
      assert.equal(unknown.statusCode, 404, unknown.body);
      assert.deepEqual(
        [unknown.json().code, unknown.json().detail],
        ['POST_NOT_FOUND', `No post "${unknownId}" on the live page "${slug}".`],
      );
      assert.equal((await changes()).at(-1)?.seq, seq, 'nothing logged');
      const stored = await t.call(null, 'GET', `${desk.posts}/${post.id}`);
      assert.equal(stored.json<PostJson>().headline, 'Contested post');
      const history = await desk.history(post.id);
      assert.deepEqual(
        history.steps.map((s) => [s.action, s.content?.headline]),
        [['published', 'Contested post']],
      );
    });

    it('removes a draft without touching the page, and leaves a removed post as it is', async () => {
      const draft = await t.call('editor', 'POST', desk.posts, {
        headline: 'Unpublished allegation',
        body: [aParagraph('Never went out.')],
        status: 'draft',
      });
      assert.equal(draft.statusCode, 201, draft.body);
      const { id } = draft.json<PostJson>();
      const before = (await t.call(null, 'GET', `/api/pages/${slug}`)).json<{
        postCount: number;
        lastSeq: number;
      }>();
      const res = await t.call('editor', 'POST', removal(id), { reason: '  Legal advice  ' });
      assert.equal(res.statusCode, 200, res.body);
      const removed = res.json<{ status: string; removal: { reason: string; at: string } }>();
      assert.deepEqual([removed.status, removed.removal.reason], ['deleted', 'Legal advice']);
      const after = (await t.call(null, 'GET', `/api/pages/${slug}`)).json<typeof before>();
      assert.deepEqual(
        [after.postCount, after.lastSeq],
        [before.postCount, before.lastSeq],
        'a draft was never public: no count, no log entry',
      );
      const steps = (await desk.history(id)).steps.length;
      const again = await t.call('admin', 'POST', removal(id), { reason: 'Another order' });
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual(
        again.json<{ removal: unknown }>().removal,
        removed.removal,
        'the first removal stands',
      );
      assert.equal((await desk.history(id)).steps.length, steps, 'no second step');
    });

    it("refuses to remove a deleted post's current version alone: its text is in the post", async () => {
      const key = { 'idempotency-key': 'publish-quorvath' };
      const newPost = { headline: 'Quorvath report', body: [aParagraph('Quorvath wrote it.')] };
      const first = await t.call('editor', 'POST', desk.posts, newPost, key);
      assert.equal(first.statusCode, 201, first.body);
      const { id } = first.json<PostJson>();
      assert.equal((await t.call('editor', 'DELETE', `${desk.posts}/${id}`)).statusCode, 204);
      const steps = (await desk.history(id)).steps;
      const res = await t.call(
        'editor',
        'POST',
        `/api/pages/${slug}/posts/${id}/history/${steps[0]?.id ?? ''}/removal`,
        { reason: 'Legal advice' },
      );
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json<{ code: string }>().code, 'VERSION_IS_CURRENT');
      assert.equal(
        res.json().detail,
        "Revision 1 is the deleted post's own text: remove the post whole.",
      );
      assert.equal((await desk.history(id)).steps.length, steps.length, 'no step recorded');
      const replay = await t.call('editor', 'POST', desk.posts, newPost, key);
      assert.equal(replay.statusCode, 201, 'the stored answer is as it was');
      // Removing the post whole takes the words out of every table.
      const whole = await t.call('editor', 'POST', removal(id), { reason: 'Legal advice' });
      assert.equal(whole.statusCode, 200, whole.body);
      assert.deepEqual(await tablesContaining(t.services.store, 'Quorvath'), []);
    });

    it('refuses a step that kept no text, and leaves a removed version as it is', async () => {
      const post = await desk.publish('Pinned rumour', 'Rumour words.');
      await desk.edit(post.id, { pinned: true });
      await desk.edit(post.id, { headline: 'Pinned report' });
      const steps = (await desk.history(post.id)).steps;
      assert.deepEqual(
        steps.map((s) => [s.action, s.content === null]),
        [
          ['published', false],
          ['pinned', true],
          ['edited', false],
        ],
      );
      const url = (entryId: string) =>
        `/api/pages/${slug}/posts/${post.id}/history/${entryId}/removal`;
      const noText = await t.call('editor', 'POST', url(steps[1]!.id), { reason: 'Legal advice' });
      assert.equal(noText.statusCode, 404, noText.body);
      assert.equal(noText.json<{ code: string }>().code, 'VERSION_NOT_FOUND');
      assert.equal(noText.json().detail, `The step "${steps[1]!.id}" kept no text to remove.`);
      const first = await t.call('editor', 'POST', url(steps[0]!.id), { reason: 'Legal advice' });
      assert.equal(first.statusCode, 200, first.body);
      const count = (await desk.history(post.id)).steps.length;
      const again = await t.call('editor', 'POST', url(steps[0]!.id), { reason: 'Again' });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json<{ removal: { reason: string } }>().removal.reason, 'Legal advice');
      assert.equal((await desk.history(post.id)).steps.length, count, 'no second step');
      // A deleted post keeps its text in its own row: its last version goes only with it.
      assert.equal((await t.call('editor', 'DELETE', `${desk.posts}/${post.id}`)).statusCode, 204);
      const last = await t.call('editor', 'POST', url(steps[2]!.id), { reason: 'Legal advice' });
      assert.equal(last.statusCode, 409, last.body);
      assert.deepEqual(await tablesContaining(t.services.store, 'Pinned report'), [
        'post_history',
        'posts',
      ]);
    });

    it('removes an earlier version only, and refuses the current one', async () => {
      const key = { 'idempotency-key': 'publish-ossifrage' };
      const newPost = { headline: 'Ossifrage report', body: [aParagraph('Ossifrage wrote it.')] };
      const first = await t.call('editor', 'POST', desk.posts, newPost, key);
      assert.equal(first.statusCode, 201, first.body);
      const { id } = first.json<PostJson>();
      // Each version is a whole snapshot: text a later version kept is that version's too.
      await desk.edit(id, {
        headline: 'Tarnwhistle report',
        body: [aParagraph('Tarnwhistle wrote it.')],
      });
      await desk.edit(id, {
        headline: 'Current report',
        body: [aParagraph('The current words.')],
      });
      const steps = (await desk.history(id)).steps;
      const [v1, v2, v3] = steps;
      assert.deepEqual(
        steps.map((s) => [s.revision, s.content?.headline]),
        [
          [1, 'Ossifrage report'],
          [2, 'Tarnwhistle report'],
          [3, 'Current report'],
        ],
      );
      const versionRemoval = (entryId: string) =>
        `/api/pages/${slug}/posts/${id}/history/${entryId}/removal`;

      const current = await t.call('editor', 'POST', versionRemoval(v3?.id ?? ''), {
        reason: 'Legal advice',
      });
      assert.equal(current.statusCode, 409, current.body);
      assert.equal(current.json<{ code: string }>().code, 'VERSION_IS_CURRENT');
      assert.equal(
        current.json().detail,
        'Revision 3 is what readers see now: edit the post, or remove it whole.',
      );
      const byContributor = await t.call('contributor', 'POST', versionRemoval(v1?.id ?? ''), {
        reason: 'Legal advice',
      });
      assert.equal(byContributor.statusCode, 403);
      assert.equal(
        byContributor.json().detail,
        'The contributor role may not remove posts for legal reasons.',
      );
      const unknown = await t.call('editor', 'POST', versionRemoval('0'.repeat(20)), {
        reason: 'Legal advice',
      });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().detail, `No step "${'0'.repeat(20)}" in this post's history.`);
      assert.deepEqual(await tablesContaining(t.services.store, 'Ossifrage'), [
        'idempotency_keys',
        'post_history',
      ]);

      const res = await t.call('admin', 'POST', versionRemoval(v1?.id ?? ''), {
        reason: 'Defamation claim',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json<{ removal: { byName: string } }>().removal.byName, 'Ada Admin');
      assert.deepEqual(await tablesContaining(t.services.store, 'Ossifrage'), []);
      assert.deepEqual(await tablesContaining(t.services.store, 'Tarnwhistle'), ['post_history']);

      const after = (await desk.history(id)).steps;
      assert.equal(after[0]?.content, null);
      assert.equal(after[0]?.removal?.reason, 'Defamation claim');
      assert.equal(after[1]?.content?.headline, 'Tarnwhistle report');
      assert.equal(after[2]?.content?.headline, 'Current report');
      assert.equal(after.at(-1)?.action, 'version_removed');
      assert.equal(v2?.removal, null);

      const post = (await t.call(null, 'GET', `${desk.posts}/${id}`)).json<PostJson>();
      assert.deepEqual([post.headline, post.revision], ['Current report', 3]);
      assert.match(await desk.everyPublicSurface(id), /The current words/);
      const replay = await t.call('editor', 'POST', desk.posts, newPost, key);
      assert.equal(replay.statusCode, 201);
      assert.equal(replay.json<PostJson>().headline, 'Current report');
      assert.equal(replay.headers.location, `/api/pages/${slug}/posts/${id}`);
    });

    it('keeps the first answer to an Idempotency-Key when only a later version is removed', async () => {
      const key = { 'idempotency-key': 'publish-wendle' };
      const newPost = { headline: 'Wendle report', body: [aParagraph('Wendle wrote it.')] };
      const first = await t.call('editor', 'POST', desk.posts, newPost, key);
      assert.equal(first.statusCode, 201, first.body);
      const { id } = first.json<PostJson>();
      await desk.edit(id, { headline: 'Brindlecombe report' });
      await desk.edit(id, { headline: 'Settled report' });
      const v2 = (await desk.history(id)).steps[1];
      assert.equal(v2?.content?.headline, 'Brindlecombe report');
      const url = `/api/pages/${slug}/posts/${id}/history/${v2.id}/removal`;
      const res = await t.call('editor', 'POST', url, { reason: 'Legal advice' });
      assert.equal(res.statusCode, 200, res.body);
      const replay = await t.call('editor', 'POST', desk.posts, newPost, key);
      assert.equal(replay.statusCode, 201, replay.body);
      assert.deepEqual(replay.json(), first.json(), 'revision 1 was not removed: its answer stays');
      assert.deepEqual(await tablesContaining(t.services.store, 'Brindlecombe'), []);
    });
  });
}
