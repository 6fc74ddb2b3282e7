import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { redisUnavailable, TEST_REDIS_URL } from '../../test/support/redis.ts';
import { MemoryBoard } from './memory/memory-board.ts';
import type { PresenceBoard, PresenceEntry, PresenceReport } from './presence.ts';
import { RedisBoard } from './redis/redis-board.ts';

/** Two views of one board (two instances with Redis) and a way to let entries expire. */
interface Boards {
  here: PresenceBoard;
  there: PresenceBoard;
  /** Lets this fraction of the ttl pass. */
  pass(fraction: number): Promise<void>;
  close(): Promise<void>;
}

/** Resolves with the first list a watcher hears that `match`es, or fails after 3 s. */
function heard(
  board: PresenceBoard,
  pageId: string,
  match: (entries: PresenceEntry[]) => boolean,
): Promise<PresenceEntry[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('the watcher never heard the expected entries'));
    }, 3000);
    const stop = board.watch(pageId, (entries) => {
      if (!match(entries)) return;
      clearTimeout(timer);
      stop();
      resolve(entries);
    });
  });
}

const report = (over: Partial<PresenceReport> = {}): PresenceReport => ({
  connection: randomBytes(12).toString('base64url'),
  pageId: `page-${randomBytes(4).toString('hex')}`,
  userId: 'user-ana',
  name: 'Ana Lopez',
  activity: 'viewing',
  postId: null,
  ...over,
});

function contract(name: string, open: () => Promise<Boards>, skip: string | false) {
  describe(`presence board: ${name}`, { skip, timeout: 20_000 }, () => {
    const opened: Boards[] = [];
    after(() => Promise.all(opened.map((b) => b.close())));
    const boards = async () => {
      const b = await open();
      opened.push(b);
      return b;
    };

    it('a join reaches the watchers of every instance, and list shows it', async () => {
      const { here, there } = await boards();
      const ana = report();
      const hearing = heard(there, ana.pageId, (e) => e.length === 1);
      assert.equal(await here.put(ana, 'join'), 'changed');
      const [entry] = await hearing;
      assert.equal(entry?.name, 'Ana Lopez');
      assert.equal(entry?.activity, 'viewing');
      assert.equal(entry?.connection, ana.connection);
      assert.ok(!Number.isNaN(Date.parse(entry?.since ?? '')));
      assert.deepEqual(await there.list(ana.pageId), await here.list(ana.pageId));
      assert.deepEqual(await here.list('another-page'), []);
    });

    it('a heartbeat moves only the expiry; a new activity is announced with a new since', async () => {
      const b = await boards();
      const { here, there } = b;
      const ana = report();
      await here.put(ana, 'join');
      const [joined] = await here.list(ana.pageId);
      let announced = 0;
      const stop = there.watch(ana.pageId, () => (announced += 1));
      await b.pass(0.1);
      assert.equal(await here.put(ana, 'update'), 'same');
      const editing = heard(there, ana.pageId, (e) => e[0]?.activity === 'editing');
      assert.equal(
        await here.put({ ...ana, activity: 'editing', postId: 'p1' }, 'update'),
        'changed',
      );
      const [entry] = await editing;
      stop();
      assert.equal(entry?.postId, 'p1');
      assert.ok((entry?.since ?? '') > (joined?.since ?? ''), 'since moved with the activity');
      assert.equal(announced, 1, 'only the change was announced, not the heartbeat');
    });

    it('refuses to update what is not there, or is someone else’s', async () => {
      const { here } = await boards();
      const ana = report();
      assert.equal(await here.put(ana, 'update'), 'missing');
      assert.deepEqual(await here.list(ana.pageId), []);
      await here.put(ana, 'join');
      assert.equal(
        await here.put({ ...ana, userId: 'user-bo', activity: 'editing', postId: 'p' }, 'update'),
        'missing',
      );
      assert.equal((await here.list(ana.pageId))[0]?.activity, 'viewing');
    });

    it('a tab that leaves is gone for everyone at once', async () => {
      const { here, there } = await boards();
      const ana = report();
      const bo = report({ pageId: ana.pageId, userId: 'user-bo', name: 'Bo Chen' });
      await here.put(ana, 'join');
      await there.put(bo, 'join');
      const left = heard(there, ana.pageId, (e) => e.length === 1);
      await here.remove(ana.pageId, ana.connection);
      assert.deepEqual(
        (await left).map((e) => e.name),
        ['Bo Chen'],
      );
    });

    it('drops an entry whose heartbeats stop, and tells the watchers', async () => {
      const b = await boards();
      const ana = report({ activity: 'editing', postId: 'p1' });
      const bo = report({ pageId: ana.pageId, userId: 'user-bo', name: 'Bo Chen' });
      await b.here.put(ana, 'join');
      await b.there.put(bo, 'join');
      const gone = heard(b.there, ana.pageId, (e) => e.length === 1);
      // Bo's tab answers its ping in time; Ana's is silent (her tab crashed, her laptop slept).
      await b.pass(0.7);
      assert.equal(await b.there.put(bo, 'update'), 'same');
      await b.pass(0.5);
      assert.deepEqual(
        (await gone).map((e) => e.name),
        ['Bo Chen'],
      );
      assert.equal(await b.here.put(ana, 'update'), 'missing', 'an expired tab must rejoin');
    });
  });
}

contract(
  'memory',
  async () => {
    // Expiry follows the (test) clock; the sweep runs every ttl/3 of real time.
    let now = Date.parse('2026-12-01T08:00:00.000Z');
    const ttlMs = 300;
    const board = new MemoryBoard({ ttlMs, now: () => new Date(now) });
    return {
      here: board,
      there: board,
      pass: async (fraction) => {
        now += fraction * ttlMs;
      },
      close: () => board.close(),
    };
  },
  false,
);

const redisSkip = (await redisUnavailable()) ?? false;
contract(
  'redis, two instances',
  async () => {
    // Real time: Redis expires by its own clock.
    const ttlMs = 600;
    const prefix = `liveline:test:${randomBytes(4).toString('hex')}:`;
    const here = RedisBoard.connect(TEST_REDIS_URL, { ttlMs, prefix });
    const there = RedisBoard.connect(TEST_REDIS_URL, { ttlMs, prefix });
    assert.ok((await here.ready()) && (await there.ready()), 'Redis boards did not connect');
    return {
      here,
      there,
      pass: (fraction) => new Promise((resolve) => setTimeout(resolve, fraction * ttlMs)),
      close: async () => {
        await Promise.all([here.close(), there.close()]);
      },
    };
  },
  redisSkip,
);
