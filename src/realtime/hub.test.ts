import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryBus } from '../bus/memory/memory-bus.ts';
import type { User } from '../domain/user.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { createPage } from '../services/pages.ts';
import { deletePost, publishPost } from '../services/posts.ts';
import { findPage } from '../services/pages.ts';
import { connectSqlite } from '../store/sqlite/connect.ts';
import type { StoreReader } from '../store/store.ts';
import { MemorySink } from '../../test/support/hub-readers.ts';
import { FanoutHub, type HubFailure } from './hub.ts';

describe('fan-out hub', () => {
  let deps: ServiceDeps;
  let hub: FanoutHub;
  let editor: User;
  const encodeCalls: number[] = [];
  const publish = (headline: string) => publishPost(deps, editor, 'hub', { headline, body: [] });

  before(async () => {
    const store = await connectSqlite(':memory:');
    deps = { store, bus: new MemoryBus(), now: () => new Date() };
    editor = await store.transaction((tx) => tx.insertUser('Ed', 'editor'));
    await createPage(deps, editor, { slug: 'hub', title: 'Hub', status: 'live' });
    hub = new FanoutHub({
      store,
      bus: deps.bus,
      encode: (change) => {
        encodeCalls.push(change.seq);
        return JSON.stringify({ seq: change.seq, kind: change.kind });
      },
      snapshot: async () => {
        throw new Error('no reader here is far behind');
      },
      maxBufferedBytes: 1000,
      heartbeatMs: 60_000,
      pollMs: 50,
    });
  });
  after(async () => {
    hub.close();
    await deps.store.close();
  });

  it('sends each change to every reader, encoded once', async () => {
    const readers = [new MemorySink(), new MemorySink(), new MemorySink()];
    const page = await findPage(deps.store, 'hub');
    const disconnects = await Promise.all(
      readers.map((sink) => hub.connect(page, page.lastSeq, sink)),
    );
    encodeCalls.length = 0;
    await publish('One');
    await publish('Two');
    for (const sink of readers) await sink.arrived(2);
    for (const sink of readers) assert.deepEqual(sink.ids(), [1, 2]);
    assert.deepEqual(encodeCalls, [1, 2], 'one encoding per change, not per reader');
    assert.equal(
      readers[0]?.chunks[0],
      readers[1]?.chunks[0],
      'the same buffer goes to every reader',
    );
    disconnects.forEach((d) => d());
    assert.equal(hub.readerCounts().get(page.id), undefined);
  });

  it('replays what a reader missed, then carries on live, nothing twice', async () => {
    const page = await findPage(deps.store, 'hub');
    const sink = new MemorySink();
    const disconnect = await hub.connect(page, 0, sink);
    await publish('Three');
    await sink.arrived(3);
    assert.deepEqual(sink.ids(), [1, 2, 3]);
    disconnect();
  });

  it('renders a change once however many readers replay it', async () => {
    const page = await findPage(deps.store, 'hub');
    const sinks = [new MemorySink(), new MemorySink(), new MemorySink()];
    encodeCalls.length = 0;
    const disconnects = [];
    for (const sink of sinks) disconnects.push(await hub.connect(page, 0, sink));
    for (const sink of sinks) assert.deepEqual(sink.ids(), [1, 2, 3]);
    assert.ok(encodeCalls.length <= 3, `encoded ${encodeCalls.length} times`);
    disconnects.forEach((d) => d());
  });

  it('finds a change whose notice was lost by checking the log', async () => {
    const page = await findPage(deps.store, 'hub');
    const sink = new MemorySink();
    const disconnect = await hub.connect(page, page.lastSeq, sink);
    const silent: ServiceDeps = { ...deps, bus: new MemoryBus() };
    await publishPost(silent, editor, 'hub', { headline: 'Unannounced', body: [] });
    await sink.arrived(page.lastSeq + 1, 1000);
    assert.deepEqual(sink.ids(), [page.lastSeq + 1]);
    disconnect();
  });

  it('cuts off a reader that stops reading without stalling the others', async () => {
    const page = await findPage(deps.store, 'hub');
    const slow = new MemorySink();
    const fast = new MemorySink();
    await hub.connect(page, page.lastSeq, slow);
    const disconnect = await hub.connect(page, page.lastSeq, fast);
    slow.writableLength = 5000;
    await publish('Four');
    await fast.arrived(page.lastSeq + 1);
    assert.equal(slow.destroyed, true);
    assert.deepEqual(slow.ids(), []);
    assert.deepEqual(fast.ids(), [page.lastSeq + 1]);
    assert.equal(hub.readerCounts().get(page.id), 1);
    disconnect();
  });
});

/** A real SQLite store whose change-log reads fail `failures` times before they work again. */
function flaky(store: StoreReader, state: { failures: number }): StoreReader {
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'changesSince') {
        return async (...args: Parameters<StoreReader['changesSince']>) => {
          if (state.failures > 0) {
            state.failures -= 1;
            throw new Error('the database went away');
          }
          return target.changesSince(...args);
        };
      }
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('fan-out hub under faults and load', () => {
  let deps: ServiceDeps;
  let editor: User;
  const hubs: FanoutHub[] = [];
  const publish = (slug: string, headline: string, text = headline) =>
    publishPost(deps, editor, slug, {
      headline,
      body: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
    });

  before(async () => {
    const store = await connectSqlite(':memory:');
    deps = { store, bus: new MemoryBus(), now: () => new Date() };
    editor = await store.transaction((tx) => tx.insertUser('Ed', 'editor'));
  });
  after(async () => {
    for (const hub of hubs) hub.close();
    await deps.store.close();
  });

  const encode = (change: Parameters<ConstructorParameters<typeof FanoutHub>[0]['encode']>[0]) =>
    JSON.stringify({
      seq: change.seq,
      kind: change.kind,
      postId: change.postId,
      text: JSON.stringify(change.data),
    });

  const flakyHub = (slug: string, state: { failures: number }, errors: HubFailure[]) => {
    const hub = new FanoutHub({
      store: flaky(deps.store, state),
      bus: deps.bus,
      encode,
      snapshot: async () => ({ seq: 0, data: '{}' }),
      heartbeatMs: 60_000,
      pollMs: 60_000,
      retryMs: { first: 20, max: 100 },
      onError: (_error, _pageId, during) => errors.push(during),
    });
    hubs.push(hub);
    return hub;
  };

  it(
    'survives failing change-log reads in the fan-out: reported, retried, readers stay',
    {
      timeout: 10_000,
    },
    async () => {
      await createPage(deps, editor, { slug: 'flaky', title: 'Flaky', status: 'live' });
      const state = { failures: 0 };
      const errors: HubFailure[] = [];
      const hub = flakyHub('flaky', state, errors);
      const page = await findPage(deps.store, 'flaky');
      const sink = new MemorySink();
      const disconnect = await hub.connect(page, page.lastSeq, sink);
      // The fan-out's reads fail 3 times: before, an unhandled rejection (the process exits).
      state.failures = 3;
      await publish('flaky', 'During');
      await sink.arrived(1, 3000);
      assert.deepEqual(sink.ids(), [1], 'the change arrives once the log reads again');
      assert.equal(sink.destroyed, false);
      assert.equal(hub.readerCounts().get(page.id), 1);
      assert.deepEqual(errors, ['fan-out', 'fan-out', 'fan-out']);
      disconnect();
    },
  );

  it(
    'keeps a reader whose catch-up read fails, and catches it up on the retry',
    {
      timeout: 10_000,
    },
    async () => {
      await createPage(deps, editor, { slug: 'flaky-2', title: 'Flaky', status: 'live' });
      await publish('flaky-2', 'Before');
      await publish('flaky-2', 'Also before');
      const state = { failures: 0 };
      const errors: HubFailure[] = [];
      const hub = flakyHub('flaky-2', state, errors);
      const page = await findPage(deps.store, 'flaky-2');
      state.failures = 2;
      const sink = new MemorySink();
      const disconnect = await hub.connect(page, 0, sink);
      await sink.arrived(2, 3000);
      assert.deepEqual(sink.ids(), [1, 2]);
      assert.equal(hub.readerCounts().get(page.id), 1);
      assert.deepEqual(errors, ['catch-up', 'catch-up']);
      disconnect();
    },
  );

  it(
    'gives a reader far behind one snapshot, rendered once for every such reader',
    {
      timeout: 20_000,
    },
    async () => {
      await createPage(deps, editor, { slug: 'long', title: 'Long', status: 'live' });
      for (let i = 0; i < 600; i++) await publish('long', `Post ${i}`);
      let snapshots = 0;
      let encodes = 0;
      const hub = new FanoutHub({
        store: deps.store,
        bus: deps.bus,
        encode: (change) => {
          encodes += 1;
          return encode(change);
        },
        snapshot: async (pageId) => {
          snapshots += 1;
          const page = await deps.store.getPageById(pageId);
          return { seq: page?.lastSeq ?? 0, data: JSON.stringify({ kind: 'snapshot' }) };
        },
        heartbeatMs: 60_000,
        pollMs: 60_000,
      });
      hubs.push(hub);
      const page = await findPage(deps.store, 'long');
      const sinks = Array.from({ length: 50 }, () => new MemorySink());
      const disconnects = await Promise.all(sinks.map((sink) => hub.connect(page, 0, sink)));
      assert.equal(snapshots, 1, 'one snapshot for 50 readers');
      assert.equal(encodes, 0, 'no history replayed');
      for (const sink of sinks) assert.deepEqual(sink.ids(), [600]);
      await publish('long', 'After');
      for (const sink of sinks) await sink.arrived(601);
      for (const sink of sinks) assert.deepEqual(sink.ids(), [600, 601]);
      // A reader a few changes behind is replayed what it missed, from memory or one log read.
      const near = new MemorySink();
      disconnects.push(await hub.connect(page, 598, near));
      assert.deepEqual(near.ids(), [599, 600, 601]);
      assert.equal(snapshots, 1);
      disconnects.forEach((d) => d());
    },
  );

  it('replays no superseded or deleted text from memory', { timeout: 10_000 }, async () => {
    await createPage(deps, editor, { slug: 'legal', title: 'Legal', status: 'live' });
    const hub = new FanoutHub({
      store: deps.store,
      bus: deps.bus,
      encode,
      snapshot: async () => ({ seq: 0, data: '{}' }),
      heartbeatMs: 60_000,
      pollMs: 60_000,
    });
    hubs.push(hub);
    const page = await findPage(deps.store, 'legal');
    const live = new MemorySink();
    const disconnect = await hub.connect(page, page.lastSeq, live);
    const published = await publish('legal', 'Libel', 'a defamatory sentence');
    assert.equal(published.replayed, false);
    const post = published.value;
    await publish('legal', 'Other', 'harmless');
    await live.arrived(2);
    await deletePost(deps, editor, 'legal', post.id);
    await live.arrived(3);
    assert.equal(live.ids().length, 3);
    // A reader resuming from before the post is replayed from the hub's frames.
    const late = new MemorySink();
    const lateDisconnect = await hub.connect(page, 0, late);
    const replay = late.events();
    assert.deepEqual(
      replay.map((e) => e.kind),
      ['post.superseded', 'post.published', 'post.deleted'],
    );
    assert.ok(!late.chunks.join('').includes('defamatory'), 'the deleted text is gone');
    disconnect();
    lateDisconnect();
  });
});
