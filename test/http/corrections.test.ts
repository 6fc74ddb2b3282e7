import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { aParagraph } from '../support/factories.ts';
import { liveDesk, serveOn, type PostJson } from '../support/live-desk.ts';
import { readEvents } from '../support/server.ts';

type Change = { seq: number; kind: string; postId: string | null; post?: PostJson };

// A correction's note and time reach readers on every surface that shows the post; a silent
// fix leaves no marker; a refused correction writes nothing at all. On every database.
for (const adapter of await adapters()) {
  describe(`corrections: ${adapter.name}`, { skip: adapter.skip, timeout: 60_000 }, () => {
    let t: Awaited<ReturnType<typeof serveOn>>;
    const slug = 'corrections';
    let desk: ReturnType<typeof liveDesk>;
    const get = async (url: string) => (await t.call(null, 'GET', url)).body;
    const lastSeq = async () => {
      const res = await t.call(null, 'GET', `/api/pages/${slug}/changes?since=0`);
      return res.json<{ changes: Change[] }>().changes.at(-1)?.seq ?? 0;
    };

    before(async () => {
      t = await serveOn(adapter);
      desk = liveDesk(t, slug);
      await desk.openPage();
    });
    after(() => t.dispose());

    it('shows the note and its time on the page, permalink, feed, JSON, changes and live event', async () => {
      t.clock.set('2026-03-20T18:10:00.000Z');
      const post = await desk.publish('Crowd of 24,000 at the rally', 'Police said 24,000 came.');
      const before = await lastSeq();
      t.clock.set('2026-03-20T18:25:00.000Z');
      const corrected = await desk.edit(post.id, {
        headline: 'Crowd of 2,400 at the rally',
        body: [aParagraph('Police said 2,400 came.')],
        correction: { note: 'The figure was 2,400, not 24,000 & we regret the error.' },
      });
      t.clock.release();
      const at = '2026-03-20T18:25:00.000Z';
      assert.deepEqual(corrected.corrections, [
        { note: 'The figure was 2,400, not 24,000 & we regret the error.', at },
      ]);
      assert.equal(corrected.revision, 2);
      assert.equal(corrected.updatedAt, at);

      const escapedNote = 'The figure was 2,400, not 24,000 &amp; we regret the error.';
      for (const url of [`/live/${slug}`, `/live/${slug}/posts/${post.id}`]) {
        const html = await get(url);
        const aside = /<aside class="correction"[^>]*>([\s\S]*?)<\/aside>/.exec(html)?.[1];
        assert.ok(aside, `${url} shows the correction`);
        assert.match(aside, /Correction/);
        assert.match(
          aside,
          new RegExp(`<time class="correction__time" datetime="${at}">18:25 GMT 20 March</time>`),
        );
        assert.ok(aside.includes(escapedNote), `${url} shows the note, escaped`);
        assert.match(html, /"@type":"CorrectionComment"/, `${url} JSON-LD names the correction`);
      }

      const feed = await get(`/live/${slug}/feed.xml`);
      const entry = /<entry>[\s\S]*?<\/entry>/.exec(feed)?.[0] ?? '';
      assert.match(entry, /Crowd of 2,400/);
      assert.match(entry, new RegExp(`<updated>${at}</updated>`));
      // The note is inside type="html" content: escaped once more as text of the XML.
      assert.ok(entry.includes('The figure was 2,400, not 24,000 &amp;amp; we regret'), entry);
      assert.match(entry, /class=&quot;correction&quot;/);

      const json = (await t.call(null, 'GET', `${desk.posts}/${post.id}`)).json<PostJson>();
      assert.deepEqual(json.corrections, corrected.corrections);
      const changes = (
        await t.call(null, 'GET', `/api/pages/${slug}/changes?since=${before}`)
      ).json<{ changes: Change[] }>().changes;
      assert.deepEqual(
        changes.map((c) => [c.kind, c.post?.corrections]),
        [['post.edited', corrected.corrections]],
      );

      const [event] = await readEvents(`${t.url}/live/${slug}/events`, 1, {
        headers: { 'last-event-id': String(before) },
      });
      const live = JSON.parse(event?.data ?? '{}') as { kind: string; html: string };
      assert.equal(live.kind, 'post.edited');
      assert.ok(live.html.includes(escapedNote), 'the live update carries the note');
      assert.match(
        live.html,
        new RegExp(`<aside class="correction"[^>]*>[\\s\\S]*datetime="${at}"`),
      );

      const { steps } = await desk.history(post.id);
      const step = steps.at(-1);
      assert.equal(step?.action, 'corrected');
      assert.equal(step?.note, 'The figure was 2,400, not 24,000 & we regret the error.');
      assert.deepEqual(step?.fields, ['headline', 'body', 'corrections']);
      assert.equal(step?.actor.name, 'Rich Preston');
      assert.equal(step?.content?.headline, 'Crowd of 2,400 at the rally');
    });

    it('keeps every correction, oldest first, and allows a note without a text change', async () => {
      const post = await desk.publish('Minister resigns', 'The minister resigned on Tuesday.');
      await desk.edit(post.id, {
        body: [aParagraph('The minister resigned on Monday.')],
        correction: { note: 'The resignation was on Monday, not Tuesday.' },
      });
      const noted = await desk.edit(post.id, {
        correction: { note: '  An earlier version misnamed the department.  ' },
      });
      assert.equal(noted.revision, 3, 'a note-only correction is a new revision');
      assert.deepEqual(
        noted.corrections.map((c) => c.note),
        [
          'The resignation was on Monday, not Tuesday.',
          'An earlier version misnamed the department.',
        ],
      );
      const html = await get(`/live/${slug}/posts/${post.id}`);
      assert.equal(html.match(/<aside class="correction"/g)?.length, 2);
      const { steps } = await desk.history(post.id);
      assert.deepEqual(
        steps.slice(-2).map((s) => [s.action, s.fields, s.content === null]),
        [
          ['corrected', ['body', 'corrections'], false],
          ['corrected', ['corrections'], true],
        ],
      );
    });

    it('accepts a correction sent with the status it keeps (a desk form sends every field)', async () => {
      const post = await desk.publish('Ferry sails at six', 'The ferry sails at 6pm.');
      const corrected = await desk.edit(post.id, {
        status: 'published',
        body: [aParagraph('The ferry sails at 7pm.')],
        correction: { note: 'The ferry sails at 7pm, not 6pm.' },
      });
      assert.equal(corrected.status, 'published');
      assert.deepEqual(
        corrected.corrections.map((c) => c.note),
        ['The ferry sails at 7pm, not 6pm.'],
      );
      assert.equal((await desk.history(post.id)).steps.at(-1)?.action, 'corrected');
    });

    it('shows no marker for a silent fix', async () => {
      const post = await desk.publish('Storm warning issud', 'Winds of 80mph expected.');
      const fixed = await desk.edit(post.id, { headline: 'Storm warning issued' });
      assert.deepEqual(fixed.corrections, []);
      assert.equal(fixed.revision, 2);
      const html = await get(`/live/${slug}/posts/${post.id}`);
      assert.match(html, /Storm warning issued/);
      assert.doesNotMatch(html, /class="correction"/);
      const entry = /<entry>[\s\S]*?<\/entry>/.exec(await get(`/live/${slug}/feed.xml`))?.[0];
      assert.doesNotMatch(entry ?? '', /class=&quot;correction/);
      assert.equal((await desk.history(post.id)).steps.at(-1)?.action, 'edited');
    });

    it('refuses a bad correction with 422 and writes nothing', async () => {
      const post = await desk.publish('Bridge reopens', 'The bridge reopened at noon.');
      const draft = await t.call('editor', 'POST', desk.posts, {
        headline: 'Draft about the bridge',
        body: [aParagraph('Not yet public.')],
        status: 'draft',
      });
      const draftId = draft.json<PostJson>().id;
      const cases: [string, string, object][] = [
        ['empty note', post.id, { revision: 1, correction: { note: '' } }],
        ['blank note', post.id, { revision: 1, correction: { note: '   ' } }],
        ['oversize note', post.id, { revision: 1, correction: { note: 'x'.repeat(501) } }],
        ['control character', post.id, { revision: 1, correction: { note: 'a\u0001b' } }],
        ['no note', post.id, { revision: 1, correction: {} }],
        [
          'unpublishing',
          post.id,
          { revision: 1, status: 'draft', correction: { note: 'Withdrawn.' } },
        ],
        [
          'on a draft',
          draftId,
          { revision: 1, headline: 'Changed', correction: { note: 'A correction.' } },
        ],
      ];
      for (const [name, id, body] of cases) {
        const seq = await lastSeq();
        const steps = (await desk.history(id)).steps.length;
        const res = await t.call('editor', 'PATCH', `${desk.posts}/${id}`, body);
        assert.equal(res.statusCode, 422, `${name}: ${res.body}`);
        assert.equal(res.json<{ code: string }>().code, 'VALIDATION_FAILED', name);
        if (name === 'unpublishing' || name === 'on a draft') {
          assert.deepEqual(
            res.json<{ errors: unknown[] }>().errors,
            [
              {
                field: '/correction',
                reason: 'only a published post that stays published can be corrected',
              },
            ],
            `${name}: the desk is told why`,
          );
        }
        const stored = (await t.call('editor', 'GET', `${desk.posts}/${id}`)).json<PostJson>();
        assert.equal(stored.revision, 1, `${name}: no new revision`);
        assert.deepEqual(stored.corrections, [], `${name}: no correction stored`);
        assert.equal(await lastSeq(), seq, `${name}: no change-log entry`);
        assert.equal((await desk.history(id)).steps.length, steps, `${name}: no history step`);
      }
    });
  });
}
