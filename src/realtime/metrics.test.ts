import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Change } from '../domain/change.ts';
import { MemorySink } from '../../test/support/hub-readers.ts';
import { hubNewsroom, quietHub } from '../../test/support/hub-newsroom.ts';
import { LivelineMetrics } from './metrics.ts';

/** The value of the sample line `name` (with its labels) in a scrape, or null if absent. */
function sample(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? null : Number(line.slice(name.length + 1));
}

/** The `le` bounds of a histogram's buckets, in the order scraped. */
function buckets(text: string, name: string): string[] {
  return [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}`, 'gm'))].map(
    (m) => m[1] ?? '',
  );
}

/** A change that entered the log `agoMs` milliseconds ago (negative: a clock ahead). */
function changeAt(agoMs: number): Change {
  return {
    pageId: 'page-1',
    seq: 2,
    kind: 'post.deleted',
    postId: 'post-1',
    at: new Date(Date.now() - agoMs).toISOString(),
    data: { kind: 'post.deleted', postId: 'post-1' },
  };
}

describe('the metrics a scraper reads', () => {
  it('names every metric with its help and type, as dashboards and alerts know them', async () => {
    const text = await new LivelineMetrics().registry.metrics();
    for (const [name, type, help] of [
      ['liveline_events_delivered_total', 'counter', 'Change events written to readers'],
      [
        'liveline_slow_readers_cut_off_total',
        'counter',
        'Readers disconnected because they stopped reading',
      ],
      [
        'liveline_publish_to_fanout_seconds',
        'histogram',
        'From the change entering the log to its bytes written to every reader of this process',
      ],
      [
        'liveline_publish_to_screen_seconds',
        'histogram',
        'From the change entering the log to a reader page showing it, as sampled pages report it',
      ],
      [
        'liveline_fanout_errors_total',
        'counter',
        'Failed change-log reads or renders in the fan-out hub (each is retried with backoff)',
      ],
      [
        'liveline_snapshots_rendered_total',
        'counter',
        'Page snapshots rendered for readers too far behind to replay',
      ],
      [
        'liveline_streams_refused_total',
        'counter',
        'Event-stream connections refused by the per-address or total bound',
      ],
      ['liveline_render_cache_bytes', 'gauge', 'Bytes held by the cache of rendered reader pages'],
      ['liveline_render_cache_entries', 'gauge', 'Rendered reader pages held in the cache'],
      [
        'liveline_connected_readers',
        'gauge',
        'Readers connected to the event stream, per live page',
      ],
    ] as const) {
      assert.ok(text.includes(`# HELP ${name} ${help}\n`), `help of ${name}`);
      assert.ok(text.includes(`# TYPE ${name} ${type}\n`), `type of ${name}`);
    }
    // Node's own, for the process dashboards.
    assert.match(text, /^process_cpu_user_seconds_total /m);
    assert.match(text, /^nodejs_heap_size_used_bytes /m);
  });

  it('counts deliveries and times each from the log to the readers, in seconds', async () => {
    const metrics = new LivelineMetrics();
    metrics.recordDelivery(3, changeAt(2_000));
    metrics.recordDelivery(2, changeAt(30));
    // An instance whose clock is ahead of the database's: no negative time.
    metrics.recordDelivery(1, changeAt(-10_000));
    const text = await metrics.registry.metrics();
    assert.equal(sample(text, 'liveline_events_delivered_total'), 6);
    const name = 'liveline_publish_to_fanout_seconds';
    assert.deepEqual(buckets(text, name), [
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.1',
      '0.25',
      '0.5',
      '1',
      '2.5',
      '5',
      '+Inf',
    ]);
    assert.equal(sample(text, `${name}_count`), 3);
    assert.equal(sample(text, `${name}_bucket{le="0.005"}`), 1, 'the one from the future at 0');
    assert.equal(sample(text, `${name}_bucket{le="0.025"}`), 1);
    assert.equal(sample(text, `${name}_bucket{le="1"}`), 2);
    assert.equal(sample(text, `${name}_bucket{le="2.5"}`), 3);
    const sum = sample(text, `${name}_sum`) ?? 0;
    assert.ok(sum >= 2.03 && sum < 2.5, `sum ${sum} s: 2 s + 30 ms + 0`);
  });

  it('keeps the delays reader pages report, in seconds', async () => {
    const metrics = new LivelineMetrics();
    metrics.recordScreenLatency([40, 600, 12_000]);
    const text = await metrics.registry.metrics();
    const name = 'liveline_publish_to_screen_seconds';
    assert.deepEqual(buckets(text, name), [
      '0.025',
      '0.05',
      '0.1',
      '0.25',
      '0.5',
      '1',
      '2.5',
      '5',
      '10',
      '30',
      '+Inf',
    ]);
    assert.equal(sample(text, `${name}_bucket{le="0.025"}`), 0);
    assert.equal(sample(text, `${name}_bucket{le="0.05"}`), 1);
    assert.equal(sample(text, `${name}_bucket{le="1"}`), 2);
    assert.equal(sample(text, `${name}_bucket{le="10"}`), 2);
    assert.equal(sample(text, `${name}_bucket{le="30"}`), 3);
    assert.equal(sample(text, `${name}_sum`), 12.64);
  });

  it('counts cut-offs, snapshots, hub failures by stage and refusals by reason', async () => {
    const metrics = new LivelineMetrics();
    metrics.recordCutOff();
    metrics.recordCutOff();
    metrics.recordSnapshot();
    metrics.recordHubError('catch-up');
    metrics.recordHubError('catch-up');
    metrics.recordHubError('snapshot');
    metrics.recordRefused('address');
    metrics.recordRefused('total');
    metrics.recordRefused('total');
    const text = await metrics.registry.metrics();
    assert.equal(sample(text, 'liveline_slow_readers_cut_off_total'), 2);
    assert.equal(sample(text, 'liveline_snapshots_rendered_total'), 1);
    assert.equal(sample(text, 'liveline_fanout_errors_total{during="catch-up"}'), 2);
    assert.equal(sample(text, 'liveline_fanout_errors_total{during="snapshot"}'), 1);
    assert.equal(sample(text, 'liveline_fanout_errors_total{during="fan-out"}'), null);
    assert.equal(sample(text, 'liveline_streams_refused_total{reason="address"}'), 1);
    assert.equal(sample(text, 'liveline_streams_refused_total{reason="total"}'), 2);
  });

  it('reads the render cache’s size when scraped, and zero before there is a cache', async () => {
    const metrics = new LivelineMetrics();
    let text = await metrics.registry.metrics();
    assert.equal(sample(text, 'liveline_render_cache_bytes'), 0);
    assert.equal(sample(text, 'liveline_render_cache_entries'), 0);
    let size = { entries: 3, bytes: 4_096 };
    metrics.watchCache({ size: () => size });
    text = await metrics.registry.metrics();
    assert.equal(sample(text, 'liveline_render_cache_bytes'), 4_096);
    assert.equal(sample(text, 'liveline_render_cache_entries'), 3);
    size = { entries: 1, bytes: 100 };
    text = await metrics.registry.metrics();
    assert.equal(sample(text, 'liveline_render_cache_bytes'), 100, 'read at each scrape');
    assert.equal(sample(text, 'liveline_render_cache_entries'), 1);
  });

  it('counts the readers connected now per page, and forgets a page they all left', async () => {
    const metrics = new LivelineMetrics();
    const idle = await metrics.registry.metrics();
    assert.doesNotMatch(idle, /^liveline_connected_readers\{/m, 'no hub yet: no page');
    const room = await hubNewsroom();
    const { hub } = quietHub(room);
    try {
      metrics.watch(hub);
      const page = await room.page();
      const leave = await Promise.all(
        [1, 2].map(() => hub.connect(page, page.lastSeq, new MemorySink())),
      );
      const line = `liveline_connected_readers{page="${page.id}"}`;
      assert.equal(sample(await metrics.registry.metrics(), line), 2);
      leave.forEach((disconnect) => disconnect());
      const after = await metrics.registry.metrics();
      assert.equal(sample(after, line), null, 'not a stale 2, nor a 0 kept forever');
    } finally {
      hub.close();
      await room.close();
    }
  });
});
