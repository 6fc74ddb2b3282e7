import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aParagraph } from '../support/factories.ts';
import { readEvents, startTestServer, type TestServer } from '../support/server.ts';

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
    await open;
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
    const s = await startTestServer();
    try {
      await s.call('editor', 'POST', '/api/pages', {
        slug: 'metrics',
        title: 'Metrics',
        status: 'live',
      });
      let opened!: () => void;
      const open = new Promise<void>((resolve) => (opened = resolve));
      const events = readEvents(`${s.url}/live/metrics/events`, 1, { onOpen: opened });
      await open;
      const during = await (await fetch(`${s.url}/metrics`)).text();
      assert.match(during, /liveline_connected_readers\{page="[0-9a-z]+"\} 1/);
      await s.call('editor', 'POST', '/api/pages/metrics/posts', { headline: 'Counted', body: [] });
      await events;
      const text = await (await fetch(`${s.url}/metrics`)).text();
      assert.match(text, /liveline_events_delivered_total 1/);
      assert.match(text, /liveline_publish_to_fanout_seconds_count 1/);
      assert.match(text, /liveline_slow_readers_cut_off_total 0/);
      assert.match(text, /process_cpu_user_seconds_total/);
      const health = await fetch(`${s.url}/healthz`);
      assert.deepEqual(await health.json(), { status: 'ok', database: 'sqlite' });
    } finally {
      await s.close();
    }
  });
});
