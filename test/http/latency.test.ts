import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StreamClockEvent } from '../../src/render/live-event-types.ts';
import type { LatencyView } from '../../src/realtime/latency/latency-board.ts';
import { adapters } from '../support/adapters.ts';
import { openStream } from '../support/event-stream.ts';
import { aParagraph } from '../support/factories.ts';
import { scrape } from '../support/metrics.ts';
import { createPerson, signIn } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** Polls `read` until `done` holds, failing after `ms`. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 3_000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) assert.fail(`not reached in ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Within the histogram's 2.5 % (and half a millisecond below 1 ms). */
function near(actual: number | null, expected: number) {
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= Math.max(0.5, expected * 0.026),
    `${actual} is not about ${expected}`,
  );
}

for (const adapter of await adapters()) {
  describe(
    `publish-to-screen reports and the latency panel: ${adapter.name}`,
    { skip: adapter.skip, timeout: 60_000 },
    () => {
      let t: TestServer;
      let drop: () => Promise<void>;
      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestServer(opened.store, { latency: { sampleRate: 0.5 } });
      });
      after(async () => {
        await t?.close();
        await drop?.();
      });

      async function pageWithPosts(slug: string, posts: number) {
        await t.call('editor', 'POST', '/api/pages', { slug, title: slug, status: 'live' });
        for (let n = 1; n <= posts; n++) {
          const res = await t.call('editor', 'POST', `/api/pages/${slug}/posts`, {
            headline: `Update ${n}`,
            body: [aParagraph('Text.')],
          });
          assert.equal(res.statusCode, 201);
        }
      }
      const report = (slug: string, body: unknown, headers: Record<string, string> = {}) =>
        t.app.inject({
          method: 'POST',
          url: `/live/${slug}/latency`,
          headers: { 'content-type': 'application/json', ...headers },
          payload: typeof body === 'string' ? body : JSON.stringify(body),
        });
      const figures = async (slug: string) => {
        const res = await t.call('editor', 'GET', `/desk/api/pages/${slug}/latency`);
        assert.equal(res.statusCode, 200, res.body);
        return res.json<LatencyView>();
      };

      it('accepts reports anonymously (204, no cookie) and shows them at the desk', async () => {
        await pageWithPosts('summit', 3);
        const empty = await figures('summit');
        assert.deepEqual(empty, {
          readers: 0,
          p50: null,
          p99: null,
          samples: 0,
          windowSeconds: 300,
        });
        // A desk session cookie sent along is neither read nor answered.
        const person = await createPerson(t, { role: 'editor' });
        const desk = await signIn(t, person.email, person.password);
        const res = await report(
          'summit',
          [
            { seq: 1, ms: 120 },
            { seq: 2, ms: 130 },
            { seq: 3, ms: 480 },
          ],
          { cookie: desk.cookie },
        );
        assert.equal(res.statusCode, 204, res.body);
        assert.equal(res.headers['set-cookie'], undefined);
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.equal(res.body, '');
        // Slightly below zero is the page's clock estimate, not a delay: counted as none.
        assert.equal((await report('summit', [{ seq: 3, ms: -40 }])).statusCode, 204);
        const seen = await figures('summit');
        assert.equal(seen.samples, 4);
        assert.equal(seen.readers, 0);
        near(seen.p50, 120);
        near(seen.p99, 480);
        assert.equal(seen.windowSeconds, 300);
        // Prometheus sees the same delays, in seconds.
        const metrics = await scrape(t.url);
        assert.match(metrics, /^liveline_publish_to_screen_seconds_count 4$/m);
        assert.match(metrics, /^liveline_publish_to_screen_seconds_bucket\{le="0\.5"\} 4$/m);
        assert.match(metrics, /^liveline_publish_to_screen_seconds_bucket\{le="0\.25"\} 3$/m);
        // The desk's figures are per page.
        await pageWithPosts('other-story', 1);
        assert.equal((await figures('other-story')).samples, 0);
      });

      it('refuses oversize and invalid reports with a clear problem, recording nothing', async () => {
        await pageWithPosts('refusals', 2);
        const refused: [unknown, number, string][] = [
          [[{ seq: 1, ms: 700_000 }], 422, 'VALIDATION_FAILED'],
          [[{ seq: 1, ms: -5_000 }], 422, 'VALIDATION_FAILED'],
          [[{ seq: 1, ms: 10, reader: 'r-123' }], 422, 'VALIDATION_FAILED'],
          [[{ seq: 0, ms: 10 }], 422, 'VALIDATION_FAILED'],
          [[{ seq: 9, ms: 10 }], 422, 'VALIDATION_FAILED'],
          [[], 422, 'VALIDATION_FAILED'],
          [Array.from({ length: 21 }, () => ({ seq: 1, ms: 10 })), 422, 'VALIDATION_FAILED'],
          [{ seq: 1, ms: 10 }, 422, 'VALIDATION_FAILED'],
          ['[{"seq":1,', 400, 'MALFORMED_JSON'],
          [`[{"seq":1,"ms":1}${' '.repeat(2_100)}]`, 413, 'BODY_TOO_LARGE'],
        ];
        for (const [body, status, code] of refused) {
          const res = await report('refusals', body);
          assert.equal(res.statusCode, status, `${JSON.stringify(body).slice(0, 60)}: ${res.body}`);
          assert.match(String(res.headers['content-type']), /application\/problem\+json/);
          assert.equal(res.json<{ code: string }>().code, code);
        }
        const future = await report('refusals', [{ seq: 9, ms: 10 }]);
        assert.match(future.json<{ detail: string }>().detail, /seq/);
        const text = await t.app.inject({
          method: 'POST',
          url: '/live/refusals/latency',
          headers: { 'content-type': 'text/plain' },
          payload: '[{"seq":1,"ms":10}]',
        });
        assert.equal(text.statusCode, 415);
        assert.equal((await report('no-such-page', [{ seq: 1, ms: 10 }])).statusCode, 404);
        assert.equal((await figures('refusals')).samples, 0);
      });

      it('keeps 5 minutes of reports: older ones leave the figures', async () => {
        await pageWithPosts('window', 1);
        t.clock.set('2026-12-01T09:00:00.000Z');
        try {
          assert.equal((await report('window', [{ seq: 1, ms: 90 }])).statusCode, 204);
          t.clock.set('2026-12-01T09:04:00.000Z');
          assert.equal((await report('window', [{ seq: 1, ms: 300 }])).statusCode, 204);
          assert.equal((await figures('window')).samples, 2);
          t.clock.set('2026-12-01T09:05:30.000Z');
          const later = await figures('window');
          assert.equal(later.samples, 1);
          near(later.p50, 300);
          t.clock.set('2026-12-01T09:09:30.000Z');
          assert.deepEqual(await figures('window'), {
            readers: 0,
            p50: null,
            p99: null,
            samples: 0,
            windowSeconds: 300,
          });
        } finally {
          t.clock.release();
        }
      });

      it('counts the readers connected now, and tells each its clock and how to report', async () => {
        await pageWithPosts('readers', 2);
        const url = `${t.url}/live/readers/events`;
        const first = await openStream(url);
        const second = await openStream(url);
        try {
          const { readers } = await eventually(
            () => figures('readers'),
            (view) => view.readers === 2,
          );
          assert.equal(readers, 2);
          await eventually(
            async () => first.clocks.length,
            (n) => n === 1,
          );
          const clock = JSON.parse(first.clocks[0]?.data ?? '{}') as StreamClockEvent;
          assert.ok(Math.abs(clock.now - Date.now()) < 2_000, `server clock ${clock.now}`);
          assert.ok(clock.received <= clock.now);
          assert.equal(clock.seq, 2);
          assert.equal(clock.sampleRate, 0.5);
          assert.equal(clock.reportEveryMs, 10_000);
          assert.equal(clock.reportUrl, '/live/readers/latency');
          // The clock is this connection's own; change frames stay shared and carry `at`.
          await t.call('editor', 'POST', '/api/pages/readers/posts', {
            headline: 'Live now',
            body: [aParagraph('Text.')],
          });
          const change = await first.waitFor((e) => e.id === '3', 3_000);
          assert.match(JSON.parse(change.data).at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          assert.equal(first.clocks.length, 1);
        } finally {
          first.close();
          second.close();
        }
        await eventually(
          () => figures('readers'),
          (view) => view.readers === 0,
        );
      });

      it('answers the desk route only to signed-in people', async () => {
        await pageWithPosts('private-figures', 0);
        const res = await t.call(null, 'GET', '/desk/api/pages/private-figures/latency');
        assert.equal(res.statusCode, 401);
        assert.equal(res.json<{ code: string }>().code, 'UNAUTHENTICATED');
        const missing = await t.call('editor', 'GET', '/desk/api/pages/nowhere/latency');
        assert.equal(missing.statusCode, 404);
      });
    },
  );
}

describe('latency reports per address', { timeout: 30_000 }, () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    await t.call('editor', 'POST', '/api/pages', { slug: 'busy', title: 'Busy', status: 'live' });
    await t.call('editor', 'POST', '/api/pages/busy/posts', {
      headline: 'One',
      body: [aParagraph('Text.')],
    });
  });
  after(() => t?.close());

  it('are limited: past the limit a 429 with Retry-After, and nothing more is counted', async () => {
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/live/busy/latency',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify([{ seq: 1, ms: 50 }]),
      });
    let accepted = 0;
    let limited = null;
    for (let n = 0; n < 130 && !limited; n++) {
      const res = await send();
      if (res.statusCode === 204) accepted++;
      else limited = res;
    }
    assert.equal(accepted, 120);
    assert.equal(limited?.statusCode, 429);
    assert.equal(limited?.json<{ code: string }>().code, 'RATE_LIMITED');
    assert.ok(Number(limited?.headers['retry-after']) > 0);
    const view = await t.call('editor', 'GET', '/desk/api/pages/busy/latency');
    assert.equal(view.json<LatencyView>().samples, 120);
  });
});
