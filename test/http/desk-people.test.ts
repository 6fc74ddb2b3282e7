import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';
import { createPerson, signIn, type DeskSession } from '../support/people.ts';

type Json = Record<string, unknown>;
const DAY = 86_400_000;

for (const adapter of await adapters()) {
  describe(
    `people: invitations, reset links, admin rights, roles by cookie: ${adapter.name}`,
    { skip: adapter.skip, timeout: 90_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      let admin: DeskSession;
      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestApp(opened.store);
        const person = await createPerson(t, { role: 'admin' });
        admin = await signIn(t, person.email, person.password);
      });
      after(async () => {
        t.clock.release();
        await t.app.close();
        await drop();
      });

      const as = (
        desk: DeskSession,
        method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
        url: string,
        payload?: unknown,
      ) =>
        t.app.inject({
          method,
          url,
          headers: method === 'GET' ? { cookie: desk.cookie } : desk.headers,
          ...(payload !== undefined && { payload: payload as Json }),
        });
      const tokenOf = (link: string) => {
        assert.match(link, /^http:\/\/localhost:3000\/desk\/link\/[A-Za-z0-9_-]{40,}$/);
        return link.split('/').at(-1) ?? '';
      };
      const usePassword = (token: string, password: string) =>
        t.app.inject({
          method: 'POST',
          url: `/desk/api/links/${token}`,
          headers: { origin: t.origin },
          payload: { password },
        });

      it('an admin invites a person; the link names them, sets the password once, signs them in', async () => {
        const res = await as(admin, 'POST', '/desk/api/users', {
          email: 'Katya.Adler@Newsroom.test',
          name: 'Katya Adler',
          bylineRole: 'Europe editor',
          role: 'editor',
        });
        assert.equal(res.statusCode, 201, res.body);
        const { user, link } = res.json<{ user: Json; link: string }>();
        assert.equal(user.email, 'katya.adler@newsroom.test', 'kept lower-case');
        assert.equal(user.bylineRole, 'Europe editor');
        assert.ok(!('passwordHash' in user) && !JSON.stringify(user).includes('argon'));
        const token = tokenOf(link);

        const look = await t.app.inject({ method: 'GET', url: `/desk/api/links/${token}` });
        assert.equal(look.statusCode, 200);
        assert.deepEqual(look.json(), {
          purpose: 'set-password',
          email: 'katya.adler@newsroom.test',
          name: 'Katya Adler',
        });

        const short = await usePassword(token, 'too short');
        assert.equal(short.statusCode, 422);
        assert.match(short.body, /password/);
        const long = await usePassword(token, 'x'.repeat(1_001));
        assert.equal(long.statusCode, 422, 'at most 1,000 characters');
        assert.equal(
          (await t.app.inject({ method: 'GET', url: `/desk/api/links/${token}` })).statusCode,
          200,
          'a refused password leaves the link usable',
        );
        const set = await usePassword(token, 'a long and private passphrase');
        assert.equal(set.statusCode, 200, set.body);
        assert.match(String(set.headers['set-cookie']), /^liveline_session=/);
        assert.equal(set.json<{ user: Json }>().user.id, user.id);

        const again = await usePassword(token, 'another long passphrase');
        assert.equal(again.statusCode, 404, 'a link works once');
        assert.equal(again.json<Json>().code, 'LINK_NOT_FOUND');
        assert.equal(
          (await t.app.inject({ method: 'GET', url: `/desk/api/links/${token}` })).statusCode,
          404,
        );
        await signIn(t, 'KATYA.ADLER@newsroom.test', 'a long and private passphrase');
        await assert.rejects(signIn(t, 'katya.adler@newsroom.test', 'another long passphrase'));
      });

      it('refuses a second person with the same e-mail in any case, naming the field', async () => {
        const first = await as(admin, 'POST', '/desk/api/users', {
          email: 'same@newsroom.test',
          name: 'Same One',
          role: 'contributor',
        });
        assert.equal(first.statusCode, 201);
        const second = await as(admin, 'POST', '/desk/api/users', {
          email: 'SAME@newsroom.test',
          name: 'Same Two',
          role: 'contributor',
        });
        assert.equal(second.statusCode, 422);
        assert.deepEqual(
          second.json<{ errors: Json[] }>().errors.map((e) => e.field),
          ['/email'],
        );
        const bad = await as(admin, 'POST', '/desk/api/users', {
          email: 'not an e-mail',
          name: 'X',
          role: 'chief',
        });
        assert.equal(bad.statusCode, 422);
      });

      it('an invitation expires after 7 days, a reset link after 24 hours', async () => {
        const start = Date.parse('2026-06-01T09:00:00.000Z');
        t.clock.set(new Date(start).toISOString());
        const invited = await as(admin, 'POST', '/desk/api/users', {
          email: 'late@newsroom.test',
          name: 'Late Comer',
          role: 'contributor',
        });
        const inviteToken = tokenOf(invited.json<{ link: string }>().link);
        const userId = String(invited.json<{ user: Json }>().user.id);
        const lookUp = (token: string) =>
          t.app.inject({ method: 'GET', url: `/desk/api/links/${token}` });
        t.clock.set(new Date(start + 7 * DAY - 1000).toISOString());
        assert.equal((await lookUp(inviteToken)).statusCode, 200, 'invitation valid to the end');
        t.clock.set(new Date(start + 7 * DAY + 1000).toISOString());
        assert.equal(
          (await usePassword(inviteToken, 'a long enough password')).statusCode,
          404,
          'invitation expired',
        );

        t.clock.set(new Date(start + 8 * DAY).toISOString());
        const reset = await as(admin, 'POST', `/desk/api/users/${userId}/reset-link`);
        assert.equal(reset.statusCode, 201, reset.body);
        const resetToken = tokenOf(reset.json<{ link: string }>().link);
        const look = await t.app.inject({ method: 'GET', url: `/desk/api/links/${resetToken}` });
        assert.equal(look.json<Json>().purpose, 'reset-password');
        t.clock.set(new Date(start + 9 * DAY - 1000).toISOString());
        assert.equal((await lookUp(resetToken)).statusCode, 200, 'reset link valid to the end');
        t.clock.set(new Date(start + 9 * DAY + 1000).toISOString());
        assert.equal(
          (await usePassword(resetToken, 'a long enough password')).statusCode,
          404,
          'reset link expired',
        );
        t.clock.release();
      });

      it('a reset link sets a new password, ends the old sessions, and works once', async () => {
        const person = await createPerson(t, { role: 'contributor' });
        const old = await signIn(t, person.email, person.password);
        const reset = await as(admin, 'POST', `/desk/api/users/${person.user.id}/reset-link`);
        const token = tokenOf(reset.json<{ link: string }>().link);
        assert.equal((await usePassword(token, 'my brand new passphrase')).statusCode, 200);
        assert.equal(
          (
            await t.app.inject({
              method: 'GET',
              url: '/desk/api/me',
              headers: { cookie: old.cookie },
            })
          ).statusCode,
          401,
        );
        await assert.rejects(signIn(t, person.email, person.password), /401/);
        await signIn(t, person.email, 'my brand new passphrase');
        assert.equal((await usePassword(token, 'yet another passphrase')).statusCode, 404);
      });

      it('only admins manage people; anyone signed in lists bylines', async () => {
        const editor = await createPerson(t, {
          role: 'editor',
          name: 'Rich Editor',
          bylineRole: 'Political editor',
        });
        const desk = await signIn(t, editor.email, editor.password);
        for (const [method, url, body] of [
          ['GET', '/desk/api/users', undefined],
          ['POST', '/desk/api/users', { email: 'x@newsroom.test', name: 'X Y', role: 'admin' }],
          ['PATCH', `/desk/api/users/${editor.user.id}`, { role: 'admin' }],
          ['POST', `/desk/api/users/${editor.user.id}/reset-link`, undefined],
        ] as const) {
          const res = await as(desk, method, url, body);
          assert.equal(res.statusCode, 403, `${method} ${url}`);
          assert.equal(res.json<Json>().code, 'FORBIDDEN');
        }
        assert.equal((await t.services.store.getUser(editor.user.id))?.role, 'editor');
        assert.equal(await t.services.store.findUserByEmail('x@newsroom.test'), null);

        const people = await as(desk, 'GET', '/desk/api/people');
        assert.equal(people.statusCode, 200);
        const listed = people.json<{ people: Json[] }>().people;
        assert.ok(
          listed.some((p) => p.name === 'Rich Editor' && p.bylineRole === 'Political editor'),
        );
        assert.ok(
          listed.every((p) => Object.keys(p).sort().join() === 'bylineRole,id,name'),
          'no e-mails or roles',
        );
        assert.ok(!listed.some((p) => p.name === 'Ada Admin'), 'token-only users are not people');
        assert.equal(
          (await t.app.inject({ method: 'GET', url: '/desk/api/people' })).statusCode,
          401,
        );
      });

      it('an admin changes a role, which applies to the next request', async () => {
        const person = await createPerson(t, { role: 'contributor' });
        const desk = await signIn(t, person.email, person.password);
        const createPage = () =>
          as(desk, 'POST', '/api/pages', { slug: `promoted-${person.user.id}`, title: 'T' });
        assert.equal((await createPage()).statusCode, 403);
        const res = await as(admin, 'PATCH', `/desk/api/users/${person.user.id}`, {
          role: 'editor',
          bylineRole: 'Now an editor',
        });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json<{ user: Json }>().user.role, 'editor');
        assert.equal((await createPage()).statusCode, 201);
        const self = await as(admin, 'PATCH', `/desk/api/users/${admin.user.id}`, {
          disabled: true,
        });
        assert.equal(self.statusCode, 422, 'an admin cannot disable themself');
        const missing = await as(admin, 'PATCH', '/desk/api/users/00000000000000000000', {
          role: 'editor',
        });
        assert.equal(missing.statusCode, 404);
        assert.equal(missing.json<Json>().code, 'USER_NOT_FOUND');
      });

      it('keeps a newsroom its admin: an admin may not demote or disable themself, naming the field', async () => {
        for (const [change, field] of [
          [{ role: 'editor' }, '/role'],
          [{ disabled: true }, '/disabled'],
          [{ role: 'contributor', disabled: true }, '/disabled'],
        ] as const) {
          const res = await as(admin, 'PATCH', `/desk/api/users/${admin.user.id}`, change);
          assert.equal(res.statusCode, 422, JSON.stringify(change));
          assert.deepEqual(res.json<Json>().errors, [{ field, reason: 'is your own account' }]);
          assert.equal(res.json<Json>().detail, 'You cannot disable or demote yourself.');
        }
        const same = await as(admin, 'PATCH', `/desk/api/users/${admin.user.id}`, {
          role: 'admin',
          disabled: false,
          name: '  The Admin  ',
          bylineRole: ' Managing editor ',
        });
        assert.equal(same.statusCode, 200, 'staying an admin is no demotion');
        const user = same.json<{ user: Json }>().user;
        assert.deepEqual(
          [user.role, user.disabled, user.name, user.bylineRole],
          ['admin', false, 'The Admin', 'Managing editor'],
        );
      });

      it('trims an invitation, and sends reset links only to people with an e-mail', async () => {
        const res = await as(admin, 'POST', '/desk/api/users', {
          email: 'trim@newsroom.test',
          name: '  Trim Me  ',
          bylineRole: '  Reporter  ',
          role: 'contributor',
        });
        assert.equal(res.statusCode, 201, res.body);
        const { user } = res.json<{ user: Json }>();
        assert.deepEqual([user.name, user.bylineRole], ['Trim Me', 'Reporter']);
        const bare = await as(admin, 'POST', '/desk/api/users', {
          email: 'bare@newsroom.test',
          name: 'Bare Byline',
          role: 'contributor',
        });
        assert.equal(bare.json<{ user: Json }>().user.bylineRole, '');

        const tokenOnly = (await t.services.store.listUsers()).find((u) => u.name === 'Ada Admin');
        assert.ok(tokenOnly);
        const refused = await as(admin, 'POST', `/desk/api/users/${tokenOnly.id}/reset-link`);
        assert.equal(refused.statusCode, 422, refused.body);
        assert.equal(
          refused.json<Json>().detail,
          'Ada Admin is a token-only user with no e-mail, and cannot sign in.',
        );
        assert.deepEqual(refused.json<Json>().errors, [
          { field: '/id', reason: 'is a token-only user' },
        ]);
        const unknown = await as(admin, 'POST', `/desk/api/users/${'0'.repeat(20)}/reset-link`);
        assert.equal(unknown.statusCode, 404);
        assert.equal(unknown.json<Json>().detail, `No user has the id "${'0'.repeat(20)}".`);
      });

      it('a link ends at its exact expiry, and serves no one who has been disabled', async () => {
        const start = Date.parse('2026-07-01T09:00:00.000Z');
        try {
          t.clock.set(new Date(start).toISOString());
          const invited = await as(admin, 'POST', '/desk/api/users', {
            email: 'edge@newsroom.test',
            name: 'Edge Case',
            role: 'contributor',
          });
          const token = tokenOf(invited.json<{ link: string }>().link);
          const lookUp = () => t.app.inject({ method: 'GET', url: `/desk/api/links/${token}` });
          t.clock.set(new Date(start + 7 * DAY - 1).toISOString());
          assert.equal((await lookUp()).statusCode, 200, 'valid a millisecond before');
          t.clock.set(new Date(start + 7 * DAY).toISOString());
          assert.equal((await lookUp()).statusCode, 404, 'expired at exactly 7 days');

          t.clock.set(new Date(start + 8 * DAY).toISOString());
          const person = await createPerson(t, { role: 'contributor', name: 'Soon Gone' });
          const reset = await as(admin, 'POST', `/desk/api/users/${person.user.id}/reset-link`);
          const resetToken = tokenOf(reset.json<{ link: string }>().link);
          const off = await as(admin, 'PATCH', `/desk/api/users/${person.user.id}`, {
            disabled: true,
          });
          assert.equal(off.statusCode, 200, off.body);
          const look = await t.app.inject({ method: 'GET', url: `/desk/api/links/${resetToken}` });
          assert.equal(look.statusCode, 404, 'a disabled person cannot come back by a link');
          assert.equal((await usePassword(resetToken, 'a way back in, I hope')).statusCode, 404);
          const people = (await as(admin, 'GET', '/desk/api/people')).json<{ people: Json[] }>();
          assert.ok(!people.people.some((p) => p.name === 'Soon Gone'), 'not offered as a byline');
        } finally {
          t.clock.release();
        }
      });

      it("a contributor signed in by cookie cannot pin, nor edit or delete a colleague's post", async () => {
        await t.call('editor', 'POST', '/api/pages', {
          slug: 'roles',
          title: 'Roles',
          status: 'live',
        });
        const mine = await createPerson(t, { role: 'contributor' });
        const desk = await signIn(t, mine.email, mine.password);
        const own = await as(desk, 'POST', '/api/pages/roles/posts', {
          headline: 'Mine',
          body: [aParagraph('Mine.')],
        });
        assert.equal(own.statusCode, 201, own.body);
        const ownId = own.json<{ id: string }>().id;
        const theirs = await t.call('editor', 'POST', '/api/pages/roles/posts', {
          headline: 'Theirs',
          body: [aParagraph('Theirs.')],
        });
        const theirId = theirs.json<{ id: string }>().id;
        const before = (await t.call(null, 'GET', '/api/pages/roles/changes')).body;

        const pin = await as(desk, 'PATCH', `/api/pages/roles/posts/${ownId}`, {
          pinned: true,
          revision: 1,
        });
        assert.equal(pin.statusCode, 403);
        const pinNew = await as(desk, 'POST', '/api/pages/roles/posts', {
          headline: 'Pinned?',
          body: [aParagraph('x')],
          pinned: true,
        });
        assert.equal(pinNew.statusCode, 403);
        const edit = await as(desk, 'PATCH', `/api/pages/roles/posts/${theirId}`, {
          headline: 'Changed',
          revision: 1,
        });
        assert.equal(edit.statusCode, 403);
        const del = await as(desk, 'DELETE', `/api/pages/roles/posts/${theirId}`);
        assert.equal(del.statusCode, 403);
        assert.equal(
          (await t.call(null, 'GET', '/api/pages/roles/changes')).body,
          before,
          'nothing logged',
        );
        const post = await t.call(null, 'GET', `/api/pages/roles/posts/${theirId}`);
        assert.equal(post.json<Json>().headline, 'Theirs');

        const editOwn = await as(desk, 'PATCH', `/api/pages/roles/posts/${ownId}`, {
          headline: 'Mine, edited',
          revision: 1,
        });
        assert.equal(editOwn.statusCode, 200, 'their own post they may edit');
      });
    },
  );
}
