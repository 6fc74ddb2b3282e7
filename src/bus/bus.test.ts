import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { redisUnavailable, TEST_REDIS_URL as REDIS_URL } from '../../test/support/redis.ts';
import type { ChangeBus, ChangeNotice } from './bus.ts';
import { MemoryBus } from './memory/memory-bus.ts';
import { RedisBus } from './redis/redis-bus.ts';

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
