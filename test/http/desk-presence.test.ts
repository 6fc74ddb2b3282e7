import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { openStream, type OpenStream } from '../support/event-stream.ts';
import { aParagraph } from '../support/factories.ts';
import { createPerson, signIn, type DeskSession } from '../support/people.ts';
import { startTestServer, type SseEvent, type TestServer } from '../support/server.ts';

interface Other {
  userId: string;
  name: string;
  activity: string;
  postId: string | null;
  since: string;
}

const othersIn = (event: SseEvent) => (JSON.parse(event.data) as { others: Other[] }).others;

/** The last `presence` event a desk stream heard, waiting up to 3 s for one that matches. */
async function presenceOn(
  stream: OpenStream,
  match: (others: Other[]) => boolean,
): Promise<Other[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const last = stream.events.filter((e) => e.event === 'presence').at(-1);
    if (last && match(othersIn(last))) return othersIn(last);
    if (Date.now() > deadline)
      throw new Error(`no matching presence; last: ${last?.data ?? 'none'}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Opens a page's desk stream as a signed-in person; resolves with its presence connection. */
async function openDesk(t: TestServer, slug: string, desk: DeskSession) {
  const stream = await openStream(`${t.url}/desk/api/pages/${slug}/events`, {
    cookie: desk.cookie,
  });
  const first = await stream.waitFor((e) => e.event === 'changed', 3000);
  const { connection } = JSON.parse(first.data) as { connection?: string };
  assert.ok(connection, 'the first event gives the tab its connection id');
  return { stream, connection };
}

for (const adapter of await adapters()) {
  describe(
    `presence on the page's desk: ${adapter.name}`,
    { skip: adapter.skip, timeout: 60_000 },
    () => {
      let t: TestServer;
      /** The same newsroom with a 600 ms ttl, for expiry. */
      let quick: TestServer;
      let drop: () => Promise<void>;
      let ana: DeskSession;
      let bo: DeskSession;
      let postId: string;
      const streams: OpenStream[] = [];
      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestServer(opened.store);
        quick = await startTestServer(opened.store, { presence: { ttlMs: 600 } });
        await t.call('editor', 'POST', '/api/pages', {
          slug: 'summit',
          title: 'Summit',
          status: 'live',
        });
        await t.call('editor', 'POST', '/api/pages', {
          slug: 'other',
          title: 'Other',
          status: 'live',
        });
        const post = await t.call('editor', 'POST', '/api/pages/summit/posts', {
          headline: 'Leaders arrive',
          body: [aParagraph('They arrive.')],
        });
        postId = post.json<{ id: string }>().id;
        const a = await createPerson(t, { role: 'editor', name: 'Ana Lopez' });
        const b = await createPerson(t, { role: 'contributor', name: 'Bo Chen' });
        ana = await signIn(t.url, a.email, a.password);
        bo = await signIn(t.url, b.email, b.password);
      });
      after(async () => {
        for (const s of streams) s.close();
        await t.app.close();
        await quick.app.close();
        await drop();
      });

      const report = (desk: DeskSession, body: unknown, slug = 'summit', on = t) =>
        fetch(`${on.url}/desk/api/pages/${slug}/presence`, {
          method: 'PUT',
          // Each server checks the Origin against its own PUBLIC_URL.
          headers: { ...desk.headers, origin: on.url, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });

      it('shows each desk the others, what they do, and who left, as it happens', async () => {
        const a = await openDesk(t, 'summit', ana);
        const b = await openDesk(t, 'summit', bo);
        streams.push(a.stream, b.stream);
        const seen = await presenceOn(a.stream, (o) => o.length === 1);
        assert.deepEqual(
          seen.map((o) => [o.name, o.activity, o.postId]),
          [['Bo Chen', 'viewing', null]],
        );
        // Bo sees Ana, and never himself.
        assert.deepEqual(
          (await presenceOn(b.stream, (o) => o.length === 1)).map((o) => o.name),
          ['Ana Lopez'],
        );

        const bosPost = await fetch(`${t.url}/api/pages/summit/posts`, {
          method: 'POST',
          headers: { ...bo.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ headline: 'Bo writes', body: [aParagraph('x')] }),
        });
        const bosId = ((await bosPost.json()) as { id: string }).id;
        assert.equal(
          (await report(bo, { connection: b.connection, activity: 'writing' })).status,
          204,
        );
        await presenceOn(a.stream, (o) => o[0]?.activity === 'writing');
        const editing = await report(bo, {
          connection: b.connection,
          activity: 'editing',
          postId: bosId,
        });
        assert.equal(editing.status, 204);
        const locked = await presenceOn(a.stream, (o) => o[0]?.activity === 'editing');
        assert.equal(locked[0]?.postId, bosId);
        assert.equal(locked[0]?.userId, bo.user.id);

        // A heartbeat (the same report again) tells nobody anything.
        const before = a.stream.events.length;
        await report(bo, { connection: b.connection, activity: 'editing', postId: bosId });
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(a.stream.events.length, before);
        assert.equal(
          a.stream.events.filter((e) => e.event === 'ping').length,
          0,
          'pings every 10 s',
        );

        // Another page's desk hears none of it.
        const elsewhere = await openDesk(t, 'other', ana);
        streams.push(elsewhere.stream);
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(elsewhere.stream.events.filter((e) => e.event === 'presence').length, 0);

        // Bo closes his tab: gone from Ana's desk at once, well before any expiry.
        const closed = Date.now();
        b.stream.close();
        await presenceOn(a.stream, (o) => o.length === 0);
        assert.ok(Date.now() - closed < 500, `left after ${Date.now() - closed} ms`);
        a.stream.close();
        elsewhere.stream.close();
      });

      it('refuses bad reports (422), strangers (401), cross-site (403), and changes nothing', async () => {
        const a = await openDesk(t, 'summit', ana);
        const b = await openDesk(t, 'summit', bo);
        streams.push(a.stream, b.stream);
        await presenceOn(a.stream, (o) => o.length === 1);
        const heard = a.stream.events.length;
        const c = b.connection;
        const refusals: [unknown, number, string][] = [
          [{ activity: 'viewing' }, 422, 'VALIDATION_FAILED'],
          [{ connection: c, activity: 'sleeping' }, 422, 'VALIDATION_FAILED'],
          [{ connection: 'short', activity: 'viewing' }, 422, 'VALIDATION_FAILED'],
          [{ connection: `${c}<>`, activity: 'viewing' }, 422, 'VALIDATION_FAILED'],
          [{ connection: c, activity: 'editing' }, 422, 'VALIDATION_FAILED'],
          [{ connection: c, activity: 'viewing', postId }, 422, 'VALIDATION_FAILED'],
          [{ connection: c, activity: 'editing', postId: 'not an id' }, 422, 'VALIDATION_FAILED'],
          [{ connection: c, activity: 'viewing', extra: 1 }, 422, 'VALIDATION_FAILED'],
          [{ connection: c, activity: 'editing', postId: 'a'.repeat(20) }, 404, 'POST_NOT_FOUND'],
          // A contributor may not edit (so not lock) the editor's post.
          [{ connection: c, activity: 'editing', postId }, 403, 'FORBIDDEN'],
          // A connection that is not (or no longer) a tab of this person.
          [{ connection: a.connection, activity: 'viewing' }, 404, 'PRESENCE_NOT_FOUND'],
          [{ connection: 'x'.repeat(24), activity: 'viewing' }, 404, 'PRESENCE_NOT_FOUND'],
        ];
        for (const [body, status, code] of refusals) {
          const res = await report(bo, body);
          assert.equal(res.status, status, JSON.stringify(body));
          assert.equal(((await res.json()) as { code: string }).code, code, JSON.stringify(body));
        }
        // Bo's tab on another page is not his tab on this one.
        assert.equal(
          (await report(bo, { connection: c, activity: 'viewing' }, 'other')).status,
          404,
        );
        const anonymous = await fetch(`${t.url}/desk/api/pages/summit/presence`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ connection: c, activity: 'writing' }),
        });
        assert.equal(anonymous.status, 401);
        const crossSite = await fetch(`${t.url}/desk/api/pages/summit/presence`, {
          method: 'PUT',
          headers: {
            cookie: bo.cookie,
            origin: 'https://elsewhere.example',
            'content-type': 'application/json',
          },
          body: JSON.stringify({ connection: c, activity: 'writing' }),
        });
        assert.equal(crossSite.status, 403);
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(a.stream.events.length, heard, 'no refused report reached a desk');
        assert.equal((await presenceOn(a.stream, () => true))[0]?.activity, 'viewing');
        a.stream.close();
        b.stream.close();
      });

      it('drops a tab that stops answering its pings, while it still holds the stream', async () => {
        const a = await openDesk(quick, 'summit', ana);
        const b = await openDesk(quick, 'summit', bo);
        streams.push(a.stream, b.stream);
        await presenceOn(a.stream, (o) => o.length === 1);
        // Ana's tab answers each ping (as the desk does); Bo's never does.
        const answered = new Set<SseEvent>();
        const answering = setInterval(() => {
          for (const ping of a.stream.events.filter((e) => e.event === 'ping')) {
            if (answered.has(ping)) continue;
            answered.add(ping);
            void report(ana, { connection: a.connection, activity: 'viewing' }, 'summit', quick);
          }
        }, 20);
        try {
          await presenceOn(b.stream, (o) => o.length === 1);
          const started = Date.now();
          await presenceOn(a.stream, (o) => o.length === 0);
          const took = Date.now() - started;
          assert.ok(took < 1500, `expired after ${took} ms with a 600 ms ttl`);
          assert.ok(answered.size >= 2, 'the server pinged at a third of the ttl');
          // Bo's stream is still open, but his tab is gone: he must reconnect.
          assert.equal(b.stream.ended(), false);
          assert.deepEqual(
            (await presenceOn(b.stream, (o) => o.length === 1)).map((o) => o.name),
            ['Ana Lopez'],
          );
          const late = await report(
            bo,
            { connection: b.connection, activity: 'viewing' },
            'summit',
            quick,
          );
          assert.equal(late.status, 404);
        } finally {
          clearInterval(answering);
          a.stream.close();
          b.stream.close();
        }
      });
    },
  );
}
