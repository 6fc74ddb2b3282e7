import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryBus } from '../bus/memory/memory-bus.ts';
import type { User } from '../domain/user.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { createPage, findPage } from '../services/pages.ts';
import { publishPost } from '../services/posts.ts';
import { connectSqlite } from '../store/sqlite/connect.ts';
import { MemorySink, watchedStore } from '../../test/support/hub-readers.ts';
import { hubNewsroom, quietHub } from '../../test/support/hub-newsroom.ts';
import { FanoutHub } from './hub.ts';

/** Resuming readers in numbers (a reconnect storm, ADR 0027). */
describe('fan-out hub: readers resuming at once', () => {
  let deps: ServiceDeps;
  let hub: FanoutHub;
  let editor: User;
  let watched: ReturnType<typeof watchedStore>;
  const publish = (headline: string) => publishPost(deps, editor, 'resume', { headline, body: [] });

  before(async () => {
    const store = await connectSqlite(':memory:');
    deps = { store, bus: new MemoryBus(), now: () => new Date() };
    editor = await store.transaction((tx) => tx.insertUser('Ed', 'editor'));
    await createPage(deps, editor, { slug: 'resume', title: 'Resume', status: 'live' });
    watched = watchedStore(store);
    hub = new FanoutHub({
      store: watched.store,
      bus: deps.bus,
      encode: (change) => JSON.stringify({ seq: change.seq, kind: change.kind }),
      snapshot: async () => {
        throw new Error('no reader here is far behind');
      },
      heartbeatMs: 60_000,
      pollMs: 60_000,
    });
  });
  after(async () => {
    hub.close();
    await deps.store.close();
  });

  it(
    'sends each resuming reader what it missed in one write, joined once for all at its position',
    { timeout: 10_000 },
    async () => {
      const page = await findPage(deps.store, 'resume');
      const live = new MemorySink();
      const disconnectLive = await hub.connect(page, page.lastSeq, live);
      for (const headline of ['One', 'Two', 'Three', 'Four']) await publish(headline);
      await live.arrived(4);
      const reads = watched.reads.length;
      const resuming = [new MemorySink(), new MemorySink(), new MemorySink()];
      const now = await findPage(deps.store, 'resume');
      const disconnects = await Promise.all(resuming.map((sink) => hub.connect(now, 1, sink)));
      for (const sink of resuming) {
        assert.deepEqual(sink.ids(), [2, 3, 4]);
        assert.equal(sink.chunks.length, 1, 'one write per resuming reader, not one per change');
      }
      assert.equal(resuming[0]?.chunks[0], resuming[2]?.chunks[0], 'joined once, shared');
      assert.equal(watched.reads.length, reads, 'replayed from memory: no read of the log');
      // The next change reaches them like everyone else, once.
      await publish('Five');
      for (const sink of [live, ...resuming]) await sink.arrived(5);
      for (const sink of resuming) assert.deepEqual(sink.ids(), [2, 3, 4, 5]);
      disconnects.forEach((d) => d());
      disconnectLive();
    },
  );

  it(
    'lends its page to a reader resuming at or before its position, never to one ahead of it',
    { timeout: 10_000 },
    async () => {
      assert.equal(hub.resumablePage('resume', 0), null, 'no reader here: read the store');
      const page = await findPage(deps.store, 'resume');
      const sink = new MemorySink();
      const disconnect = await hub.connect(page, page.lastSeq, sink);
      assert.equal(hub.resumablePage('resume', page.lastSeq)?.lastSeq, page.lastSeq);
      assert.equal(hub.resumablePage('resume', 1)?.id, page.id);
      // A reader ahead of this process (it came from another one) is counted from the store.
      assert.equal(hub.resumablePage('resume', page.lastSeq + 1), null);
      assert.equal(hub.resumablePage('elsewhere', 1), null);
      disconnect();
      assert.equal(hub.resumablePage('resume', 1), null);
    },
  );
});

describe('fan-out hub: readers resuming together from the log', () => {
  it('reads the log once for readers at the same position, and sends each all it missed', async () => {
    const room = await hubNewsroom();
    for (const headline of ['One', 'Two', 'Three']) await room.publish(headline);
    // A hub that holds none of it in memory: the first reader's catch-up reads the log.
    const { hub, watched } = quietHub(room);
    try {
      const page = await room.page();
      const sinks = [new MemorySink(), new MemorySink(), new MemorySink()];
      await Promise.all(sinks.map((sink) => hub.connect(page, 0, sink)));
      for (const sink of sinks) assert.deepEqual(sink.ids(), [1, 2, 3]);
      assert.deepEqual(watched.reads, [0], 'one read of the log for the three');
    } finally {
      hub.close();
      await room.close();
    }
  });
});
