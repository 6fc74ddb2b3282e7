import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { invitePerson } from '../../src/services/people.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createPerson, signIn } from '../support/people.ts';

type Json = Record<string, unknown>;

for (const adapter of await adapters()) {
  describe(
    `desk sign-in, me and sign-out: ${adapter.name}`,
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
        await t.app.close();
        await drop();
      });

      const signInRequest = (email: string, password: string, headers: Json = {}) =>
        t.app.inject({
          method: 'POST',
          url: '/desk/api/sign-in',
          headers: { origin: t.origin, ...(headers as Record<string, string>) },
          payload: { email, password },
        });

      it('signs in with e-mail (any case) and password: the user, a CSRF token and an HttpOnly Lax cookie', async () => {
        const person = await createPerson(t, {
          role: 'contributor',
          bylineRole: 'Europe correspondent',
        });
        const res = await signInRequest(person.email.toUpperCase(), person.password);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json<{ user: Json; csrfToken: string }>();
        assert.equal(body.user.email, person.email);
        assert.equal(body.user.role, 'contributor');
        assert.equal(body.user.bylineRole, 'Europe correspondent');
        assert.equal(body.user.disabled, false);
        assert.ok(!JSON.stringify(body).includes('argon2'), 'no hash in the answer');
        assert.ok(body.csrfToken.length >= 32);
        const cookie = String(res.headers['set-cookie']);
        assert.match(cookie, /^liveline_session=[A-Za-z0-9_-]{40,};/);
        assert.match(cookie, /; HttpOnly/);
        assert.match(cookie, /; SameSite=Lax/);
        assert.match(cookie, /; Path=\//);
        assert.doesNotMatch(cookie, /; Secure/, 'not Secure over plain http');

        const me = await t.app.inject({
          method: 'GET',
          url: '/desk/api/me',
          headers: { cookie: cookie.split(';')[0] ?? '' },
        });
        assert.equal(me.statusCode, 200);
        assert.equal(me.json<{ user: Json }>().user.id, body.user.id);
        assert.equal(me.json<{ csrfToken: string }>().csrfToken, body.csrfToken);
      });

      it('answers an unknown e-mail and a wrong password the same way, and sets no cookie', async () => {
        const person = await createPerson(t);
        const wrong = await signInRequest(person.email, 'not the password at all');
        const unknown = await signInRequest('nobody-here@newsroom.test', person.password);
        for (const res of [wrong, unknown]) {
          assert.equal(res.statusCode, 401);
          assert.equal(res.json<Json>().code, 'SIGN_IN_FAILED');
          assert.equal(res.headers['set-cookie'], undefined);
        }
        assert.equal(wrong.json<Json>().detail, unknown.json<Json>().detail);
      });

      it('refuses a token-only user and a person before they set a password', async () => {
        const invited = 'invited-not-yet@newsroom.test';
        await invitePerson(t.services, null, { email: invited, name: 'Not Yet', role: 'editor' });
        for (const email of ['ada.admin@newsroom.test', invited]) {
          const res = await signInRequest(email, 'whatever password');
          assert.equal(res.statusCode, 401, email);
          assert.equal(res.json<Json>().code, 'SIGN_IN_FAILED');
          assert.equal(res.headers['set-cookie'], undefined);
        }
      });

      it('refuses any password against a stored hash it cannot read, without failing', async () => {
        const person = await createPerson(t);
        await t.services.store.transaction((tx) =>
          tx.setPasswordHash(person.user.id, 'not an argon2 hash'),
        );
        for (const password of [person.password, 'anything else']) {
          const res = await signInRequest(person.email, password);
          assert.equal(res.statusCode, 401);
          assert.equal(res.json<Json>().code, 'SIGN_IN_FAILED');
        }
      });

      it('me without a session is 401 UNAUTHENTICATED', async () => {
        const res = await t.app.inject({ method: 'GET', url: '/desk/api/me' });
        assert.equal(res.statusCode, 401);
        assert.equal(res.json<Json>().code, 'UNAUTHENTICATED');
        const stale = await t.app.inject({
          method: 'GET',
          url: '/desk/api/me',
          headers: { cookie: 'liveline_session=not-a-session' },
        });
        assert.equal(stale.statusCode, 401);
      });

      it('rotates the session at sign-in: the cookie held before stops working', async () => {
        const person = await createPerson(t);
        const first = await signIn(t, person.email, person.password);
        const res = await signInRequest(person.email, person.password, { cookie: first.cookie });
        assert.equal(res.statusCode, 200);
        const second = String(res.headers['set-cookie']).split(';')[0];
        assert.notEqual(second, first.cookie);
        const old = await t.app.inject({
          method: 'GET',
          url: '/desk/api/me',
          headers: { cookie: first.cookie },
        });
        assert.equal(old.statusCode, 401, 'the session from before sign-in is gone');
        const now = await t.app.inject({
          method: 'GET',
          url: '/desk/api/me',
          headers: { cookie: second ?? '' },
        });
        assert.equal(now.statusCode, 200);
      });

      it('signs out: 204, the cookie cleared, the session ended on the server', async () => {
        const person = await createPerson(t);
        const desk = await signIn(t, person.email, person.password);
        const out = await t.app.inject({
          method: 'POST',
          url: '/desk/api/sign-out',
          headers: desk.headers,
        });
        assert.equal(out.statusCode, 204, out.body);
        assert.match(
          String(out.headers['set-cookie']),
          /liveline_session=;.*Expires=Thu, 01 Jan 1970/,
        );
        const me = await t.app.inject({
          method: 'GET',
          url: '/desk/api/me',
          headers: { cookie: desk.cookie },
        });
        assert.equal(me.statusCode, 401);
        const write = await t.app.inject({
          method: 'POST',
          url: '/api/pages',
          headers: desk.headers,
          payload: { slug: 'after-sign-out', title: 'T' },
        });
        assert.equal(write.statusCode, 401);
        assert.equal((await t.call(null, 'GET', '/api/pages/after-sign-out')).statusCode, 404);
      });

      it('the session authenticates the JSON API: a page made by cookie, with its CSRF token', async () => {
        const person = await createPerson(t, { role: 'editor' });
        const desk = await signIn(t, person.email, person.password);
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/pages',
          headers: desk.headers,
          payload: { slug: 'made-from-desk', title: 'Made from the desk' },
        });
        assert.equal(res.statusCode, 201, res.body);
        assert.equal((await t.call(null, 'GET', '/api/pages/made-from-desk')).statusCode, 200);
      });
    },
  );
}
