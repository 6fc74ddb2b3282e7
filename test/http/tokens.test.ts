import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createToken, listTokens, revokeToken } from '../../src/services/tokens.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

for (const adapter of await adapters()) {
  describe(
    `tokens expire, are revoked and keep their role: ${adapter.name}`,
    { skip: adapter.skip, timeout: 60_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      const write = (token: string, slug: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/pages',
          headers: { authorization: `Bearer ${token}` },
          payload: { slug, title: 'T' },
        });

      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestApp(opened.store);
      });
      after(async () => {
        await t.app.close();
        await drop();
      });

      it('refuses a revoked token at once, and only that token', async () => {
        const first = await createToken(t.services, 'Desk Editor', 'editor');
        const second = await createToken(t.services, 'Desk Editor', 'editor');
        assert.equal((await write(first.token, 'before-revoke')).statusCode, 201);
        await revokeToken(t.services, first.id);
        const refused = await write(first.token, 'after-revoke');
        assert.equal(refused.statusCode, 401);
        assert.equal(refused.json<{ code: string }>().code, 'UNAUTHENTICATED');
        assert.equal((await t.call(null, 'GET', '/api/pages/after-revoke')).statusCode, 404);
        assert.equal((await write(second.token, 'other-token')).statusCode, 201);
        const listed = (await listTokens(t.services)).find((x) => x.id === first.id);
        assert.ok(listed?.revokedAt, 'the list shows when it was revoked');
      });

      it('refuses an expired token', async () => {
        const short = await createToken(t.services, 'Night Editor', 'editor', { expiresInMs: 300 });
        assert.equal((await write(short.token, 'in-time')).statusCode, 201);
        await sleep(400);
        assert.equal((await write(short.token, 'too-late')).statusCode, 401);
        assert.equal((await t.call(null, 'GET', '/api/pages/too-late')).statusCode, 404);
      });

      it('lists tokens with their user, role and last use, never a secret or hash', async () => {
        const made = await createToken(t.services, 'List Editor', 'editor', {
          expiresInMs: 86_400_000,
        });
        await write(made.token, 'listed');
        const listed = (await listTokens(t.services)).find((x) => x.id === made.id);
        assert.ok(listed);
        assert.equal(listed.userName, 'List Editor');
        assert.equal(listed.role, 'editor');
        assert.ok(listed.lastUsedAt, 'last use recorded');
        assert.equal(listed.expiresAt, made.expiresAt);
        const text = JSON.stringify(await listTokens(t.services));
        assert.ok(!text.includes(made.token) && !text.includes(made.token.slice(3)));
      });

      it('records when a token was last used, at most once a minute', async () => {
        const made = await createToken(t.services, 'Busy Editor', 'editor');
        const lastUsed = async () =>
          (await listTokens(t.services)).find((x) => x.id === made.id)?.lastUsedAt;
        try {
          t.clock.set('2026-05-04T09:00:00.000Z');
          assert.equal((await write(made.token, 'busy-1')).statusCode, 201);
          assert.equal(await lastUsed(), '2026-05-04T09:00:00.000Z');
          t.clock.set('2026-05-04T09:00:59.999Z');
          assert.equal((await write(made.token, 'busy-2')).statusCode, 201);
          assert.equal(
            await lastUsed(),
            '2026-05-04T09:00:00.000Z',
            'not written again within the minute',
          );
          t.clock.set('2026-05-04T09:01:00.000Z');
          assert.equal((await write(made.token, 'busy-3')).statusCode, 201);
          assert.equal(
            await lastUsed(),
            '2026-05-04T09:01:00.000Z',
            'written again a minute later',
          );
        } finally {
          t.clock.release();
        }
      });

      it('refuses a token with another role than its user has, leaving their tokens as they were', async () => {
        const editor = await createToken(t.services, 'Role Keeper', 'editor');
        await assert.rejects(createToken(t.services, 'Role Keeper', 'contributor'), {
          code: 'VALIDATION_FAILED',
          problems: [{ field: '--role', reason: 'Role Keeper is an editor' }],
          message:
            "Role Keeper is an editor, and a token acts with its user's role: ask for --role editor, or use another name for a contributor.",
        });
        await assert.rejects(createToken(t.services, 'Role Keeper', 'admin'), {
          message:
            "Role Keeper is an editor, and a token acts with its user's role: ask for --role editor, or use another name for an admin.",
        });
        // Still an editor: editors may create pages, contributors may not.
        assert.equal((await write(editor.token, 'still-editor')).statusCode, 201);
        const roles = (await listTokens(t.services)).filter((x) => x.userName === 'Role Keeper');
        assert.deepEqual(
          roles.map((x) => x.role),
          ['editor'],
        );
      });

      it('refuses to revoke a token id that does not exist, naming it', async () => {
        await assert.rejects(revokeToken(t.services, 'no-such-token'), {
          code: 'VALIDATION_FAILED',
          message: 'No token has the id "no-such-token".',
          problems: [{ field: 'id', reason: 'is not the id of a token' }],
        });
      });
    },
  );
}
