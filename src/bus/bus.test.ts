import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { ownServersUnavailable, startOwnRedis } from '../../test/support/own-servers.ts';
import { redisUnavailable, TEST_REDIS_URL as REDIS_URL } from '../../test/support/redis.ts';
import type { ChangeBus, ChangeNotice } from './bus.ts';
import { MemoryBus } from './memory/memory-bus.ts';
import { RedisBus } from './redis/redis-bus.ts';

/** A real pino logger whose JSON lines are kept for the test to read. */
function recordingLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

const waitFor = (received: ChangeNotice[], count: number) =>
  new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (received.length >= count) return resolve();
      if (Date.now() - started > 3000)
        return reject(new Error(`only ${received.length} notices arrived`));
      setTimeout(check, 10);
    };
    check();
  });

describe('memory bus', () => {
  it('delivers notices to every listener until it unsubscribes', async () => {
    const bus = new MemoryBus();
    const a: ChangeNotice[] = [];
    const b: ChangeNotice[] = [];
    const stopA = bus.subscribe((n) => a.push(n));
    bus.subscribe((n) => b.push(n));
    await bus.announce({ pageId: 'p', seq: 1 });
    stopA();
    await bus.announce({ pageId: 'p', seq: 2 });
    assert.deepEqual(a, [{ pageId: 'p', seq: 1 }]);
    assert.deepEqual(
      b.map((n) => n.seq),
      [1, 2],
    );
  });

  it('keeps delivering to the other listeners when one throws, and logs it', async () => {
    const { log, lines } = recordingLog();
    const bus = new MemoryBus(log);
    const heard: number[] = [];
    bus.subscribe(() => {
      throw new Error('listener bug');
    });
    bus.subscribe((n) => heard.push(n.seq));
    await bus.announce({ pageId: 'p', seq: 1 });
    assert.deepEqual(heard, [1]);
    assert.equal(lines.length, 1);
    assert.equal(bus.healthy(), true);
  });
});

// A Redis of the test's own, absent at first, then started, then killed, then started again.
const noOwnRedis = ownServersUnavailable({ redis: true }) ?? false;
describe('redis bus while Redis comes and goes', { skip: noOwnRedis, timeout: 30_000 }, () => {
  it('starts without Redis, never waits for it, and reports each change of health once', async () => {
    const redis = await startOwnRedis({ running: false });
    const { log, lines } = recordingLog();
    const [a, b] = await Promise.all([
      RedisBus.connect(redis.url, { log }),
      RedisBus.connect(redis.url, { log }),
    ]);
    try {
      assert.equal(a.healthy(), false);
      const changes: boolean[] = [];
      a.onHealthChange((healthy) => changes.push(healthy));
      for (let i = 0; i < 20; i++) {
        const started = Date.now();
        await a.announce({ pageId: 'p', seq: i });
        assert.ok(Date.now() - started < 20, 'announce waited for an absent Redis');
      }

      await redis.start();
      const waitHealthy = async (bus: RedisBus, want: boolean) => {
        const started = Date.now();
        while (bus.healthy() !== want) {
          if (Date.now() - started > 8000) throw new Error(`bus never became ${want}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      await waitHealthy(a, true);
      await waitHealthy(b, true);
      const onB: ChangeNotice[] = [];
      b.subscribe((n) => onB.push(n));
      await a.announce({ pageId: 'p', seq: 100 });
      await waitFor(onB, 1);

      await redis.kill();
      await waitHealthy(a, false);
      const started = Date.now();
      await a.announce({ pageId: 'p', seq: 101 });
      assert.ok(Date.now() - started < 20);
      // ioredis retries many times while Redis is away; that is logged once, not per retry.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await redis.start();
      await waitHealthy(a, true);
      await waitHealthy(b, true);
      onB.length = 0;
      await a.announce({ pageId: 'p', seq: 102 });
      await waitFor(onB, 1);
      assert.deepEqual(onB, [{ pageId: 'p', seq: 102 }]);
      assert.deepEqual(changes, [true, false, true]);
      const downs = lines.filter((l) => l.bus === 'down');
      // Two buses: each logged "down" at start and once for the outage.
      assert.equal(downs.length, 4, JSON.stringify(lines.map((l) => l.msg)));
    } finally {
      await Promise.all([a.close(), b.close()]);
      await redis.destroy();
    }
  });
});

const skip = (await redisUnavailable()) ?? false;
describe('redis bus', { skip }, () => {
  const channel = `liveline:test:${randomBytes(4).toString('hex')}`;
  const buses: ChangeBus[] = [];
  after(() => Promise.all(buses.map((b) => b.close())));

  it('carries a notice from one instance to the others, and to itself', async () => {
    const a = await RedisBus.connect(REDIS_URL, { channel });
    const b = await RedisBus.connect(REDIS_URL, { channel });
    buses.push(a, b);
    const onA: ChangeNotice[] = [];
    const onB: ChangeNotice[] = [];
    a.subscribe((n) => onA.push(n));
    b.subscribe((n) => onB.push(n));
    await a.announce({ pageId: 'page-1', seq: 7 });
    await waitFor(onB, 1);
    await waitFor(onA, 1);
    assert.deepEqual(onB, [{ pageId: 'page-1', seq: 7 }]);
    assert.deepEqual(onA, [{ pageId: 'page-1', seq: 7 }]);
  });

  it('ignores malformed messages on the channel', async () => {
    const bus = await RedisBus.connect(REDIS_URL, { channel });
    buses.push(bus);
    const received: ChangeNotice[] = [];
    bus.subscribe((n) => received.push(n));
    const raw = new Redis(REDIS_URL);
    await raw.publish(channel, 'not json');
    await raw.publish(channel, JSON.stringify({ pageId: 'p', seq: 'x' }));
    await raw.publish(channel, JSON.stringify({ pageId: 'p', seq: 3 }));
    raw.disconnect();
    await waitFor(received, 1);
    assert.deepEqual(received, [{ pageId: 'p', seq: 3 }]);
  });
});
