import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listTokens } from '../../src/services/tokens.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createPerson, signIn, type DeskSession } from '../support/people.ts';

type Json = Record<string, unknown>;
const HOUR = 3_600_000;

for (const adapter of await adapters()) {
  describe(
    `desk sessions expire, are listed and revoked, end with the user: ${adapter.name}`,
    { skip: adapter.skip, timeout: 60_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestApp(opened.store);
      });
      after(async () => {
        t.clock.release();
        await t.app.close();
        await drop();
      });

      const me = (desk: DeskSession) =>
        t.app.inject({ method: 'GET', url: '/desk/api/me', headers: { cookie: desk.cookie } });
      const at = (start: number, ms: number) => t.clock.set(new Date(start + ms).toISOString());

      it('ends a session unused for 12 hours', async () => {
        const start = Date.parse('2026-03-02T08:00:00.000Z');
        at(start, 0);
        const person = await createPerson(t);
        const desk = await signIn(t, person.email, person.password);
        at(start, 11 * HOUR);
        assert.equal((await me(desk)).statusCode, 200, 'still valid after 11 h idle');
        // Last seen moved to +11 h: idle for 12 h from there ends it.
        at(start, 23 * HOUR - 1000);
        assert.equal((await me(desk)).statusCode, 200);
        // Last seen is now +23 h - 1 s: exactly 12 h after it, the session has ended.
        at(start, 35 * HOUR - 1000);
        assert.equal((await me(desk)).statusCode, 401, 'idle exactly 12 h: ended');
        assert.deepEqual(
          await t.services.store.listSessions(person.user.id),
          [],
          'the ended session, once presented, is deleted',
        );
        t.clock.release();
      });

      it('ends a session 7 days after sign-in however busy it is', async () => {
        const start = Date.parse('2026-04-01T08:00:00.000Z');
        at(start, 0);
        const person = await createPerson(t);
        const desk = await signIn(t, person.email, person.password);
        for (let h = 10; h < 7 * 24; h += 10) {
          at(start, h * HOUR);
          assert.equal((await me(desk)).statusCode, 200, `valid at +${h} h`);
        }
        at(start, 7 * 24 * HOUR - 1000);
        assert.equal((await me(desk)).statusCode, 200, 'a second before the absolute end');
        at(start, 7 * 24 * HOUR);
        assert.equal((await me(desk)).statusCode, 401, 'exactly 7 days after sign-in: ended');
        t.clock.release();
      });

      it("clears a user's sessions that ended unseen when they sign in again", async () => {
        const start = Date.parse('2026-04-20T08:00:00.000Z');
        at(start, 0);
        const person = await createPerson(t);
        await signIn(t, person.email, person.password);
        await signIn(t, person.email, person.password);
        assert.equal((await t.services.store.listSessions(person.user.id)).length, 2);
        at(start, 13 * HOUR);
        await signIn(t, person.email, person.password);
        assert.equal(
          (await t.services.store.listSessions(person.user.id)).length,
          1,
          'the two idle ones are gone',
        );
        t.clock.release();
      });

      it('lists only the sessions still valid, not one that ended unseen', async () => {
        const start = Date.parse('2026-04-25T08:00:00.000Z');
        at(start, 0);
        const person = await createPerson(t);
        const busy = await signIn(t, person.email, person.password);
        await signIn(t, person.email, person.password);
        at(start, 11 * HOUR);
        assert.equal((await me(busy)).statusCode, 200);
        at(start, 13 * HOUR);
        const res = await t.app.inject({
          method: 'GET',
          url: '/desk/api/sessions',
          headers: { cookie: busy.cookie },
        });
        t.clock.release();
        assert.equal(res.statusCode, 200);
        const { sessions } = res.json<{ sessions: Json[] }>();
        assert.deepEqual(
          sessions.map((x) => x.current),
          [true],
          'the idle one is not listed',
        );
      });

      it('keeps the first 400 characters of a User-Agent', async () => {
        const person = await createPerson(t);
        const agent = `Mozilla/5.0 ${'x'.repeat(990)}`;
        const res = await t.app.inject({
          method: 'POST',
          url: '/desk/api/sign-in',
          headers: { origin: t.origin, 'user-agent': agent },
          payload: { email: person.email, password: person.password },
        });
        assert.equal(res.statusCode, 200, res.body);
        const [session] = await t.services.store.listSessions(person.user.id);
        assert.equal(session?.userAgent, agent.slice(0, 400));
      });

      it('writes last seen at most once a minute', async () => {
        const start = Date.parse('2026-05-01T08:00:00.000Z');
        at(start, 0);
        const person = await createPerson(t);
        const desk = await signIn(t, person.email, person.password);
        at(start, 30_000);
        await me(desk);
        const list = async () =>
          (await t.services.store.listSessions(person.user.id))[0]?.lastSeenAt;
        assert.equal(await list(), new Date(start).toISOString(), 'not touched within a minute');
        at(start, 59_999);
        await me(desk);
        assert.equal(await list(), new Date(start).toISOString(), 'not touched at +59.999 s');
        at(start, 60_000);
        await me(desk);
        assert.equal(await list(), new Date(start + 60_000).toISOString(), 'touched at +60 s');
        t.clock.release();
      });

      it('lists my sessions (the current one marked) and revokes one: it stops working at once', async () => {
        const person = await createPerson(t);
        const laptop = await signIn(t, person.email, person.password);
        const phone = await signIn(t, person.email, person.password);
        const other = await createPerson(t);
        const stranger = await signIn(t, other.email, other.password);
        const res = await t.app.inject({
          method: 'GET',
          url: '/desk/api/sessions',
          headers: { cookie: laptop.cookie },
        });
        assert.equal(res.statusCode, 200);
        const { sessions } = res.json<{ sessions: Json[] }>();
        assert.equal(sessions.length, 2, 'only my own sessions');
        assert.equal(sessions.filter((s) => s.current).length, 1);
        const phoneSession = sessions.find((s) => !s.current);
        assert.ok(phoneSession);
        assert.ok(!JSON.stringify(sessions).includes(phone.cookie.split('=')[1] ?? '-'));

        // Someone else's session is not mine to end.
        const theirs = await t.app.inject({
          method: 'DELETE',
          url: `/desk/api/sessions/${String(phoneSession.id)}`,
          headers: stranger.headers,
        });
        assert.equal(theirs.statusCode, 404);
        assert.equal(theirs.json<Json>().code, 'SESSION_NOT_FOUND');
        assert.ok(
          String(theirs.json<Json>().detail).includes(String(phoneSession.id)),
          'the problem names the id asked for',
        );
        assert.equal((await me(phone)).statusCode, 200);

        const revoked = await t.app.inject({
          method: 'DELETE',
          url: `/desk/api/sessions/${String(phoneSession.id)}`,
          headers: laptop.headers,
        });
        assert.equal(revoked.statusCode, 204, revoked.body);
        assert.equal((await me(phone)).statusCode, 401, 'the revoked session is refused');
        assert.equal((await me(laptop)).statusCode, 200, 'the other one still works');
      });

      it("makes, lists and revokes my own tokens, never anyone else's", async () => {
        const person = await createPerson(t, { role: 'editor' });
        const desk = await signIn(t, person.email, person.password);
        const other = await createPerson(t);
        const stranger = await signIn(t, other.email, other.password);
        const makeToken = async (who: DeskSession, name: string) => {
          const res = await t.app.inject({
            method: 'POST',
            url: '/desk/api/tokens',
            headers: who.headers,
            payload: { name },
          });
          assert.equal(res.statusCode, 201, res.body);
          return res;
        };
        const made = await makeToken(desk, 'results feed');
        const { id, token } = made.json<{ id: string; token: string }>();
        assert.match(token, /^ll_/);
        const list = async (who: DeskSession) =>
          (
            await t.app.inject({
              method: 'GET',
              url: '/desk/api/tokens',
              headers: { cookie: who.cookie },
            })
          ).json<{ tokens: Json[] }>().tokens;
        const mine = await list(desk);
        assert.deepEqual(
          mine.map((x) => [x.id, x.name, x.revokedAt]),
          [[id, 'results feed', null]],
        );
        assert.ok(!JSON.stringify(mine).includes(token.slice(3)), 'never the secret');
        assert.deepEqual(await list(stranger), []);
        const write = (slug: string) =>
          t.app.inject({
            method: 'POST',
            url: '/api/pages',
            headers: { authorization: `Bearer ${token}` },
            payload: { slug, title: 'T' },
          });
        assert.equal(
          (await write(`own-token-${id}`)).statusCode,
          201,
          'acts as its owner, an editor',
        );
        // A stranger with a token of their own still cannot revoke this one.
        await makeToken(stranger, 'their feed');
        const theirs = await t.app.inject({
          method: 'DELETE',
          url: `/desk/api/tokens/${id}`,
          headers: stranger.headers,
        });
        assert.equal(theirs.statusCode, 404);
        assert.equal(theirs.json<Json>().code, 'TOKEN_NOT_FOUND');
        assert.equal(theirs.json<Json>().detail, `You have no token with the id "${id}".`);
        assert.equal((await list(desk))[0]?.revokedAt, null, 'still in force');
        const revoked = await t.app.inject({
          method: 'DELETE',
          url: `/desk/api/tokens/${id}`,
          headers: desk.headers,
        });
        assert.equal(revoked.statusCode, 204);
        assert.ok((await list(desk))[0]?.revokedAt);
        assert.equal((await write(`own-token-after-${id}`)).statusCode, 401);
      });

      it("refuses a disabled user's session and tokens at once, and their sign-in", async () => {
        const admin = await createPerson(t, { role: 'admin' });
        const adminDesk = await signIn(t, admin.email, admin.password);
        const editor = await createPerson(t, { role: 'editor' });
        const desk = await signIn(t, editor.email, editor.password);
        const token = await t.app.inject({
          method: 'POST',
          url: '/desk/api/tokens',
          headers: desk.headers,
          payload: { name: 'my script' },
        });
        assert.equal(token.statusCode, 201, token.body);
        const bearer = { authorization: `Bearer ${token.json<{ token: string }>().token}` };
        const write = (headers: Record<string, string>, slug: string) =>
          t.app.inject({
            method: 'POST',
            url: '/api/pages',
            headers,
            payload: { slug, title: 'T' },
          });
        assert.equal((await write(bearer, 'by-token-before')).statusCode, 201);

        const disabled = await t.app.inject({
          method: 'PATCH',
          url: `/desk/api/users/${editor.user.id}`,
          headers: adminDesk.headers,
          payload: { disabled: true },
        });
        assert.equal(disabled.statusCode, 200, disabled.body);
        assert.equal(disabled.json<{ user: Json }>().user.disabled, true);

        assert.equal((await me(desk)).statusCode, 401);
        assert.equal((await write(desk.headers, 'by-session-after')).statusCode, 401);
        assert.equal((await write(bearer, 'by-token-after')).statusCode, 401);
        for (const slug of ['by-session-after', 'by-token-after'])
          assert.equal((await t.call(null, 'GET', `/api/pages/${slug}`)).statusCode, 404);
        assert.equal(
          (await t.services.store.listSessions(editor.user.id)).length,
          0,
          'their sessions are deleted',
        );
        const tokens = (await listTokens(t.services)).filter((x) => x.userId === editor.user.id);
        assert.ok(tokens.length > 0 && tokens.every((x) => x.revokedAt !== null), 'tokens revoked');
        const again = await t.app.inject({
          method: 'POST',
          url: '/desk/api/sign-in',
          headers: { origin: t.origin },
          payload: { email: editor.email, password: editor.password },
        });
        assert.equal(again.statusCode, 401, 'a disabled user cannot sign in');
        assert.equal(again.json<Json>().code, 'SIGN_IN_FAILED');
      });

      it('refuses a disabled user even when only the flag changed (every request checks it)', async () => {
        const editor = await createPerson(t, { role: 'editor' });
        const desk = await signIn(t, editor.email, editor.password);
        const made = await t.app.inject({
          method: 'POST',
          url: '/desk/api/tokens',
          headers: desk.headers,
          payload: { name: 'feed importer' },
        });
        const bearer = { authorization: `Bearer ${made.json<{ token: string }>().token}` };
        const write = () =>
          t.app.inject({
            method: 'POST',
            url: '/api/pages',
            headers: bearer,
            payload: { slug: 'flag-only', title: 'T' },
          });
        // Straight through the store: no session deleted, no token revoked.
        await t.services.store.transaction((tx) =>
          tx.updateUser(editor.user.id, { disabled: true }),
        );
        assert.equal((await me(desk)).statusCode, 401, 'the session is refused');
        assert.equal((await write()).statusCode, 401, 'the token is refused');
        assert.equal((await t.call(null, 'GET', '/api/pages/flag-only')).statusCode, 404);
      });
    },
  );
}

describe('the session cookie over HTTPS', { timeout: 30_000 }, () => {
  it('is __Host-liveline_session, Secure, HttpOnly, SameSite=Lax, Path=/', async () => {
    const t = await startTestApp(undefined, { publicUrl: 'https://live.example.org' });
    try {
      const person = await createPerson(t);
      const res = await t.app.inject({
        method: 'POST',
        url: '/desk/api/sign-in',
        headers: { origin: 'https://live.example.org' },
        payload: { email: person.email, password: person.password },
      });
      assert.equal(res.statusCode, 200, res.body);
      const cookie = String(res.headers['set-cookie']);
      assert.match(cookie, /^__Host-liveline_session=/);
      for (const flag of ['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/'])
        assert.ok(cookie.split('; ').includes(flag), `${flag} in ${cookie}`);
      assert.doesNotMatch(cookie, /Domain=/i, '__Host- cookies carry no Domain');
      const me = await t.app.inject({
        method: 'GET',
        url: '/desk/api/me',
        headers: { cookie: cookie.split(';')[0] ?? '' },
      });
      assert.equal(me.statusCode, 200);
    } finally {
      await t.close();
    }
  });
});
