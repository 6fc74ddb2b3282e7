import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AUDIT_SUMMARY_MAX } from '../../src/domain/audit.ts';
import { temporaryMediaLibrary, type MediaLibrary } from '../../src/media/library.ts';
import type { PresentedAuditEntry } from '../../src/services/audit.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';
import { aPhoto, multipart } from '../support/media.ts';
import { createPerson, signIn, type DeskSession } from '../support/people.ts';
import { readSample, SAMPLE_14, samplesMissing } from '../support/samples.ts';

type Entry = PresentedAuditEntry;
type Json = Record<string, unknown>;

/**
 * What an admin reads in the audit log for each kind of write: the action it turned out to be
 * and the summary line, word for word. audit.test.ts covers who wrote and when; this suite
 * covers what the entry says was done.
 */
for (const adapter of await adapters()) {
  describe(
    `what each write says in the audit log: ${adapter.name}`,
    { skip: adapter.skip, timeout: 120_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      let adminDesk: DeskSession;
      let media: MediaLibrary;

      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        // Webhooks to this machine's closed port 9: registered, tried and failed at once.
        media = await temporaryMediaLibrary();
        t = await startTestApp(opened.store, {
          media,
          webhooks: { allowance: 'all' },
          outbox: {
            pollMs: 50,
            leaseMs: 5000,
            retry: { firstDelayMs: 60_000, maxDelayMs: 60_000 },
          },
        });
        const admin = await createPerson(t, { role: 'admin', name: 'Dana Whitfield' });
        adminDesk = await signIn(t, admin.email, admin.password);
      });
      after(async () => {
        await t.app.close();
        await media.close();
        await drop();
      });

      const newest = async (query = ''): Promise<Entry> => {
        const res = await t.call('admin', 'GET', `/desk/api/audit${query}`);
        assert.equal(res.statusCode, 200, res.body);
        const [entry] = res.json<{ entries: Entry[] }>().entries;
        assert.ok(entry, `an entry for ${query || 'the newest write'}`);
        return entry;
      };
      /** The newest entry's action and summary. */
      const said = async (query = '') => {
        const entry = await newest(query);
        return [entry.action, entry.summary];
      };
      const desk = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Json) =>
        t.app.inject({ method, url, headers: adminDesk.headers, ...(payload && { payload }) });
      const expect = (res: { statusCode: number; body: string }, status: number): void =>
        assert.equal(res.statusCode, status, res.body);
      const makePage = async (slug: string) => {
        const res = await t.call('editor', 'POST', '/api/pages', {
          slug,
          title: `Title of ${slug}`,
          status: 'live',
        });
        expect(res, 201);
      };
      /** Edits a page at its current revision; what the audit log then says. */
      const editPage = async (slug: string, fields: Json) => {
        const { revision } = (await t.call(null, 'GET', `/api/pages/${slug}`)).json<{
          revision: number;
        }>();
        expect(await t.call('editor', 'PATCH', `/api/pages/${slug}`, { revision, ...fields }), 200);
        return said();
      };

      it('a page edit names the status moved and the fields changed, under its new title', async () => {
        await makePage('summaries-page');
        assert.deepEqual(await editPage('summaries-page', { status: 'ended' }), [
          'page.edit',
          'Title of summaries-page: status live → ended',
        ]);
        assert.deepEqual(
          await editPage('summaries-page', { status: 'live', description: 'Back on' }),
          ['page.edit', 'Title of summaries-page: status ended → live; changed description'],
        );
        assert.deepEqual(
          await editPage('summaries-page', {
            title: 'Summit, day two',
            description: 'Leaders meet again',
            timeZone: 'Europe/Paris',
          }),
          ['page.edit', 'Summit, day two: changed title, description, timeZone'],
        );
        // Asked for the status it already has: the page is named, no move is claimed.
        assert.deepEqual(
          await editPage('summaries-page', {
            status: 'live',
            description: 'Leaders met for a second day',
          }),
          ['page.edit', 'Summit, day two: changed description'],
        );
        assert.deepEqual(
          await editPage('summaries-page', {
            summary: [{ text: 'Leaders agree a ceasefire' }],
            leadMedia: { kind: 'video', caption: 'The leaders arrive' },
            textFormat: {
              zoneStyle: 'short',
              showYear: true,
              repeatTimeLine: false,
              streamPageLine: false,
              captureDate: null,
            },
            reviewMode: 'review',
          }),
          ['page.edit', 'Summit, day two: changed summary, leadMedia, textFormat, reviewMode'],
        );

        const coming = await t.call('editor', 'POST', '/api/pages', {
          slug: 'summaries-coming',
          title: 'Count begins',
          status: 'scheduled',
          scheduledFor: '2031-05-01T21:00:00.000Z',
        });
        expect(coming, 201);
        assert.deepEqual(
          await editPage('summaries-coming', { scheduledFor: '2031-05-01T22:00:00.000Z' }),
          ['page.edit', 'Count begins: changed scheduledFor'],
        );
      });

      it('a post says what it became: draft, published, unpublished, pinned and unpinned', async () => {
        await makePage('summaries-posts');
        const base = '/api/pages/summaries-posts/posts';
        const draft = await t.call('editor', 'POST', base, {
          headline: 'Not yet',
          body: [aParagraph('Held back.')],
          status: 'draft',
        });
        expect(draft, 201);
        const { id } = draft.json<{ id: string }>();
        let entry = await newest();
        assert.deepEqual(
          [entry.action, entry.summary, entry.post?.id],
          ['post.draft', 'draft', id],
        );

        const edit = async (payload: Json) => {
          const current = (await t.call('editor', 'GET', `${base}/${id}`)).json<{
            revision: number;
          }>();
          const res = await t.call('editor', 'PATCH', `${base}/${id}`, {
            revision: current.revision,
            ...payload,
          });
          expect(res, 200);
        };
        // A draft's words changed: its state and the fields, in that order.
        await edit({ headline: 'Not yet, still' });
        assert.deepEqual(await said(), ['post.edit', 'draft, changed headline']);
        await edit({ headline: 'Now', status: 'published' });
        assert.deepEqual(await said(), ['post.publish', 'changed headline, publishedAt']);
        await edit({ status: 'draft' });
        assert.deepEqual(await said(), ['post.unpublish', 'draft']);
        await edit({ status: 'published' });

        // Pinning this post unpins the one pinned before: the entry is about this one.
        const other = await t.call('editor', 'POST', base, {
          headline: 'Pinned first',
          body: [aParagraph('First.')],
          pinned: true,
        });
        expect(other, 201);
        await edit({ pinned: true });
        entry = await newest();
        assert.deepEqual([entry.action, entry.summary, entry.post?.id], ['post.pin', 'post', id]);
        const stored = await t.services.store.getPost(
          entry.page?.id ?? '',
          other.json<{ id: string }>().id,
        );
        assert.equal(stored?.pinned, false, 'the other post was unpinned by the same write');
        await edit({ pinned: false });
        assert.deepEqual(await said(), ['post.unpin', 'post']);
        // Words changed with the pin: an edit, not a pin.
        await edit({ pinned: true, headline: 'Now, pinned' });
        assert.deepEqual(await said(), ['post.edit', 'changed headline']);

        // A post made for later is a publish that names its state, not a draft.
        const later = await t.call('editor', 'POST', base, {
          headline: 'At noon',
          body: [aParagraph('Later.')],
          status: 'scheduled',
          scheduledFor: new Date(Date.now() + 3_600_000).toISOString(),
        });
        expect(later, 201);
        assert.deepEqual(await said(), ['post.publish', 'scheduled']);
        // Moved to another time: an edit of a post still to come, no pin in it.
        const { id: laterId, revision } = later.json<{ id: string; revision: number }>();
        const moved = await t.call('editor', 'PATCH', `${base}/${laterId}`, {
          revision,
          scheduledFor: new Date(Date.now() + 7_200_000).toISOString(),
        });
        expect(moved, 200);
        assert.deepEqual(await said(), ['post.edit', 'scheduled, changed publishedAt']);

        // A contributor's draft sent for review: an edit that names its new state.
        const mine = await t.call('contributor', 'POST', base, {
          headline: 'For the editor',
          body: [aParagraph('Please check.')],
          status: 'draft',
        });
        expect(mine, 201);
        const sent = await t.call(
          'contributor',
          'PATCH',
          `${base}/${mine.json<{ id: string }>().id}`,
          {
            revision: mine.json<{ revision: number }>().revision,
            status: 'submitted',
          },
        );
        expect(sent, 200);
        assert.deepEqual(await said(), ['post.edit', 'submitted']);
      });

      it(
        'an import is one entry for the page and its posts, about no one post',
        {
          skip: samplesMissing,
        },
        async () => {
          const res = await t.call(
            'editor',
            'POST',
            '/api/import?slug=summaries-import&year=2025',
            readSample(SAMPLE_14),
            { 'content-type': 'text/plain; charset=utf-8' },
          );
          expect(res, 201);
          const entry = await newest();
          const title = (await t.call(null, 'GET', '/api/pages/summaries-import')).json<{
            title: string;
          }>().title;
          assert.deepEqual(
            [entry.action, entry.summary, entry.post, entry.page?.slug],
            ['page.import', `${title}; 20 posts`, null, 'summaries-import'],
          );
        },
      );

      it("a person's edit says from what to what, or that nothing changed", async () => {
        const person = await createPerson(t, {
          role: 'editor',
          name: 'Lyse Doucet',
          bylineRole: 'Reporter',
        });
        const url = `/desk/api/users/${person.user.id}`;
        expect(await desk('PATCH', url, { disabled: true }), 200);
        expect(await desk('PATCH', url, { disabled: false }), 200);
        assert.deepEqual(await said(), ['user.enable', 'Lyse Doucet: enabled']);
        expect(
          await desk('PATCH', url, { name: 'Lyse Doucet OBE', bylineRole: 'Chief correspondent' }),
          200,
        );
        assert.deepEqual(await said(), [
          'user.edit',
          'Lyse Doucet OBE: name Lyse Doucet → Lyse Doucet OBE, byline role "Reporter" → "Chief correspondent"',
        ]);
        expect(await desk('PATCH', url, { role: 'editor' }), 200);
        assert.deepEqual(await said(), ['user.edit', 'Lyse Doucet OBE: unchanged']);
        // Disabled and demoted in one request: disabling is the action, both are said.
        expect(await desk('PATCH', url, { disabled: true, role: 'contributor' }), 200);
        assert.deepEqual(await said(), [
          'user.disable',
          'Lyse Doucet OBE: disabled, editor → contributor; tokens revoked',
        ]);
        expect(await desk('POST', `${url}/reset-link`), 201);
        assert.deepEqual(await said(), ['password.reset_link', 'reset-password link']);
      });

      it('tokens and sessions: made, revoked and ended, each by its id', async () => {
        const made = await desk('POST', '/desk/api/tokens', { name: 'results feed' });
        expect(made, 201);
        const { id } = made.json<{ id: string }>();
        assert.deepEqual(await said(), ['token.create', `token ${id} "results feed"`]);
        expect(await desk('DELETE', `/desk/api/tokens/${id}`), 204);
        assert.deepEqual(await said(), ['token.revoke', `token ${id} revoked`]);

        const person = await createPerson(t, { role: 'contributor' });
        const other = await signIn(t, person.email, person.password);
        const sessions = await t.app.inject({
          method: 'GET',
          url: '/desk/api/sessions',
          headers: { cookie: other.cookie },
        });
        const listed = sessions.json<{ sessions: { id: string; current: boolean }[] }>().sessions;
        const current = listed.find((s) => s.current);
        assert.ok(current, sessions.body);
        // A second session of the same person ends the first by its id.
        const second = await signIn(t, person.email, person.password);
        const ended = await t.app.inject({
          method: 'DELETE',
          url: `/desk/api/sessions/${current.id}`,
          headers: second.headers,
        });
        expect(ended, 204);
        assert.deepEqual(await said(`?user=${person.user.id}`), [
          'session.revoke',
          `session ${current.id} ended`,
        ]);
        // A client that sends no User-Agent: the session is named by its id alone.
        const bare = await t.app.inject({
          method: 'POST',
          url: '/desk/api/sign-in',
          headers: { origin: t.origin, 'user-agent': '' },
          payload: { email: person.email, password: person.password },
        });
        expect(bare, 200);
        const [signedIn, summary] = await said(`?user=${person.user.id}`);
        assert.equal(signedIn, 'session.sign_in');
        assert.match(summary ?? '', /^session [0-9a-z]{20}$/);

        const out = await t.app.inject({
          method: 'POST',
          url: '/desk/api/sign-out',
          headers: second.headers,
        });
        expect(out, 204);
        assert.deepEqual(await said(`?user=${person.user.id}`), [
          'session.sign_out',
          'session ended',
        ]);
      });

      it('a change of something that is not there is a 404 and leaves no entry', async () => {
        const entries = async () => (await t.services.store.listAudit({ limit: 10_000 })).length;
        const before = await entries();
        const nobody = '0'.repeat(20);
        for (const [method, url, payload] of [
          ['PATCH', `/desk/api/users/${nobody}`, { role: 'editor' }],
          ['PATCH', `/desk/api/users/${nobody}`, { disabled: true }],
          ['POST', `/desk/api/users/${nobody}/reset-link`, undefined],
          ['DELETE', `/desk/api/tokens/${nobody}`, undefined],
          ['DELETE', `/desk/api/sessions/${nobody}`, undefined],
        ] as const) {
          const res = await desk(method, url, payload);
          assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
          assert.equal(await entries(), before, `${method} ${url} left an entry`);
        }
        const hook = await t.call('admin', 'DELETE', `/api/webhooks/${nobody}`);
        assert.equal(hook.statusCode, 404, hook.body);
        assert.equal(await entries(), before, 'DELETE /api/webhooks/… left an entry');
      });

      it('a picture is named by the start of its id, its size and its description', async () => {
        const photo = await aPhoto({ width: 64, height: 48 });
        const body = await multipart(
          { alt: 'Crowds on the square' },
          { bytes: photo, name: 'crowds.jpg', type: 'image/jpeg' },
        );
        const res = await t.app.inject({
          method: 'POST',
          url: '/desk/api/media',
          headers: { ...adminDesk.headers, ...body.headers },
          payload: body.payload,
        });
        expect(res, 201);
        const { id } = res.json<{ media: { id: string } }>().media;
        assert.deepEqual(await said(), [
          'media.upload',
          `picture ${id.slice(0, 12)} (64×48): Crowds on the square`,
        ]);
      });

      it('webhooks: the address registered (clipped when long), a delivery sent again, the id removed', async () => {
        const url = 'http://127.0.0.1:9/liveline-hook';
        const made = await t.call('admin', 'POST', '/api/webhooks', { url });
        expect(made, 201);
        const { id } = made.json<{ webhook: { id: string } }>().webhook;
        assert.deepEqual(await said(), ['webhook.create', `webhook ${url}`]);

        await makePage('summaries-hooks');
        const published = await t.call('editor', 'POST', '/api/pages/summaries-hooks/posts', {
          headline: 'Heard by the hook',
          body: [aParagraph('Delivered.')],
        });
        expect(published, 201);
        // The delivery the publish queued is not a line of its own: it commits with the post.
        assert.deepEqual(await said('?page=summaries-hooks'), ['post.publish', 'post']);
        const tried = async () =>
          (await t.call('admin', 'GET', `/api/webhooks/${id}`)).json<{
            deliveries: { id: string }[];
          }>().deliveries;
        const started = Date.now();
        while ((await tried()).length === 0) {
          assert.ok(Date.now() - started < 10_000, 'the outbox tried the delivery within 10 s');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const [delivery] = await tried();
        const again = await t.call(
          'admin',
          'POST',
          `/api/webhooks/${id}/deliveries/${delivery?.id}/redeliver`,
        );
        expect(again, 202);
        assert.deepEqual(await said(), ['webhook.redeliver', 'webhook job queued']);

        expect(await t.call('admin', 'DELETE', `/api/webhooks/${id}`), 204);
        assert.deepEqual(await said(), ['webhook.delete', `webhook ${id} removed`]);

        // A summary of exactly the limit is kept whole; one character more is clipped.
        const prefix = 'webhook http://127.0.0.1:9/';
        const exact = `http://127.0.0.1:9/${'e'.repeat(AUDIT_SUMMARY_MAX - prefix.length)}`;
        expect(await t.call('admin', 'POST', '/api/webhooks', { url: exact }), 201);
        assert.deepEqual(await said(), ['webhook.create', `webhook ${exact}`]);
        const long = `${exact}a`;
        expect(await t.call('admin', 'POST', '/api/webhooks', { url: long }), 201);
        const [, clipped] = await said();
        assert.equal(clipped?.length, AUDIT_SUMMARY_MAX);
        assert.equal(clipped, `webhook ${long}`.slice(0, AUDIT_SUMMARY_MAX - 1) + '…');
      });
    },
  );
}
