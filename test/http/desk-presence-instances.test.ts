import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RedisBoard } from '../../src/presence/redis/redis-board.ts';
import { openStream, type OpenStream } from '../support/event-stream.ts';
import { aParagraph } from '../support/factories.ts';
import { createPerson, signIn, type DeskSession } from '../support/people.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { redisUnavailable, TEST_REDIS_URL } from '../support/redis.ts';
import { type TestServer } from '../support/server.ts';
import { twoInstances } from '../support/two-instances.ts';

const skip = (await postgresUnavailable()) ?? (await redisUnavailable()) ?? false;

type Others = { name: string; activity: string; postId: string | null }[];

async function presenceOn(stream: OpenStream, match: (others: Others) => boolean) {
  const deadline = Date.now() + 3000;
  for (;;) {
    const last = stream.events.filter((e) => e.event === 'presence').at(-1);
    const others = last ? (JSON.parse(last.data) as { others: Others }).others : null;
    if (others && match(others)) return others;
    if (Date.now() > deadline) throw new Error(`no matching presence; last: ${last?.data}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Two instances of one newsroom (one PostgreSQL schema, one Redis): desks on different
 * instances see each other, a report may land on either instance, and an instance that dies
 * leaves its desks' entries for a ttl at most.
 */
describe('presence across instances over Redis', { skip, timeout: 60_000 }, () => {
  let a: TestServer;
  let b: TestServer;
  let boardB: RedisBoard;
  let close: () => Promise<void>;
  let postId: string;
  let ana: DeskSession;
  let bo: DeskSession;
  before(async () => {
    ({ a, b, close } = await twoInstances(async (tag, onClose) => {
      const prefix = `liveline:test:${tag}:`;
      const boardA = RedisBoard.connect(TEST_REDIS_URL, { prefix, ttlMs: 900 });
      boardB = RedisBoard.connect(TEST_REDIS_URL, { prefix, ttlMs: 900 });
      onClose(() => boardA.close());
      onClose(() => boardB.close());
      assert.ok((await boardA.ready()) && (await boardB.ready()));
      return [{ presence: { board: boardA } }, { presence: { board: boardB } }];
    }));
    const post = await a.call('editor', 'POST', '/api/pages/shared/posts', {
      headline: 'Shared post',
      body: [aParagraph('x')],
    });
    postId = post.json<{ id: string }>().id;
    const one = await createPerson(a, { role: 'editor', name: 'Ana Lopez' });
    const two = await createPerson(a, { role: 'editor', name: 'Bo Chen' });
    ana = await signIn(a.url, one.email, one.password);
    bo = await signIn(b.url, two.email, two.password);
  });
  after(() => close());

  const open = async (on: TestServer, desk: DeskSession) => {
    const stream = await openStream(`${on.url}/desk/api/pages/shared/events`, {
      cookie: desk.cookie,
    });
    const first = await stream.waitFor((e) => e.event === 'changed', 3000);
    return { stream, connection: (JSON.parse(first.data) as { connection: string }).connection };
  };
  const report = (on: TestServer, desk: DeskSession, body: unknown) =>
    fetch(`${on.url}/desk/api/pages/shared/presence`, {
      method: 'PUT',
      headers: { ...desk.headers, origin: on.url, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('desks on two instances see each other, whichever instance hears the report', async () => {
    const onA = await open(a, ana);
    const onB = await open(b, bo);
    try {
      assert.deepEqual(
        (await presenceOn(onA.stream, (o) => o.length === 1)).map((o) => o.name),
        ['Bo Chen'],
      );
      assert.deepEqual(
        (await presenceOn(onB.stream, (o) => o.length === 1)).map((o) => o.name),
        ['Ana Lopez'],
      );
      // Bo's stream is on b; his report goes through a (a load balancer may do that).
      const res = await report(a, bo, { connection: onB.connection, activity: 'editing', postId });
      assert.equal(res.status, 204);
      const locked = await presenceOn(onA.stream, (o) => o[0]?.activity === 'editing');
      assert.equal(locked[0]?.postId, postId);
      onB.stream.close();
      await presenceOn(onA.stream, (o) => o.length === 0);
    } finally {
      onA.stream.close();
      onB.stream.close();
    }
  });

  it('an instance that dies leaves its desks behind for a ttl at most', async () => {
    const onA = await open(a, ana);
    const onB = await open(b, bo);
    // Ana's desk answers its pings; b is about to lose Redis, so Bo's entry gets no heartbeat.
    const answering = setInterval(() => {
      void report(a, ana, { connection: onA.connection, activity: 'viewing' });
    }, 150);
    try {
      await presenceOn(onA.stream, (o) => o.length === 1);
      // b "dies": its board stops talking to Redis, so its stream's close removes nothing.
      await boardB.close();
      onB.stream.close();
      const started = Date.now();
      await presenceOn(onA.stream, (o) => o.length === 0);
      const took = Date.now() - started;
      assert.ok(took < 2000, `Bo's entry outlived b by ${took} ms`);
      assert.ok(took > 200, 'it expired; nothing removed it (b was gone)');
    } finally {
      clearInterval(answering);
      onA.stream.close();
    }
  });
});
