import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditCursor, type PresentedAuditEntry } from '../../src/services/audit.ts';
import { asActor } from '../../src/services/audit-context.ts';
import { publishPost } from '../../src/services/posts.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { Store, StoreWriter } from '../../src/store/store.ts';
import { aParagraph } from '../support/factories.ts';
import { createPerson, signIn, type DeskSession } from '../support/people.ts';

type Entry = PresentedAuditEntry;
type Listing = { entries: Entry[]; next: string | null };

for (const adapter of await adapters()) {
  describe(
    `the audit log: every write with its actor, over HTTP: ${adapter.name}`,
    { skip: adapter.skip, timeout: 120_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      let adminDesk: DeskSession;
      /** The users and tokens of the test app's named tokens. */
      const ids: Record<string, { userId: string; tokenId: string }> = {};

      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestApp(opened.store);
        for (const token of await t.services.store.listTokens())
          ids[token.userName] = { userId: token.userId, tokenId: token.id };
        const admin = await createPerson(t, { role: 'admin', name: 'Dana Whitfield' });
        adminDesk = await signIn(t, admin.email, admin.password);
      });
      after(async () => {
        t.clock.release();
        await t.app.close();
        await drop();
      });

      const audit = async (query = ''): Promise<Listing> => {
        const res = await t.call('admin', 'GET', `/desk/api/audit${query}`);
        assert.equal(res.statusCode, 200, res.body);
        return res.json<Listing>();
      };
      const newest = async (query = '') => (await audit(query)).entries;
      const count = async () => (await t.services.store.listAudit({ limit: 10_000 })).length;
      const post = (headline: string, extra: Record<string, unknown> = {}) => ({
        headline,
        body: [aParagraph(`${headline}.`)],
        ...extra,
      });
      const makePage = async (slug: string) => {
        const res = await t.call('editor', 'POST', '/api/pages', {
          slug,
          title: `Title of ${slug}`,
          status: 'live',
        });
        assert.equal(res.statusCode, 201, res.body);
      };

      it('publish, edit, pin and delete by token: one entry each, with the user and the token', async () => {
        await makePage('audit-posts');
        const [created] = await newest();
        assert.equal(created?.action, 'page.create');
        assert.equal(created?.page?.slug, 'audit-posts');
        assert.equal(created?.summary, 'Title of audit-posts');

        const published = await t.call(
          'editor',
          'POST',
          '/api/pages/audit-posts/posts',
          post('Polls close'),
        );
        assert.equal(published.statusCode, 201, published.body);
        const { id, revision } = published.json<{ id: string; revision: number }>();
        const edited = await t.call('editor', 'PATCH', `/api/pages/audit-posts/posts/${id}`, {
          revision,
          headline: 'Polls have closed',
        });
        assert.equal(edited.statusCode, 200, edited.body);
        const pinned = await t.call('editor', 'PATCH', `/api/pages/audit-posts/posts/${id}`, {
          revision: revision + 1,
          pinned: true,
        });
        assert.equal(pinned.statusCode, 200, pinned.body);
        const deleted = await t.call('editor', 'DELETE', `/api/pages/audit-posts/posts/${id}`);
        assert.equal(deleted.statusCode, 204);

        const entries = (await newest('?page=audit-posts')).slice(0, 4).reverse();
        assert.deepEqual(
          entries.map((e) => [e.action, e.post?.id, e.summary]),
          [
            ['post.publish', id, 'post'],
            ['post.edit', id, 'changed headline'],
            ['post.pin', id, 'post'],
            ['post.delete', id, 'post'],
          ],
        );
        // The log keeps no post text: the headline shown is the post's as it is now.
        assert.ok(entries.every((e) => e.post?.headline === 'Polls have closed'));
        const editor = ids['Rich Preston'];
        for (const entry of entries) {
          assert.deepEqual(entry.actor, {
            kind: 'token',
            userId: editor?.userId,
            tokenId: editor?.tokenId,
            name: 'Rich Preston',
          });
          assert.equal(entry.page?.slug, 'audit-posts');
          assert.equal(entry.page?.title, 'Title of audit-posts');
          assert.match(entry.requestId ?? '', /\S/);
          assert.equal(entry.address, '127.0.0.1');
        }
      });

      it('a desk write is the signed-in person, with no token; signing in and out are entries', async () => {
        const person = await createPerson(t, { role: 'contributor', name: 'Lyse Doucet' });
        const desk = await signIn(t, person.email, person.password);
        const [signedIn] = await newest(`?user=${person.user.id}`);
        assert.equal(signedIn?.action, 'session.sign_in');
        assert.deepEqual(signedIn?.actor, {
          kind: 'user',
          userId: person.user.id,
          tokenId: null,
          name: 'Lyse Doucet',
        });

        await makePage('audit-desk');
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/pages/audit-desk/posts',
          headers: desk.headers,
          payload: post('From the desk'),
        });
        assert.equal(res.statusCode, 201, res.body);
        const [written] = await newest(`?user=${person.user.id}`);
        assert.equal(written?.action, 'post.publish');
        assert.equal(written?.actor.kind, 'user');
        assert.equal(written?.actor.tokenId, null);
        assert.equal(written?.post?.id, res.json<{ id: string }>().id);

        const out = await t.app.inject({
          method: 'POST',
          url: '/desk/api/sign-out',
          headers: desk.headers,
        });
        assert.equal(out.statusCode, 204);
        const [signedOut] = await newest(`?user=${person.user.id}`);
        assert.equal(signedOut?.action, 'session.sign_out');
      });

      it('a failed sign-in is recorded with the e-mail tried and the address, and no actor', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/desk/api/sign-in',
          headers: { origin: t.origin },
          payload: { email: 'nobody@newsroom.test', password: 'guessing wrong' },
        });
        assert.equal(res.statusCode, 401, res.body);
        const [failed] = await newest();
        assert.equal(failed?.action, 'session.sign_in_failed');
        assert.equal(failed?.summary, 'nobody@newsroom.test');
        assert.equal(failed?.actor.kind, 'unknown');
        assert.equal(failed?.actor.userId, null);
        assert.equal(failed?.address, '127.0.0.1');
        assert.deepEqual([failed?.page, failed?.post], [null, null], 'about no page or post');
        const [stored] = await t.services.store.listAudit({ limit: 1 });
        assert.deepEqual(stored?.actor, { kind: 'anonymous' }, 'stored as nobody proven');
      });

      it('an invitation, then its link used: set by the admin, then by the person it names', async () => {
        const invited = await t.app.inject({
          method: 'POST',
          url: '/desk/api/users',
          headers: adminDesk.headers,
          payload: { email: 'zeinab@newsroom.test', name: 'Zeinab Badawi', role: 'editor' },
        });
        assert.equal(invited.statusCode, 201, invited.body);
        const { user, link } = invited.json<{ user: { id: string }; link: string }>();
        const used = await t.app.inject({
          method: 'POST',
          url: `/desk/api/links/${link.split('/').at(-1) ?? ''}`,
          headers: { origin: t.origin, 'user-agent': 'Audit test browser' },
          payload: { password: 'a long enough password' },
        });
        assert.equal(used.statusCode, 200, used.body);
        const [signedIn, passwordSet] = await newest(`?user=${user.id}`);
        assert.equal(passwordSet?.action, 'password.set');
        assert.equal(passwordSet?.summary, 'password set');
        assert.equal(signedIn?.action, 'session.sign_in');
        assert.match(signedIn?.summary ?? '', /^session [0-9a-z]{20} \(Audit test browser\)$/);
        for (const entry of [signedIn, passwordSet])
          assert.deepEqual(entry?.actor, {
            kind: 'user',
            userId: user.id,
            tokenId: null,
            name: 'Zeinab Badawi',
          });
        const [invitation] = await newest(`?user=${adminDesk.user.id}`);
        assert.equal(invitation?.action, 'user.invite');
        assert.equal(
          invitation?.summary,
          'Zeinab Badawi <zeinab@newsroom.test> as editor; set-password link',
        );
      });

      it('a role change says from what to what; disabling is its own action', async () => {
        const person = await createPerson(t, { role: 'editor', name: 'Jeremy Bowen' });
        const as = (payload: Record<string, unknown>) =>
          t.app.inject({
            method: 'PATCH',
            url: `/desk/api/users/${person.user.id}`,
            headers: adminDesk.headers,
            payload,
          });
        assert.equal((await as({ role: 'contributor' })).statusCode, 200);
        assert.equal((await as({ disabled: true })).statusCode, 200);
        const [disabled, demoted] = await newest(`?user=${adminDesk.user.id}`);
        assert.equal(demoted?.action, 'user.role');
        assert.equal(demoted?.summary, 'Jeremy Bowen: editor → contributor');
        assert.equal(demoted?.actor.name, 'Dana Whitfield');
        assert.equal(disabled?.action, 'user.disable');
        assert.equal(disabled?.summary, 'Jeremy Bowen: disabled; tokens revoked');
        const stored = await t.services.store.getUser(person.user.id);
        assert.equal(stored?.role, 'contributor');
      });

      it('a refused write leaves no entry: 422, 403, 409, and a replayed Idempotency-Key', async () => {
        await makePage('audit-refused');
        const first = await t.call(
          'contributor',
          'POST',
          '/api/pages/audit-refused/posts',
          post('Mine'),
        );
        assert.equal(first.statusCode, 201, first.body);
        const { id, revision } = first.json<{ id: string; revision: number }>();
        const keyed = await t.call(
          'editor',
          'POST',
          '/api/pages/audit-refused/posts',
          post('Keyed'),
          {
            'idempotency-key': 'audit-once',
          },
        );
        assert.equal(keyed.statusCode, 201, keyed.body);
        assert.equal(
          (await newest())[0]?.post?.headline,
          'Keyed',
          'the writes that happened are there',
        );
        const before = await count();

        const invalid = await t.call('editor', 'POST', '/api/pages/audit-refused/posts', {
          headline: '',
          body: [],
        });
        assert.equal(invalid.statusCode, 422, invalid.body);
        // Refused inside the commit (the role check reads the post in the transaction).
        const forbidden = await t.call(
          'otherContributor',
          'PATCH',
          `/api/pages/audit-refused/posts/${id}`,
          {
            revision,
            headline: 'Not yours',
          },
        );
        assert.equal(forbidden.statusCode, 403, forbidden.body);
        const conflict = await t.call('editor', 'PATCH', `/api/pages/audit-refused/posts/${id}`, {
          revision: revision + 5,
          headline: 'Stale',
        });
        assert.equal(conflict.statusCode, 409, conflict.body);
        const replay = await t.call(
          'editor',
          'POST',
          '/api/pages/audit-refused/posts',
          post('Keyed'),
          {
            'idempotency-key': 'audit-once',
          },
        );
        assert.equal(replay.statusCode, 201);
        const noop = await t.call('contributor', 'PATCH', `/api/pages/audit-refused/posts/${id}`, {
          revision,
          headline: 'Mine',
        });
        assert.equal(noop.statusCode, 200, 'an edit that changes nothing writes nothing');

        assert.equal(await count(), before, 'no entry for a write that did not happen');
        const stored = await t.services.store.getPost(
          (await t.services.store.getPage('audit-refused'))?.id ?? '',
          id,
        );
        assert.equal(stored?.headline, 'Mine');
      });

      it('filters by page and by user, newest first, and pages back by keyset without gaps or repeats', async () => {
        await makePage('audit-paging');
        // One instant for all: the order within it is the entries' ids.
        t.clock.set('2026-11-30T12:00:00.000Z');
        const made: string[] = [];
        for (let i = 0; i < 56; i++) {
          const res = await t.call(
            'contributor',
            'POST',
            '/api/pages/audit-paging/posts',
            post(`Post ${i}`),
          );
          assert.equal(res.statusCode, 201, res.body);
          made.push(res.json<{ id: string }>().id);
        }
        t.clock.release();
        await t.call('editor', 'POST', '/api/pages/audit-paging/posts', post('By the editor'));

        const contributor = ids['Frank Gardner']?.userId ?? '';
        const query = `?page=audit-paging&user=${contributor}`;
        const first = await audit(query);
        assert.equal(first.entries.length, 50);
        assert.ok(first.next);
        const second = await audit(`${query}&before=${first.next}`);
        assert.equal(second.entries.length, 6);
        assert.equal(second.next, null);
        // Exactly one screen left after the sixth entry: no next, as when fewer are left.
        const sixth = first.entries[5];
        assert.ok(sixth);
        const rest = await audit(`${query}&before=${auditCursor(sixth)}`);
        assert.deepEqual([rest.entries.length, rest.next], [50, null]);
        const seen = [...first.entries, ...second.entries].map((e) => e.post?.id);
        assert.deepEqual(seen, [...made].reverse(), 'every post once, newest first');
        for (const entry of [...first.entries, ...second.entries]) {
          assert.equal(entry.actor.userId, contributor);
          assert.equal(entry.page?.slug, 'audit-paging');
        }
        const onPage = await newest('?page=audit-paging');
        assert.equal(
          onPage[0]?.post?.headline,
          'By the editor',
          'the page filter alone keeps every user',
        );
        assert.equal(onPage.at(-1)?.page?.slug, 'audit-paging');
        const elsewhere = await newest(`?page=audit-posts&user=${contributor}`);
        assert.deepEqual(elsewhere, []);

        const forged = [
          'not-a-cursor',
          Buffer.from('["2026-03-20T12:00:00.000Z"]').toString('base64url'),
          Buffer.from('["2026-03-20T12:00:00.000Z","x","y"]').toString('base64url'),
          Buffer.from('["yesterday","x"]').toString('base64url'),
          // A number where the time or the id belongs, each of which would pass as text.
          Buffer.from('[0,"x"]').toString('base64url'),
          Buffer.from('["2026-03-20T12:00:00.000Z",7]').toString('base64url'),
          Buffer.from('{"0":"2026-03-20T12:00:00.000Z","1":"x","length":2}').toString('base64url'),
        ];
        for (const cursor of forged) {
          const bad = await t.call('admin', 'GET', `/desk/api/audit?before=${cursor}`);
          assert.equal(bad.statusCode, 422, `${cursor}: ${bad.body}`);
          assert.equal(bad.json().detail, 'before: not a cursor this server gave');
          assert.deepEqual(bad.json().errors, [
            { field: '/before', reason: 'is not a cursor from an earlier page' },
          ]);
        }
        const unknownPage = await t.call('admin', 'GET', '/desk/api/audit?page=no-such-page');
        assert.equal(unknownPage.statusCode, 404);
      });

      it('a job runs as a system actor with asActor; a commit outside any context is not audited', async () => {
        await makePage('audit-jobs');
        const editor = await t.services.store.findUserByName('Rich Preston');
        assert.ok(editor);
        await asActor({ kind: 'system', name: 'scheduler' }, 'post.publish', () =>
          publishPost(t.services, editor, 'audit-jobs', post('Due at noon')),
        );
        const [scheduled] = await newest('?page=audit-jobs');
        assert.equal(scheduled?.action, 'post.publish');
        assert.equal(scheduled?.post?.headline, 'Due at noon');
        assert.deepEqual(scheduled?.actor, {
          kind: 'system',
          userId: null,
          tokenId: null,
          name: 'scheduler',
        });
        assert.equal(scheduled?.address, null);

        const before = await count();
        await publishPost(t.services, editor, 'audit-jobs', post('Outside any context'));
        assert.equal(await count(), before);
      });

      it('is for admins only: 401 anonymous, 403 for editors and contributors', async () => {
        assert.equal((await t.call(null, 'GET', '/desk/api/audit')).statusCode, 401);
        for (const who of ['editor', 'contributor'] as const) {
          const res = await t.call(who, 'GET', '/desk/api/audit');
          assert.equal(res.statusCode, 403, res.body);
          assert.equal(res.json().code, 'FORBIDDEN');
        }
        const desk = await t.app.inject({
          method: 'GET',
          url: '/desk/api/audit',
          headers: { cookie: adminDesk.cookie },
        });
        assert.equal(desk.statusCode, 200);
        assert.equal(desk.headers['cache-control'], 'no-store');
      });
    },
  );
}

/**
 * The real store, except that appending an audit entry fails while `failing.on`: what a full
 * disk or a broken audit table would do to the commit.
 */
function auditFailing(store: Store, failing: { on: boolean }): Store {
  const writer = (tx: StoreWriter): StoreWriter =>
    new Proxy(tx, {
      get: (target, name, receiver) =>
        name === 'appendAudit' && failing.on
          ? () => Promise.reject(new Error('the audit table is unwritable'))
          : (Reflect.get(target, name, receiver) as unknown),
    });
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'withClock')
        return (now: () => Date) => auditFailing(target.withClock(now), failing);
      if (name === 'transaction')
        return <T>(work: (tx: StoreWriter) => Promise<T>) =>
          target.transaction((tx) => work(writer(tx)));
      const value = Reflect.get(target, name, receiver) as unknown;
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

for (const adapter of await adapters()) {
  it(
    `a write whose audit entry cannot be appended does not happen: ${adapter.name}`,
    {
      skip: adapter.skip,
      timeout: 60_000,
    },
    async () => {
      const opened = await adapter.open();
      const failing = { on: false };
      const t = await startTestApp(auditFailing(opened.store, failing));
      try {
        const page = await t.call('editor', 'POST', '/api/pages', {
          slug: 'audit-atomic',
          title: 'Atomic',
          status: 'live',
        });
        assert.equal(page.statusCode, 201, page.body);
        failing.on = true;
        const res = await t.call('editor', 'POST', '/api/pages/audit-atomic/posts', {
          headline: 'Never seen',
          body: [aParagraph('Gone with its entry.')],
        });
        assert.equal(res.statusCode, 500, res.body);
        failing.on = false;
        const stored = await t.services.store.getPage('audit-atomic');
        assert.equal(stored?.postCount, 0, 'the post rolled back with its entry');
        assert.equal(stored?.lastSeq, 0, 'and so did its change-log entry');
        assert.deepEqual(await t.services.store.listDeskPosts(stored?.id ?? '', 10), []);
        const entries = await t.services.store.listAudit({ limit: 10 });
        assert.deepEqual(
          entries.map((e) => e.action),
          ['page.create'],
        );
      } finally {
        await t.app.close();
        await opened.drop();
      }
    },
  );
}
