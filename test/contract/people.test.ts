import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LivelineError } from '../../src/domain/errors.ts';
import type { Session } from '../../src/domain/session.ts';
import type { Store } from '../../src/store/store.ts';
import { adapters } from '../support/adapters.ts';
import { aPage, aPost } from '../support/factories.ts';

// The people and sessions part of the ONE store contract, run against every adapter.
for (const adapter of await adapters()) {
  describe(`store contract, people and sessions: ${adapter.name}`, { skip: adapter.skip }, () => {
    let store: Store;
    let drop: () => Promise<void>;
    before(async () => {
      ({ store, drop } = await adapter.open());
    });
    after(() => drop());

    const person = (email: string, name: string) =>
      store.transaction((tx) =>
        tx.insertPerson({ email, name, bylineRole: 'Reporter', role: 'editor' }),
      );
    const session = (userId: string, id: string, at: string): Session & { hash: string } => ({
      hash: `hash-${id}`,
      id,
      userId,
      csrfToken: `csrf-${id}`,
      createdAt: at,
      lastSeenAt: at,
      expiresAt: '2030-01-01T00:00:00.000Z',
      userAgent: 'Test/1.0',
    });

    it('stores a person with every field and finds them by e-mail and id', async () => {
      const user = await person('ada@newsroom.test', 'Ada Reporter');
      assert.deepEqual(
        {
          email: user.email,
          bylineRole: user.bylineRole,
          disabled: user.disabled,
          role: user.role,
        },
        { email: 'ada@newsroom.test', bylineRole: 'Reporter', disabled: false, role: 'editor' },
      );
      assert.deepEqual(await store.findUserByEmail('ada@newsroom.test'), {
        user,
        passwordHash: null,
      });
      assert.deepEqual(await store.getUser(user.id), user);
      await store.transaction((tx) => tx.setPasswordHash(user.id, '$argon2id$x'));
      assert.equal((await store.findUserByEmail('ada@newsroom.test'))?.passwordHash, '$argon2id$x');
      assert.equal(await store.getUser('00000000000000000000'), null);
    });

    it('refuses a taken e-mail or name, naming the field', async () => {
      for (const [email, name, field] of [
        ['ada@newsroom.test', 'Somebody Else', '/email'],
        ['other@newsroom.test', 'Ada Reporter', '/name'],
      ] as const) {
        await assert.rejects(person(email, name), (error: unknown) => {
          assert.ok(error instanceof LivelineError);
          assert.equal(error.code, 'VALIDATION_FAILED');
          assert.equal(error.problems[0]?.field, field);
          return true;
        });
      }
      assert.equal((await store.listUsers()).length, 1);
    });

    it('lists every user by name, or only those with the ids asked for', async () => {
      const zoe = await person('zoe@newsroom.test', 'Zoe Lister');
      const abe = await person('abe@newsroom.test', 'Abe Lister');
      await person('max@newsroom.test', 'Max Lister');
      const names = (users: { name: string }[]) =>
        users.map((user) => user.name).filter((name) => name.endsWith('Lister'));
      assert.deepEqual(names(await store.listUsers()), ['Abe Lister', 'Max Lister', 'Zoe Lister']);
      assert.deepEqual(names(await store.listUsers([zoe.id, abe.id])), [
        'Abe Lister',
        'Zoe Lister',
      ]);
      assert.deepEqual(await store.listUsers([]), []);
      assert.deepEqual(await store.listUsers(['no-such-user']), []);
    });

    it('updates role, name, byline role and the disabled flag; null for an unknown id', async () => {
      const user = await person('bob@newsroom.test', 'Bob Reporter');
      const updated = await store.transaction((tx) =>
        tx.updateUser(user.id, {
          role: 'contributor',
          name: 'Bob R',
          bylineRole: 'Night desk',
          disabled: true,
        }),
      );
      assert.deepEqual(
        {
          role: updated?.role,
          name: updated?.name,
          bylineRole: updated?.bylineRole,
          disabled: updated?.disabled,
        },
        { role: 'contributor', name: 'Bob R', bylineRole: 'Night desk', disabled: true },
      );
      assert.equal(
        await store.transaction((tx) => tx.updateUser('00000000000000000000', { role: 'admin' })),
        null,
      );
      await assert.rejects(
        store.transaction((tx) => tx.updateUser(user.id, { name: 'Ada Reporter' })),
        /name/,
      );
    });

    it('keeps sessions by hash: find with the user, list newest first, touch, delete one, by id, or all', async () => {
      const user = await person('cat@newsroom.test', 'Cat Reporter');
      const other = await person('dan@newsroom.test', 'Dan Reporter');
      await store.transaction(async (tx) => {
        await tx.insertSession(session(user.id, 's1', '2026-01-01T10:00:00.000Z'));
        await tx.insertSession(session(user.id, 's2', '2026-01-01T11:00:00.000Z'));
        await tx.insertSession(session(other.id, 's3', '2026-01-01T12:00:00.000Z'));
      });
      const found = await store.findSession('hash-s1');
      assert.equal(found?.user.id, user.id);
      const { hash: _, ...expected } = session(user.id, 's1', '2026-01-01T10:00:00.000Z');
      assert.deepEqual(found?.session, expected);
      assert.deepEqual(
        (await store.listSessions(user.id)).map((s) => s.id),
        ['s2', 's1'],
      );

      await store.transaction((tx) => tx.touchSession('hash-s1', '2026-01-01T13:00:00.000Z'));
      assert.equal(
        (await store.findSession('hash-s1'))?.session.lastSeenAt,
        '2026-01-01T13:00:00.000Z',
      );

      assert.equal(
        await store.transaction((tx) => tx.deleteSessionById(other.id, 's1')),
        false,
        "not another user's",
      );
      assert.equal(await store.transaction((tx) => tx.deleteSessionById(user.id, 's1')), true);
      assert.equal(await store.findSession('hash-s1'), null);
      await store.transaction((tx) => tx.deleteSession('hash-s2'));
      assert.equal(await store.findSession('hash-s2'), null);
      await store.transaction((tx) => tx.deleteUserSessions(other.id));
      assert.deepEqual(await store.listSessions(other.id), []);
    });

    it('uses a one-time link once, and not after it expires', async () => {
      const user = await person('eve@newsroom.test', 'Eve Reporter');
      await store.transaction(async (tx) => {
        await tx.insertLink({
          hash: 'l1',
          userId: user.id,
          purpose: 'set-password',
          expiresAt: '2026-01-02T00:00:00.000Z',
        });
        await tx.insertLink({
          hash: 'l2',
          userId: user.id,
          purpose: 'reset-password',
          expiresAt: '2026-01-02T00:00:00.000Z',
        });
      });
      assert.equal((await store.findLink('l1'))?.link.purpose, 'set-password');
      assert.equal((await store.findLink('l1'))?.user.id, user.id);
      const use = (hash: string, at: string) => store.transaction((tx) => tx.useLink(hash, at));
      assert.equal(await use('l1', '2026-01-01T00:00:00.000Z'), true);
      assert.equal(await use('l1', '2026-01-01T00:00:01.000Z'), false, 'used once');
      assert.equal((await store.findLink('l1'))?.link.usedAt, '2026-01-01T00:00:00.000Z');
      assert.equal(await use('l2', '2026-01-02T00:00:00.000Z'), false, 'expired');
      assert.equal(await use('nope', '2026-01-01T00:00:00.000Z'), false);
      assert.equal(await store.findLink('nope'), null);
    });

    it('revokes every live token of a user, and a disabled user has no active token', async () => {
      const user = await person('fay@newsroom.test', 'Fay Reporter');
      await store.transaction(async (tx) => {
        await tx.insertApiToken({
          id: 'tk1',
          userId: user.id,
          hash: 'th1',
          expiresAt: null,
          label: 'script',
        });
        await tx.insertApiToken({ id: 'tk2', userId: user.id, hash: 'th2', expiresAt: null });
      });
      const now = '2026-01-01T00:00:00.000Z';
      assert.equal((await store.findActiveToken('th1', now))?.tokenId, 'tk1');
      await store.transaction((tx) => tx.updateUser(user.id, { disabled: true }));
      assert.equal(await store.findActiveToken('th1', now), null, 'disabled: refused');
      await store.transaction((tx) => tx.updateUser(user.id, { disabled: false }));
      await store.transaction((tx) => tx.revokeUserTokens(user.id, now));
      assert.equal(await store.findActiveToken('th1', now), null);
      assert.equal(await store.findActiveToken('th2', now), null);
    });

    it("lists the desk's posts (drafts too, no deleted ones) newest first, and each page's last post time", async () => {
      const page = await store.transaction((tx) => tx.insertPage(aPage({ slug: 'desk-contract' })));
      await store.transaction(async (tx) => {
        await tx.insertPost(
          aPost(page.id, { headline: 'old', publishedAt: '2026-01-01T10:00:00.000Z' }),
        );
        await tx.insertPost(
          aPost(page.id, {
            headline: 'draft',
            status: 'draft',
            publishedAt: '2026-01-01T12:00:00.000Z',
          }),
        );
        await tx.insertPost(
          aPost(page.id, { headline: 'new', publishedAt: '2026-01-01T11:00:00.000Z' }),
        );
        await tx.insertPost(
          aPost(page.id, {
            headline: 'gone',
            status: 'deleted',
            publishedAt: '2026-01-01T13:00:00.000Z',
          }),
        );
      });
      assert.deepEqual(
        (await store.listDeskPosts(page.id, 10)).map((p) => p.headline),
        ['draft', 'new', 'old'],
      );
      assert.deepEqual(
        (await store.listDeskPosts(page.id, 2)).map((p) => p.headline),
        ['draft', 'new'],
      );
      const times = await store.lastPostTimes();
      assert.equal(times.get(page.id), '2026-01-01T11:00:00.000Z', 'published posts only');
    });
  });
}
