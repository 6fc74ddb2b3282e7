import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { aParagraph } from '../support/factories.ts';
import { readEvents, startTestServer, type TestServer } from '../support/server.ts';

type Json = Record<string, unknown>;

/**
 * Review over HTTP, on every database: on a page in review mode a contributor's publish is a
 * submission; editors approve it (it publishes) or return it with a note; nothing is public
 * until approved; every step is in the post's history.
 */
for (const adapter of await adapters()) {
  describe(`review: ${adapter.name}`, { skip: adapter.skip, timeout: 60_000 }, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let contributorId: string;
    let editorId: string;
    before(async () => {
      const opened = await adapter.open();
      drop = opened.drop;
      t = await startTestServer(opened.store);
      const created = await t.call('editor', 'POST', '/api/pages', {
        slug: 'summit',
        title: 'Summit',
        status: 'live',
      });
      assert.equal(created.statusCode, 201);
      const page = created.json<Json>();
      const reviewed = await t.call('editor', 'PATCH', '/api/pages/summit', {
        revision: page.revision,
        reviewMode: 'review',
      });
      assert.equal(reviewed.statusCode, 200, reviewed.body);
      assert.equal(reviewed.json().reviewMode, 'review');
      contributorId = (await t.services.store.findUserByName('Frank Gardner'))!.id;
      editorId = (await t.services.store.findUserByName('Rich Preston'))!.id;
    });
    after(async () => {
      await t.app.close();
      await drop();
    });

    const page = async () => (await t.call(null, 'GET', '/api/pages/summit')).json<Json>();
    const history = async (postId: string) => {
      const p = await t.services.store.getPage('summit');
      return t.services.store.listHistory(p!.id, postId);
    };
    const publicTraces = async (headline: string) => {
      const html = (await t.call(null, 'GET', '/live/summit')).body;
      const json = (await t.call(null, 'GET', '/api/pages/summit/posts')).body;
      const log = (await t.call(null, 'GET', '/api/pages/summit/changes?since=0')).body;
      return {
        html: html.includes(headline),
        json: json.includes(headline),
        log: log.includes(headline),
      };
    };
    const submit = async (headline: string) => {
      const res = await t.call('contributor', 'POST', '/api/pages/summit/posts', {
        headline,
        body: [aParagraph(`${headline} body`)],
        status: 'submitted',
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<Json>();
    };

    it("refuses a contributor's publish on a review page, writing nothing", async () => {
      const before = await page();
      const res = await t.call('contributor', 'POST', '/api/pages/summit/posts', {
        headline: 'Straight out',
        body: [aParagraph('x')],
      });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'REVIEW_REQUIRED');
      assert.match(
        String(res.json().detail),
        /The live page "summit" is in review mode: contributors submit posts for review/,
      );
      const scheduled = await t.call('contributor', 'POST', '/api/pages/summit/posts', {
        headline: 'Later',
        body: [aParagraph('x')],
        status: 'scheduled',
        scheduledFor: new Date(Date.now() + 3_600_000).toISOString(),
      });
      assert.equal(scheduled.json().code, 'REVIEW_REQUIRED');
      const desk = await t.services.store.listDeskPosts(
        (await t.services.store.getPage('summit'))!.id,
        50,
      );
      assert.equal(
        desk.filter((p) => p.headline === 'Straight out' || p.headline === 'Later').length,
        0,
      );
      assert.equal((await page()).lastSeq, before.lastSeq);
    });

    it('keeps a submission out of every public view until an editor approves it', async () => {
      let opened!: () => void;
      const open = new Promise<void>((resolve) => (opened = resolve));
      // The first event a connected reader gets must be the approval: the submission and
      // the editor's edit of it send readers nothing.
      const watching = readEvents(`${t.url}/live/summit/events`, 1, {
        onOpen: opened,
        timeoutMs: 5000,
      });
      await open;
      const post = await submit('Talks resume');
      assert.equal(post.status, 'submitted');
      assert.deepEqual(await publicTraces('Talks resume'), {
        html: false,
        json: false,
        log: false,
      });
      assert.equal(
        (await t.call(null, 'GET', `/api/pages/summit/posts/${post.id}`)).statusCode,
        404,
      );
      assert.equal((await page()).postCount, 0);

      // The contributor may not approve their own submission.
      const self = await t.call(
        'contributor',
        'POST',
        `/api/pages/summit/posts/${post.id}/approve`,
        {
          revision: post.revision,
        },
      );
      assert.equal(self.statusCode, 403);

      // The editor opens it, edits it and approves it.
      const edited = await t.call('editor', 'PATCH', `/api/pages/summit/posts/${post.id}`, {
        revision: post.revision,
        headline: 'Talks resume in Geneva',
      });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.equal(edited.json().status, 'submitted');
      assert.equal(
        (await publicTraces('Talks resume')).log,
        false,
        'an edit of a submission is not public',
      );
      const approved = await t.call(
        'editor',
        'POST',
        `/api/pages/summit/posts/${post.id}/approve`,
        {
          revision: edited.json().revision,
        },
      );
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().status, 'published');
      assert.deepEqual(await publicTraces('Talks resume in Geneva'), {
        html: true,
        json: true,
        log: true,
      });
      assert.equal((await page()).postCount, 1);

      const [event] = await watching;
      const data = JSON.parse(event?.data ?? '{}') as Json;
      assert.equal(data.kind, 'post.published');
      assert.match(String(data.html), /Talks resume in Geneva/);

      // Once public, its author may not change it unreviewed on a review page.
      const rewrite = await t.call('contributor', 'PATCH', `/api/pages/summit/posts/${post.id}`, {
        revision: approved.json().revision,
        headline: 'Talks collapse',
      });
      assert.equal(rewrite.statusCode, 403);
      assert.equal(rewrite.json().code, 'REVIEW_REQUIRED');
      assert.equal((await publicTraces('Talks collapse')).json, false);

      const steps = await history(String(post.id));
      assert.deepEqual(
        steps.map((s) => [s.action, s.actor]),
        [
          ['submitted', { kind: 'user', id: contributorId }],
          ['saved', { kind: 'user', id: editorId }],
          ['approved', { kind: 'user', id: editorId }],
          ['published', { kind: 'user', id: editorId }],
        ],
      );
    });

    it('returns a submission with a note its author sees, and takes it again when resubmitted', async () => {
      const post = await submit('Ceasefire claim');
      const noNote = await t.call('editor', 'POST', `/api/pages/summit/posts/${post.id}/return`, {
        revision: post.revision,
      });
      assert.equal(noNote.statusCode, 422);
      const returned = await t.call('editor', 'POST', `/api/pages/summit/posts/${post.id}/return`, {
        revision: post.revision,
        note: 'Who confirmed this? Add the source.',
      });
      assert.equal(returned.statusCode, 200, returned.body);
      assert.equal(returned.json().status, 'draft');
      assert.equal(
        returned.json().reviewNote,
        undefined,
        'the public shape never carries the note',
      );

      // The author's desk shows the note.
      const desk = await t.call('contributor', 'GET', '/desk/api/pages/summit/posts');
      const mine = desk.json<{ posts: Json[] }>().posts.find((p) => p.id === post.id);
      assert.equal(mine?.reviewNote, 'Who confirmed this? Add the source.');
      assert.equal(mine?.authorId, contributorId);

      // A stale revision is a conflict; the contributor revises and submits again.
      const fixed = await t.call('contributor', 'PATCH', `/api/pages/summit/posts/${post.id}`, {
        revision: post.revision,
        body: [aParagraph('The foreign ministry confirmed it.')],
      });
      assert.equal(fixed.statusCode, 200, fixed.body);
      const stale = await t.call(
        'contributor',
        'POST',
        `/api/pages/summit/posts/${post.id}/submit`,
        {
          revision: post.revision,
        },
      );
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'EDIT_CONFLICT');
      const again = await t.call(
        'contributor',
        'POST',
        `/api/pages/summit/posts/${post.id}/submit`,
        {
          revision: fixed.json().revision,
        },
      );
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json().status, 'submitted');
      const after = await t.call('contributor', 'GET', '/desk/api/pages/summit/posts');
      assert.equal(
        after.json<{ posts: Json[] }>().posts.find((p) => p.id === post.id)?.reviewNote,
        null,
        'the note went with the returned version',
      );
      assert.equal((await publicTraces('Ceasefire claim')).log, false);

      const steps = await history(String(post.id));
      assert.deepEqual(
        steps.map((s) => [s.action, s.note]),
        [
          ['submitted', null],
          ['returned', 'Who confirmed this? Add the source.'],
          ['saved', null],
          ['submitted', null],
        ],
      );
    });

    it('refuses moves from the wrong status, naming both', async () => {
      const post = await submit('Twice');
      const approved = await t.call(
        'editor',
        'POST',
        `/api/pages/summit/posts/${post.id}/approve`,
        {
          revision: post.revision,
        },
      );
      assert.equal(approved.statusCode, 200);
      const again = await t.call('editor', 'POST', `/api/pages/summit/posts/${post.id}/approve`, {
        revision: post.revision,
      });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'INVALID_TRANSITION');
      assert.equal(again.json().from, 'published');
      const back = await t.call('editor', 'PATCH', `/api/pages/summit/posts/${post.id}`, {
        revision: post.revision,
        status: 'submitted',
      });
      assert.equal(back.json().code, 'INVALID_TRANSITION');
      const steps = await history(String(post.id));
      assert.equal(steps.filter((s) => s.action === 'published').length, 1);
    });

    it("keeps contributors off others' submissions, and lets them publish on a direct page", async () => {
      const post = await submit('Mine');
      const other = await t.call(
        'otherContributor',
        'POST',
        `/api/pages/summit/posts/${post.id}/submit`,
        {
          revision: post.revision,
        },
      );
      assert.equal(other.statusCode, 409, 'a submission is not a draft');
      const returnByPeer = await t.call(
        'otherContributor',
        'POST',
        `/api/pages/summit/posts/${post.id}/return`,
        {
          revision: post.revision,
          note: 'no',
        },
      );
      assert.equal(returnByPeer.statusCode, 403);

      const draft = await t.call('contributor', 'POST', '/api/pages/summit/posts', {
        headline: 'Not yours to send',
        body: [aParagraph('x')],
        status: 'draft',
      });
      assert.equal(draft.statusCode, 201, draft.body);
      const submittedByPeer = await t.call(
        'otherContributor',
        'POST',
        `/api/pages/summit/posts/${draft.json().id}/submit`,
        { revision: draft.json().revision },
      );
      assert.equal(submittedByPeer.statusCode, 403, submittedByPeer.body);
      assert.equal(
        submittedByPeer.json().detail,
        "The contributor role may not move someone else's post.",
      );
      assert.equal((await history(draft.json().id)).length, 1, 'nothing written');

      const current = await page();
      await t.call('editor', 'PATCH', '/api/pages/summit', {
        revision: current.revision,
        reviewMode: 'direct',
      });
      const direct = await t.call('contributor', 'POST', '/api/pages/summit/posts', {
        headline: 'Straight to readers',
        body: [aParagraph('x')],
      });
      assert.equal(direct.statusCode, 201, direct.body);
      assert.equal(direct.json().status, 'published');
      assert.equal((await publicTraces('Straight to readers')).json, true);
    });

    const act = (as: 'editor' | 'contributor', id: unknown, what: string, body: Json) =>
      t.call(as, 'POST', `/api/pages/summit/posts/${String(id)}/${what}`, body);

    it('refuses each desk action on a post in the wrong status, saying which it takes', async () => {
      const live = await t.call('editor', 'POST', '/api/pages/summit/posts', {
        headline: 'Already out',
        body: [aParagraph('x')],
      });
      const post = live.json<Json>();
      const later = new Date(Date.now() + 3_600_000).toISOString();
      const expected = [
        ['submit', 'submitted', 'Only a draft post can be submitted'],
        ['approve', 'published', 'Only a submitted post can be approved'],
        ['return', 'draft', 'Only a submitted post can be returned'],
        ['schedule', 'scheduled', 'Only a draft or submitted or scheduled post can be scheduled'],
        ['unschedule', 'draft', 'Only a scheduled post can be unscheduled'],
      ];
      for (const [what, to, sentence] of expected) {
        const res = await act('editor', post.id, what!, {
          revision: post.revision,
          ...(what === 'return' && { note: 'n' }),
          ...(what === 'schedule' && { at: later }),
        });
        assert.equal(res.statusCode, 409, `${what}: ${res.body}`);
        assert.deepEqual(res.json(), {
          ...res.json(),
          code: 'INVALID_TRANSITION',
          detail: `${sentence}; this one is published.`,
          from: 'published',
          to,
        });
      }
      assert.deepEqual(
        (await history(String(post.id))).map((s) => s.action),
        ['published'],
      );
    });

    it('schedules a draft, a submission and a scheduled post by the desk action, and unschedules', async () => {
      const later = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
      const draft = (
        await t.call('editor', 'POST', '/api/pages/summit/posts', {
          headline: 'Polls close',
          body: [aParagraph('x')],
          status: 'draft',
        })
      ).json<Json>();
      const submission = await submit('Exit poll');
      const before = await page();
      for (const post of [draft, submission]) {
        const res = await act('editor', post.id, 'schedule', {
          revision: post.revision,
          at: later(60),
        });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().status, 'scheduled');
      }
      const moved = await act('editor', draft.id, 'schedule', {
        revision: draft.revision,
        at: later(90),
      });
      assert.equal(moved.statusCode, 200, moved.body);
      const back = await act('editor', draft.id, 'unschedule', { revision: draft.revision });
      assert.equal(back.statusCode, 200, back.body);
      assert.deepEqual([back.json().status, back.json().scheduledFor], ['draft', null]);
      assert.deepEqual(
        (await history(String(draft.id))).map((s) => s.action),
        ['created', 'scheduled', 'scheduled', 'unscheduled'],
      );
      assert.deepEqual(await page(), before, 'readers are told nothing until it publishes');
    });

    it("keeps a scheduled submission's text the editor's: its contributor cannot change it unreviewed", async () => {
      const reviewing = await t.call('editor', 'PATCH', '/api/pages/summit', {
        revision: (await page()).revision,
        reviewMode: 'review',
      });
      assert.equal(reviewing.statusCode, 200, reviewing.body);
      const post = await submit('Vote count');
      const scheduled = await act('editor', post.id, 'schedule', {
        revision: post.revision,
        at: new Date(Date.now() + 3_600_000).toISOString(),
      });
      assert.equal(scheduled.statusCode, 200, scheduled.body);
      const steps = (await history(String(post.id))).length;
      const rewrite = await t.call('contributor', 'PATCH', `/api/pages/summit/posts/${post.id}`, {
        revision: scheduled.json().revision,
        headline: 'Vote count halted',
        labels: ['breaking'],
      });
      assert.equal(rewrite.statusCode, 403, rewrite.body);
      assert.equal(rewrite.json().code, 'REVIEW_REQUIRED');
      assert.match(String(rewrite.json().detail), /published or scheduled posts/);
      const stored = await t.call('editor', 'GET', `/api/pages/summit/posts/${post.id}`);
      assert.deepEqual(
        [stored.json().headline, stored.json().labels, stored.json().revision],
        ['Vote count', [], scheduled.json().revision],
        'the scheduled text is unchanged',
      );
      assert.equal((await history(String(post.id))).length, steps, 'no step recorded');
      // The editor who scheduled it still may.
      const edited = await t.call('editor', 'PATCH', `/api/pages/summit/posts/${post.id}`, {
        revision: scheduled.json().revision,
        headline: 'Vote count: first results',
      });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.equal(edited.json().status, 'scheduled');
    });

    it("approving a pinned submission unpins the page's pinned post; pinning it before did not", async () => {
      const top = await t.call('editor', 'POST', '/api/pages/summit/posts', {
        headline: 'Key points',
        body: [aParagraph('x')],
        pinned: true,
      });
      assert.equal(top.statusCode, 201, top.body);
      const post = await submit('New key points');
      const pinned = await t.call('editor', 'PATCH', `/api/pages/summit/posts/${String(post.id)}`, {
        revision: post.revision,
        pinned: true,
      });
      assert.equal(pinned.statusCode, 200, pinned.body);
      const before = await page();
      const read = async (id: unknown) =>
        (await t.call('editor', 'GET', `/api/pages/summit/posts/${String(id)}`)).json<Json>();
      assert.equal((await read(top.json().id)).pinned, true, 'a submission is not on the page');
      const approved = await act('editor', post.id, 'approve', { revision: post.revision });
      assert.equal(approved.statusCode, 200, approved.body);
      assert.deepEqual(
        [(await read(top.json().id)).pinned, (await read(post.id)).pinned],
        [false, true],
      );
      const log = (
        await t.call(null, 'GET', `/api/pages/summit/changes?since=${String(before.lastSeq)}`)
      )
        .json<{ changes: { kind: string; postId: string }[] }>()
        .changes.map((c) => [c.kind, c.postId]);
      assert.deepEqual(log, [
        ['post.unpinned', top.json().id],
        ['post.published', post.id],
      ]);
    });

    it('leaves the pinned post pinned when a submission is returned, or approved unpinned', async () => {
      const top = await t.call('editor', 'POST', '/api/pages/summit/posts', {
        headline: 'Pinned summary',
        body: [aParagraph('x')],
        pinned: true,
      });
      assert.equal(top.statusCode, 201, top.body);
      const before = await page();
      // A pinned submission sent back is still not on the page: it unpins nothing either.
      const returned = await submit('Sent back');
      const pin = await t.call(
        'editor',
        'PATCH',
        `/api/pages/summit/posts/${String(returned.id)}`,
        {
          revision: returned.revision,
          pinned: true,
        },
      );
      assert.equal(pin.statusCode, 200, pin.body);
      const back = await act('editor', returned.id, 'return', {
        revision: pin.json().revision,
        note: 'Source?',
      });
      assert.equal(back.statusCode, 200, back.body);
      const approved = await submit('Sent out');
      const out = await act('editor', approved.id, 'approve', { revision: approved.revision });
      assert.equal(out.statusCode, 200, out.body);
      const read = await t.call(
        'editor',
        'GET',
        `/api/pages/summit/posts/${String(top.json().id)}`,
      );
      assert.equal(read.json().pinned, true);
      const log = (
        await t.call(null, 'GET', `/api/pages/summit/changes?since=${String(before.lastSeq)}`)
      )
        .json<{ changes: { kind: string; postId: string }[] }>()
        .changes.map((c) => [c.kind, c.postId]);
      assert.deepEqual(log, [['post.published', approved.id]], 'nothing unpinned');
    });

    it('answers a desk action on an unknown or deleted post with 404, and a stale one with the revision', async () => {
      const unknown = await act('editor', '0'.repeat(20), 'submit', { revision: 1 });
      assert.equal(unknown.statusCode, 404, unknown.body);
      assert.equal(unknown.json().code, 'POST_NOT_FOUND');
      const draft = await t.call('contributor', 'POST', '/api/pages/summit/posts', {
        headline: 'Gone draft',
        body: [aParagraph('x')],
        status: 'draft',
      });
      assert.equal(draft.statusCode, 201, draft.body);
      const stale = await act('contributor', draft.json().id, 'submit', { revision: 7 });
      assert.equal(stale.statusCode, 409, stale.body);
      assert.deepEqual([stale.json().code, stale.json().currentRevision], ['EDIT_CONFLICT', 1]);
      const gone = await t.call(
        'contributor',
        'DELETE',
        `/api/pages/summit/posts/${String(draft.json().id)}`,
      );
      assert.equal(gone.statusCode, 204, gone.body);
      const deleted = await act('contributor', draft.json().id, 'submit', { revision: 1 });
      assert.equal(deleted.statusCode, 404, deleted.body);
      assert.equal(deleted.json().code, 'POST_NOT_FOUND');
    });

    it('refuses a return whose note is only spaces, and keeps the note trimmed', async () => {
      const post = await submit('Claim');
      const blank = await act('editor', post.id, 'return', {
        revision: post.revision,
        note: '   ',
      });
      assert.equal(blank.statusCode, 422, blank.body);
      assert.equal(
        blank.json().detail,
        '/note: a returned post needs a note saying what to change',
      );
      const returned = await act('editor', post.id, 'return', {
        revision: post.revision,
        note: '  Source?  ',
      });
      assert.equal(returned.statusCode, 200, returned.body);
      assert.deepEqual(
        (await history(String(post.id))).map((s) => [s.action, s.note]),
        [
          ['submitted', null],
          ['returned', 'Source?'],
        ],
      );
    });
  });
}
