import { scrape } from '../support/metrics.ts';
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { within } from '../support/deadline.ts';
import { aParagraph, aPost } from '../support/factories.ts';
import { readEvents, startTestServer, type TestServer } from '../support/server.ts';
import { connectSqlite } from '../../src/store/sqlite/connect.ts';
import type { Store } from '../../src/store/store.ts';

/** Opens a stream from `localAddress`; resolves with the response once its head arrives. */
function openStream(
  url: string,
  localAddress = '127.0.0.1',
): Promise<{
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Promise<string>;
  close: () => void;
}> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { localAddress, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      const body = new Promise<string>((done) => {
        res.on('end', () => done(text));
        res.on('close', () => done(text));
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body,
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error('timed out')));
  });
}

/** Reads one stream until its first change event; returns its id and parsed data. */
async function firstChange(url: string): Promise<{ id: number; data: Record<string, unknown> }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    const res = await fetch(url, { signal: controller.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended before a change');
      buffer += decoder.decode(value, { stream: true });
      const match = /event: change\nid: (\d+)\ndata: (.*)\n\n/.exec(buffer);
      if (match) return { id: Number(match[1]), data: JSON.parse(match[2] ?? '{}') };
    }
  } catch (error) {
    if (controller.signal.aborted) throw new Error(`no change event from ${url} within 10000 ms`);
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

const metric = async (s: TestServer, name: string): Promise<number> => {
  const text = await scrape(s.url);
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').at(-1)) : 0;
};

describe('event streams are bounded per client address and in total', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(undefined, { streams: { perAddress: 3, total: 5 } });
    await s.call('editor', 'POST', '/api/pages', { slug: 'busy', title: 'Busy', status: 'live' });
  });
  after(() => s.close());

  it(
    'refuses the stream past the bound with problem+json and Retry-After',
    { timeout: 20_000 },
    async () => {
      const url = `${s.url}/live/busy/events`;
      const first = await Promise.all([1, 2, 3].map(() => openStream(url)));
      assert.deepEqual(
        first.map((r) => r.status),
        [200, 200, 200],
      );
      const refused = await openStream(url);
      assert.equal(refused.status, 429);
      assert.match(refused.headers['content-type'] ?? '', /^application\/problem\+json/);
      assert.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After names a wait');
      const problem = JSON.parse(await refused.body);
      assert.equal(problem.code, 'TOO_MANY_STREAMS');
      assert.equal(problem.status, 429);

      // Another address still gets in, up to the total.
      const other = await Promise.all([1, 2].map(() => openStream(url, '127.0.0.2')));
      assert.deepEqual(
        other.map((r) => r.status),
        [200, 200],
      );
      const full = await openStream(url, '127.0.0.2');
      assert.equal(full.status, 503);
      assert.ok(Number(full.headers['retry-after']) > 0);
      assert.equal(JSON.parse(await full.body).code, 'STREAMS_FULL');
      assert.equal(await metric(s, 'liveline_streams_refused_total{reason="address"}'), 1);
      assert.equal(await metric(s, 'liveline_streams_refused_total{reason="total"}'), 1);

      // A closed stream frees its slot.
      first[0]?.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await openStream(url);
      assert.equal(again.status, 200);
      for (const open of [...first, ...other, again]) open.close();
    },
  );
});

describe('catching up costs about a page read, and a storm does not starve publishers', () => {
  let s: TestServer;
  const CHANGES = 5_000;
  before(async () => {
    // Every test reader comes from 127.0.0.1: the per-address bound is not what is tested here.
    s = await startTestServer(undefined, { streams: { perAddress: 1_000, total: 10_000 } });
    await s.call('editor', 'POST', '/api/pages', { slug: 'long', title: 'Long', status: 'live' });
    // 5,000 changes in one transaction: the same rows the use case writes, much faster.
    const store = s.services.store;
    const page = await store.getPage('long');
    assert.ok(page);
    const editor = await store.findUserByName('Rich Preston');
    assert.ok(editor);
    await store.transaction(async (tx) => {
      for (let i = 0; i < CHANGES; i++) {
        const post = await tx.insertPost(
          aPost(page.id, {
            headline: `Update ${i}`,
            body: [aParagraph(`Paragraph ${i} `.repeat(20))],
            authorId: editor.id,
            publishedAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
          }),
        );
        await tx.adjustPostCount(page.id, 1);
        await tx.appendChange(page.id, post.id, { kind: 'post.published', post });
      }
    });
  });
  after(() => s.close());

  it(
    'answers 50 readers with since=0 with one snapshot of the page, rendered once',
    { timeout: 30_000 },
    async () => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const events = await Promise.all(
        Array.from({ length: 50 }, () => firstChange(`${s.url}/live/long/events?since=0`)),
      );
      const used = process.cpuUsage(cpu);
      const elapsed = performance.now() - started;
      for (const event of events) {
        assert.equal(event.id, CHANGES, 'the page as it is now, not its history');
        assert.equal(event.data.kind, 'snapshot');
        assert.equal(event.data.postCount, CHANGES);
        assert.equal(event.data.pageCount, CHANGES / 20);
        assert.match(String(event.data.postsHtml), /Update 4999/);
      }
      assert.equal(await metric(s, 'liveline_snapshots_rendered_total'), 1, 'rendered once');
      const cpuMs = (used.user + used.system) / 1000;
      console.log(
        `50 readers since=0 on ${CHANGES} changes: ${elapsed.toFixed(0)} ms, ${cpuMs.toFixed(0)} ms CPU`,
      );
      assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
    },
  );

  it(
    'publishes in well under a second while 200 readers far behind reconnect',
    { timeout: 60_000 },
    async () => {
      const storm = Array.from({ length: 200 }, (_, i) =>
        firstChange(`${s.url}/live/long/events?since=${i % 2 === 0 ? 0 : 100 + i}`),
      );
      const latencies: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const res = await s.call('editor', 'POST', '/api/pages/long/posts', {
          headline: `During the storm ${i}`,
          body: [aParagraph('x')],
        });
        latencies.push(performance.now() - t0);
        assert.equal(res.statusCode, 201);
      }
      await Promise.all(storm);
      const worst = Math.max(...latencies);
      console.log(
        `publish during a storm of 200 far-behind readers: ${latencies.map((l) => l.toFixed(0)).join(', ')} ms`,
      );
      assert.ok(worst < 1_000, `a publish took ${worst} ms`);
    },
  );
});

describe('a failing change-log read in the fan-out', () => {
  it(
    'is logged, counted in /metrics and retried while the reader stays connected',
    { timeout: 20_000 },
    async () => {
      const real = await connectSqlite(':memory:');
      const state = { failures: 0 };
      // The real store, whose change-log reads fail while `failures` lasts (also once the
      // test app has given it its clock).
      const failing = (inner: Store): Store =>
        new Proxy(inner, {
          get(target, name, receiver) {
            const value: unknown = Reflect.get(target, name, receiver);
            if (name === 'withClock') return (now: () => Date) => failing(target.withClock(now));
            if (name === 'changesSince' && typeof value === 'function') {
              return async (...args: unknown[]) => {
                if (state.failures > 0) {
                  state.failures -= 1;
                  throw new Error('the database went away');
                }
                return value.apply(target, args);
              };
            }
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      const store = failing(real);
      const s = await startTestServer(store, { realtime: { retryMs: { first: 20, max: 200 } } });
      try {
        await s.call('editor', 'POST', '/api/pages', {
          slug: 'flaky',
          title: 'Flaky',
          status: 'live',
        });
        let opened!: () => void;
        const open = new Promise<void>((resolve) => (opened = resolve));
        const events = readEvents(`${s.url}/live/flaky/events`, 1, {
          onOpen: opened,
          timeoutMs: 10_000,
        });
        await within(open, 5000, 'the event stream never opened');
        state.failures = 3;
        const res = await s.call('editor', 'POST', '/api/pages/flaky/posts', {
          headline: 'Through the outage',
          body: [aParagraph('x')],
        });
        assert.equal(res.statusCode, 201);
        const [event] = await events;
        assert.equal(JSON.parse(event?.data ?? '{}').kind, 'post.published');
        assert.equal(await metric(s, 'liveline_fanout_errors_total{during="fan-out"}'), 3);
      } finally {
        await s.close();
      }
    },
  );
});
