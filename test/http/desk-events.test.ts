import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { aParagraph } from '../support/factories.ts';
import { createPerson, signIn, type DeskSession } from '../support/people.ts';
import { readEvents, startTestServer, type TestServer } from '../support/server.ts';

type Json = Record<string, unknown>;

for (const adapter of await adapters()) {
  describe(
    `the desk's event stream hears every write, the public one no draft: ${adapter.name}`,
    { skip: adapter.skip, timeout: 60_000 },
    () => {
      let t: TestServer;
      let drop: () => Promise<void>;
      let writer: DeskSession;
      let reader: DeskSession;
      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestServer(opened.store, { realtime: { heartbeatMs: 200 } });
        await t.call('editor', 'POST', '/api/pages', {
          slug: 'desk-live',
          title: 'Desk',
          status: 'live',
        });
        const a = await createPerson(t, { role: 'contributor' });
        const b = await createPerson(t, { role: 'editor' });
        writer = await signIn(t.url, a.email, a.password);
        reader = await signIn(t.url, b.email, b.password);
      });
      after(async () => {
        await t.app.close();
        await drop();
      });

      const post = (desk: DeskSession, body: Json) =>
        fetch(`${t.url}/api/pages/desk-live/posts`, {
          method: 'POST',
          headers: { ...desk.headers, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });

      it("a colleague's draft reaches my desk stream (and my desk's list), never the public stream", async () => {
        let publicOpen!: () => void;
        const publicReady = new Promise<void>((resolve) => (publicOpen = resolve));
        const publicEvents = readEvents(`${t.url}/live/desk-live/events`, 1, {
          timeoutMs: 5000,
          onOpen: () => publicOpen(),
        });
        let deskFirst!: () => void;
        const deskReady = new Promise<void>((resolve) => (deskFirst = resolve));
        const deskEvents = readEvents(`${t.url}/desk/api/pages/desk-live/events`, 2, {
          headers: { cookie: reader.cookie },
          timeoutMs: 5000,
          onEvent: (_e, n) => n === 1 && deskFirst(),
        });
        await Promise.all([publicReady, deskReady]);

        const draft = await post(writer, {
          headline: 'Secret draft',
          body: [aParagraph('Not yet.')],
          status: 'draft',
        });
        assert.equal(draft.status, 201);
        const events = await deskEvents;
        assert.equal(events.length, 2, 'the connect event and the draft');
        assert.equal(events[1]?.event, 'changed');
        assert.ok(typeof (JSON.parse(events[1]?.data ?? '{}') as Json).seq === 'number');

        const listed = await fetch(`${t.url}/desk/api/pages/desk-live/posts`, {
          headers: { cookie: reader.cookie },
        });
        const posts = ((await listed.json()) as { posts: Json[] }).posts;
        assert.ok(
          posts.some(
            (p) =>
              p.headline === 'Secret draft' &&
              p.status === 'draft' &&
              p.authorId === writer.user.id,
          ),
        );

        // The public stream's next event is the published post, not the draft.
        const published = await post(writer, {
          headline: 'Now public',
          body: [aParagraph('Yes.')],
        });
        assert.equal(published.status, 201);
        const open = await publicEvents;
        assert.equal(open.length, 1);
        assert.match(open[0]?.data ?? '', /Now public/);
        assert.doesNotMatch(open[0]?.data ?? '', /Secret draft/);
      });

      it('does not keep an idle session alive: a desk left open past 12 hours is cut off', async () => {
        const start = Date.parse('2026-07-01T08:00:00.000Z');
        t.clock.set(new Date(start).toISOString());
        try {
          const person = await createPerson(t, { role: 'editor' });
          const desk = await signIn(t.url, person.email, person.password);
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(), 5000);
          try {
            const res = await fetch(`${t.url}/desk/api/pages/desk-live/events`, {
              headers: { cookie: desk.cookie },
              signal: controller.signal,
            });
            assert.equal(res.status, 200);
            // Heartbeats (every 200 ms) at +11 h: the stream is open, the person is not there.
            t.clock.set(new Date(start + 11 * 3_600_000).toISOString());
            await new Promise((resolve) => setTimeout(resolve, 600));
            t.clock.set(new Date(start + 13 * 3_600_000).toISOString());
            await res.text();
          } finally {
            clearTimeout(timer);
          }
          assert.ok(!controller.signal.aborted, 'the server ended the stream');
        } finally {
          t.clock.release();
        }
      });

      it('refuses the desk stream without a session, and ends it when the session is revoked', async () => {
        const anonymous = await fetch(`${t.url}/desk/api/pages/desk-live/events`);
        assert.equal(anonymous.status, 401);
        const person = await createPerson(t, { role: 'editor' });
        const desk = await signIn(t.url, person.email, person.password);
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 5000);
        try {
          const res = await fetch(`${t.url}/desk/api/pages/desk-live/events`, {
            headers: { cookie: desk.cookie },
            signal: controller.signal,
          });
          assert.equal(res.status, 200);
          await fetch(`${t.url}/desk/api/sign-out`, { method: 'POST', headers: desk.headers });
          // The next heartbeat finds the session gone and closes the stream.
          const text = await res.text();
          assert.match(text, /event: changed/);
        } finally {
          clearTimeout(timer);
        }
        assert.ok(!controller.signal.aborted, 'the server ended the stream, not the timeout');
      });
    },
  );
}
