import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { aParagraph } from '../support/factories.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { liveDesk, serveOn, type PostJson } from '../support/live-desk.ts';

const quiet = { info() {}, warn() {}, error() {} };

// Every edit of a published post is kept as a revision (who, when, which fields) for the
// desk; readers only ever see the current version. On every database.
for (const adapter of await adapters()) {
  describe(`revisions: ${adapter.name}`, { skip: adapter.skip, timeout: 60_000 }, () => {
    let t: Awaited<ReturnType<typeof serveOn>>;
    const slug = 'revisions';
    let desk: ReturnType<typeof liveDesk>;

    before(async () => {
      t = await serveOn(adapter);
      desk = liveDesk(t, slug);
      await desk.openPage();
    });
    after(() => t.dispose());

    it('keeps each edit with who, when and which fields, for the desk only', async () => {
      t.clock.set('2026-06-01T09:00:00.000Z');
      const post = await desk.publish('Flooding in Gorsemouth', 'Rivers burst at dawn.');
      t.clock.set('2026-06-01T09:05:00.000Z');
      await desk.edit(post.id, { headline: 'Flooding in Gorsemoor' });
      t.clock.set('2026-06-01T09:20:00.000Z');
      await desk.edit(
        post.id,
        { body: [aParagraph('Rivers burst before dawn.')], labels: ['breaking'] },
        'admin',
      );
      t.clock.release();

      const { post: now, steps } = await desk.history(post.id);
      assert.deepEqual([now.revision, now.status], [3, 'published']);
      assert.deepEqual(
        steps.map((s) => [s.action, s.revision, s.at, s.actor.name, s.fields]),
        [
          [
            'published',
            1,
            '2026-06-01T09:00:00.000Z',
            'Rich Preston',
            ['headline', 'body', 'labels', 'contributors', 'publishedAt'],
          ],
          ['edited', 2, '2026-06-01T09:05:00.000Z', 'Rich Preston', ['headline']],
          ['edited', 3, '2026-06-01T09:20:00.000Z', 'Ada Admin', ['body', 'labels']],
        ],
      );
      assert.deepEqual(
        steps.map((s) => s.content?.headline),
        ['Flooding in Gorsemouth', 'Flooding in Gorsemoor', 'Flooding in Gorsemoor'],
      );
      assert.equal(steps[0]?.actor.kind, 'user');
      assert.equal(typeof steps[0]?.actor.id, 'string');

      // Readers see the current version, never an earlier one.
      const everywhere = await desk.everyPublicSurface(post.id);
      assert.match(everywhere, /Flooding in Gorsemoor/);
      assert.match(everywhere, /Rivers burst before dawn/);
      assert.doesNotMatch(everywhere, /Gorsemouth|Rivers burst at dawn/);
      const json = (await t.call(null, 'GET', `${desk.posts}/${post.id}`)).json<PostJson>();
      assert.equal('history' in json, false);
      assert.equal('removal' in json, false);
    });

    it('names the scheduler as who published a scheduled post, and lists its corrections', async () => {
      t.clock.set('2026-06-02T06:00:00.000Z');
      const res = await t.call('contributor', 'POST', desk.posts, {
        headline: 'Polls open',
        body: [aParagraph('Polls open at seven.')],
        status: 'scheduled',
        scheduledFor: '2026-06-02T07:00:00.000Z',
      });
      assert.equal(res.statusCode, 201, res.body);
      const { id } = res.json<PostJson>();
      t.clock.set('2026-06-02T07:00:01.000Z');
      const scheduler = new Scheduler(t.services, { everyMs: 3_600_000, log: quiet });
      assert.equal((await scheduler.tick()).published, 1);
      await desk.edit(id, {
        body: [aParagraph('Polls open at 7am.')],
        correction: { note: 'Polls open at 7am, not 8am.' },
      });
      t.clock.release();

      const { post, steps } = await desk.history(id);
      assert.deepEqual(
        post.corrections.map((c) => [c.note, c.at]),
        [['Polls open at 7am, not 8am.', '2026-06-02T07:00:01.000Z']],
      );
      assert.equal(post.removal, null);
      const contributorId = (await t.services.store.findUserByName('Frank Gardner'))?.id;
      const editorId = (await t.services.store.findUserByName('Rich Preston'))?.id;
      assert.deepEqual(
        steps.map((s) => [s.action, s.actor]),
        [
          ['scheduled', { kind: 'user', id: contributorId, name: 'Frank Gardner' }],
          ['published', { kind: 'system', id: null, name: 'scheduler' }],
          ['corrected', { kind: 'user', id: editorId, name: 'Rich Preston' }],
        ],
      );
      assert.deepEqual(
        steps.map((s) => [s.fields, s.content !== null]),
        [
          [['headline', 'body', 'labels', 'contributors', 'publishedAt'], true],
          [[], false],
          [['body', 'corrections'], true],
        ],
        'the correction changed the text: its version is kept',
      );
      assert.deepEqual(
        steps.map((s) => s.note),
        [
          'Scheduled for 08:00 British Summer Time, 2 June 2026',
          null,
          'Polls open at 7am, not 8am.',
        ],
      );
    });

    it('keeps the text of a version that changed only its labels, contributors or time', async () => {
      t.clock.set('2026-06-03T09:00:00.000Z');
      const post = await desk.publish('Heatwave warning', 'Temperatures of 34C expected.');
      await desk.edit(post.id, { labels: ['breaking'] });
      await desk.edit(post.id, { contributors: [{ name: 'Carol Kirkwood', role: 'Forecaster' }] });
      await desk.edit(post.id, { publishedAt: '2026-06-03T08:55:00.000Z' });
      await desk.edit(post.id, { pinned: true });
      t.clock.release();
      const { steps } = await desk.history(post.id);
      assert.deepEqual(
        steps.map((s) => [s.action, s.fields, s.content !== null]),
        [
          ['published', ['headline', 'body', 'labels', 'contributors', 'publishedAt'], true],
          ['edited', ['labels'], true],
          ['edited', ['contributors'], true],
          ['edited', ['publishedAt'], true],
          ['pinned', ['pinned'], false],
        ],
      );
      const last = steps[3]?.content as unknown as Record<string, unknown>;
      assert.deepEqual(
        [last.labels, last.contributors, last.publishedAt],
        [
          ['breaking'],
          [{ name: 'Carol Kirkwood', role: 'Forecaster' }],
          '2026-06-03T08:55:00.000Z',
        ],
      );
    });

    it('shows the history to editors, admins and the author, not to others', async () => {
      const res = await t.call('contributor', 'POST', desk.posts, {
        headline: 'By a contributor',
        body: [aParagraph('Their words.')],
      });
      const { id } = res.json<PostJson>();
      const url = `/desk/api/pages/${slug}/posts/${id}/history`;
      for (const [as, status] of [
        ['editor', 200],
        ['admin', 200],
        ['contributor', 200],
        ['otherContributor', 403],
        [null, 401],
      ] as const) {
        const answer = await t.call(as, 'GET', url);
        assert.equal(answer.statusCode, status, `${as ?? 'anonymous'}: ${answer.body}`);
      }
      const unknown = await t.call(
        'editor',
        'GET',
        `/desk/api/pages/${slug}/posts/${'0'.repeat(20)}/history`,
      );
      assert.equal(unknown.statusCode, 404);
      assert.deepEqual(unknown.json(), {
        ...unknown.json(),
        code: 'POST_NOT_FOUND',
        detail: `No post "${'0'.repeat(20)}" on "${slug}".`,
      });
    });

    it('keeps drafts and deleted posts readable to editors, with their steps', async () => {
      const draft = await t.call('editor', 'POST', desk.posts, {
        headline: 'Draft headline',
        body: [aParagraph('Draft words.')],
        status: 'draft',
      });
      const { id } = draft.json<PostJson>();
      await desk.edit(id, { status: 'published' });
      assert.equal((await t.call('editor', 'DELETE', `${desk.posts}/${id}`)).statusCode, 204);
      const { post, steps } = await desk.history(id);
      assert.equal(post.status, 'deleted');
      assert.deepEqual(
        steps.map((s) => [s.action, s.fields.length > 0, s.content !== null]),
        [
          ['created', true, true],
          ['published', false, false],
          ['deleted', false, false],
        ],
        'publishing the draft and deleting it change no text: the first step keeps it',
      );
    });
  });
}
