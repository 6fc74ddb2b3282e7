import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { within } from '../support/deadline.ts';
import { aParagraph } from '../support/factories.ts';
import { readEvents, startTestServer, type TestServer } from '../support/server.ts';

/** /metrics is closed unless configured: these tests read it as a scraper would. */
const METRICS_TOKEN = 'scraper-token-0123456789';
const SCRAPER = { headers: { authorization: `Bearer ${METRICS_TOKEN}` } };

describe('the event stream over a real socket', () => {
  let s: TestServer;
  const publish = (headline: string) =>
    s.call('editor', 'POST', '/api/pages/derby/posts', {
      headline,
      body: [aParagraph(`${headline}.`)],
    });

  before(async () => {
    s = await startTestServer();
    await s.call('editor', 'POST', '/api/pages', {
      slug: 'derby',
      title: 'The derby',
      status: 'live',
    });
  });
  after(() => s.close());

  it('pushes a published post to a connected reader, id = sequence number', async () => {
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const events = readEvents(`${s.url}/live/derby/events?since=0`, 1, { onOpen: opened });
    await within(open, 5000, 'the event stream never opened');
    await publish('Goal!');
    const [event] = await events;
    assert.equal(event?.id, '1');
    assert.equal(event?.event, 'change');
    const data = JSON.parse(event?.data ?? '{}');
    assert.equal(data.kind, 'post.published');
    assert.equal(data.seq, 1);
    assert.match(data.html, /<article[^>]*id="post-/);
    assert.match(data.html, /Goal!/);
  });

  it('replays from Last-Event-ID exactly what was missed, in order', async () => {
    await publish('Second');
    await publish('Third');
    const events = await readEvents(`${s.url}/live/derby/events`, 2, {
      headers: { 'last-event-id': '1' },
    });
    assert.deepEqual(
      events.map((e) => e.id),
      ['2', '3'],
    );
    assert.deepEqual(
      events.map((e) => JSON.parse(e.data).html.includes(e.id === '2' ? 'Second' : 'Third')),
      [true, true],
    );
  });

  it('answers an unknown page with 404 and the stream headers otherwise', async () => {
    assert.equal((await fetch(`${s.url}/live/nowhere/events`)).status, 404);
    const controller = new AbortController();
    const res = await fetch(`${s.url}/live/derby/events`, { signal: controller.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    controller.abort();
  });
});

describe('operations', () => {
  it('exposes Prometheus metrics: readers per page, deliveries, latency', async () => {
    const s = await startTestServer(undefined, { metricsToken: METRICS_TOKEN });
    try {
      await s.call('editor', 'POST', '/api/pages', {
        slug: 'metrics',
        title: 'Metrics',
        status: 'live',
      });
      let opened!: () => void;
      const open = new Promise<void>((resolve) => (opened = resolve));
      const events = readEvents(`${s.url}/live/metrics/events`, 1, { onOpen: opened });
      await within(open, 5000, 'the event stream never opened');
      const during = await (await fetch(`${s.url}/metrics`, SCRAPER)).text();
      assert.match(during, /liveline_connected_readers\{page="[0-9a-z]+"\} 1/);
      await s.call('editor', 'POST', '/api/pages/metrics/posts', { headline: 'Counted', body: [] });
      await events;
      const text = await (await fetch(`${s.url}/metrics`, SCRAPER)).text();
      assert.match(text, /liveline_events_delivered_total 1/);
      assert.match(text, /liveline_publish_to_fanout_seconds_count 1/);
      assert.match(text, /liveline_slow_readers_cut_off_total 0/);
      assert.match(text, /process_cpu_user_seconds_total/);
      const health = await fetch(`${s.url}/healthz`);
      assert.deepEqual(await health.json(), { status: 'ok', database: 'sqlite', down: [] });
      assert.match(text, /^liveline_bus_up 1$/m);
      assert.match(text, /^liveline_database_up 1$/m);
    } finally {
      await s.close();
    }
  });
});

describe('slow readers', () => {
  it('cuts off a reader that stops reading, without stalling the others', async () => {
    const s = await startTestServer(undefined, {
      metricsToken: METRICS_TOKEN,
      realtime: { maxBufferedBytes: 256 * 1024 },
    });
    try {
      await s.call('editor', 'POST', '/api/pages', {
        slug: 'flood',
        title: 'Flood',
        status: 'live',
      });
      const url = new URL(`${s.url}/live/flood/events?since=0`);
      // A reader that connects and then never reads a byte.
      const stalled = net.connect(Number(url.port), url.hostname);
      stalled.setNoDelay(true);
      await within(
        new Promise((resolve) => stalled.once('connect', resolve)),
        3000,
        'no connection to the event stream',
      );
      stalled.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
      stalled.pause();
      const closed = new Promise<void>((resolve) => stalled.once('close', () => resolve()));

      const posts = 450;
      // The reading reader keeps up: each post is published once it has the one before.
      let waiting: (() => void) | null = null;
      let count = 0;
      const fast = readEvents(url.href, posts, {
        timeoutMs: 30_000,
        onEvent: (_event, n) => {
          count = n;
          waiting?.();
        },
      });
      // About 25 KB a post (5,000 characters, the most a post holds, each escaped to 5 bytes):
      // 11 MB in all, more than the kernel's socket buffers hold.
      const body = Array.from({ length: 5 }, () => aParagraph('&'.repeat(1_000)));
      for (let i = 0; i < posts; i++) {
        const delivered = new Promise<void>((resolve) => (waiting = resolve));
        const res = await s.call('editor', 'POST', '/api/pages/flood/posts', {
          headline: `Big ${i}`,
          body,
        });
        assert.equal(res.statusCode, 201);
        if (count <= i) await within(delivered, 5000, `event ${i + 1} never reached the reader`);
      }
      const received = await fast;
      assert.equal(received.length, posts, 'the reading reader got every event');
      stalled.resume();
      await within(closed, 10_000, 'the reader that stopped reading was never cut off');
      const metrics = await (await fetch(`${s.url}/metrics`, SCRAPER)).text();
      assert.match(metrics, /liveline_slow_readers_cut_off_total [1-9]/);
    } finally {
      await s.close();
    }
  });
});

describe('shutdown', () => {
  it('tells connected readers to reconnect, then ends their streams', async () => {
    const s = await startTestServer();
    await s.call('editor', 'POST', '/api/pages', {
      slug: 'closing',
      title: 'Closing',
      status: 'live',
    });
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const url = new URL(`${s.url}/live/closing/events`);
    const raw = net.connect(Number(url.port), url.hostname);
    let received = '';
    raw.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (/^retry: \d+$/m.test(received)) opened();
    });
    const ended = new Promise<void>((resolve) => raw.once('end', () => resolve()));
    raw.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    await within(open, 3000, 'no retry frame opened the stream');
    await within(s.close(), 5000, 'the server did not close');
    await within(ended, 3000, 'the stream never ended at shutdown');
    assert.match(received, /event: reconnect\nretry: \d+\ndata: \n\n$/);
    // Each stream's own reconnection delay, drawn from 1 to 3 s: after a crash, with no
    // goodbye, its readers come back spread over that window.
    const retry = Number(/^retry: (\d+)$/m.exec(received)?.[1]);
    assert.ok(retry >= 1_000 && retry < 3_000, `the stream's retry: ${retry} ms`);
  });
});
