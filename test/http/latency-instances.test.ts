import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LatencyView } from '../../src/realtime/latency/latency-board.ts';
import { openStream, type OpenStream } from '../support/event-stream.ts';
import { aParagraph } from '../support/factories.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { redisUnavailable, TEST_REDIS_URL } from '../support/redis.ts';
import { type TestServer } from '../support/server.ts';
import { twoInstances } from '../support/two-instances.ts';

const skip = (await postgresUnavailable()) ?? (await redisUnavailable()) ?? false;

/**
 * Two instances of one newsroom (one PostgreSQL schema, one Redis): the latency panel on
 * either shows the readers of both and the delays reported to both.
 */
describe('the latency panel across instances', { skip, timeout: 60_000 }, () => {
  let a: TestServer;
  let b: TestServer;
  let close: () => Promise<void>;
  before(async () => {
    ({ a, b, close } = await twoInstances(async (tag) => {
      const latency = {
        redisUrl: TEST_REDIS_URL,
        redisPrefix: `liveline-reach-${tag}`,
        publishMs: 50,
      };
      return [{ latency }, { latency }];
    }));
    for (const headline of ['One', 'Two']) {
      await a.call('editor', 'POST', '/api/pages/shared/posts', {
        headline,
        body: [aParagraph('Text.')],
      });
    }
  });
  after(() => close());

  const figures = async (t: TestServer) => {
    const res = await t.call('editor', 'GET', '/desk/api/pages/shared/latency');
    assert.equal(res.statusCode, 200, res.body);
    return res.json<LatencyView>();
  };
  async function eventually(t: TestServer, done: (view: LatencyView) => boolean) {
    const until = Date.now() + 5_000;
    for (;;) {
      const view = await figures(t);
      if (done(view)) return view;
      if (Date.now() > until) assert.fail(`not reached: ${JSON.stringify(view)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  const report = (t: TestServer, delays: number[]) =>
    t.app.inject({
      method: 'POST',
      url: '/live/shared/latency',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(delays.map((ms) => ({ seq: 2, ms }))),
    });

  it('sums readers and merges delays from both, and forgets an instance that stops', async () => {
    const streams: OpenStream[] = [
      await openStream(`${a.url}/live/shared/events`),
      await openStream(`${b.url}/live/shared/events`),
      await openStream(`${b.url}/live/shared/events`),
    ];
    try {
      assert.equal((await report(a, [100, 100, 100])).statusCode, 204);
      assert.equal((await report(b, [900])).statusCode, 204);
      for (const t of [a, b]) {
        const view = await eventually(t, (v) => v.readers === 3 && v.samples === 4);
        assert.ok(view.p50 !== null && Math.abs(view.p50 - 100) <= 3, `p50 ${view.p50}`);
        assert.ok(view.p99 !== null && Math.abs(view.p99 - 900) <= 23, `p99 ${view.p99}`);
      }
      // Readers leaving b are gone from a's figures at b's next publish.
      streams[1]?.close();
      streams[2]?.close();
      await eventually(a, (v) => v.readers === 1 && v.samples === 4);
    } finally {
      for (const stream of streams) stream.close();
    }
    // b stops: its delays leave a's figures with its entry in Redis.
    await b.app.close();
    const alone = await eventually(a, (v) => v.samples === 3);
    assert.equal(alone.readers, 0);
  });
});
