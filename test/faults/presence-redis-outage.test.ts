import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RedisBoard } from '../../src/presence/redis/redis-board.ts';
import { openStream } from '../support/event-stream.ts';
import { ownServersUnavailable, startOwnRedis } from '../support/own-servers.ts';
import { createPerson, signIn } from '../support/people.ts';
import { startTestServer } from '../support/server.ts';

const skip = ownServersUnavailable({ redis: true }) ?? false;

/**
 * Presence is best-effort: with its Redis away the desk and its stream work as before, a
 * report is a quick 503 with Retry-After, and presence comes back with Redis, no restart.
 */
describe('presence while its Redis comes and goes', { skip, timeout: 60_000 }, () => {
  it('answers 503 quickly without Redis, keeps the stream, and recovers', async () => {
    const redis = await startOwnRedis({ running: false });
    const board = RedisBoard.connect(redis.url, { ttlMs: 3_000 });
    const t = await startTestServer(undefined, { presence: { board } });
    try {
      await t.call('editor', 'POST', '/api/pages', { slug: 'away', title: 'Away', status: 'live' });
      const one = await createPerson(t, { name: 'Ana Lopez' });
      const two = await createPerson(t, { name: 'Bo Chen' });
      const ana = await signIn(t.url, one.email, one.password);
      const bo = await signIn(t.url, two.email, two.password);
      const open = async (cookie: string) => {
        const stream = await openStream(`${t.url}/desk/api/pages/away/events`, { cookie });
        const first = await stream.waitFor((e) => e.event === 'changed', 3000);
        return {
          stream,
          connection: (JSON.parse(first.data) as { connection: string }).connection,
        };
      };
      const report = (desk: typeof ana, connection: string) =>
        fetch(`${t.url}/desk/api/pages/away/presence`, {
          method: 'PUT',
          headers: { ...desk.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ connection, activity: 'writing' }),
        });

      const lonely = await open(ana.cookie);
      const started = Date.now();
      const refused = await report(ana, lonely.connection);
      assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '5');
      assert.equal(((await refused.json()) as { code: string }).code, 'PRESENCE_UNAVAILABLE');
      assert.equal(lonely.stream.ended(), false, 'the desk stream lives on without presence');
      lonely.stream.close();

      await redis.start();
      assert.ok(await board.ready(10_000), 'the board reconnected by itself');
      const a = await open(ana.cookie);
      const b = await open(bo.cookie);
      assert.equal((await report(bo, b.connection)).status, 204);
      await a.stream.waitFor(
        (e) => e.event === 'presence' && /"name":"Bo Chen","activity":"writing"/.test(e.data),
        3000,
      );

      await redis.kill();
      assert.equal((await report(bo, b.connection)).status, 503);
      assert.equal(a.stream.ended(), false);
      a.stream.close();
      b.stream.close();
    } finally {
      await t.close();
      await board.close();
      await redis.destroy();
    }
  });
});
