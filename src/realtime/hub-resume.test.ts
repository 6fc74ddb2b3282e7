import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryBus } from '../bus/memory/memory-bus.ts';
import type { User } from '../domain/user.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { createPage, findPage } from '../services/pages.ts';
import { publishPost } from '../services/posts.ts';
import { valueOf } from '../services/commit.ts';
import { connectSqlite } from '../store/sqlite/connect.ts';
import { MemorySink, watchedStore } from '../../test/support/hub-readers.ts';
import { encodeWithPage, quietHub, newsroomFor } from '../../test/support/hub-newsroom.ts';
import { within } from '../../test/support/deadline.ts';
import type { StoreReader } from '../store/store.ts';
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
  it('sends a reader one change behind the frame the others got, not a copy of it', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = quietHub(room);
    const live = new MemorySink();
    await hub.connect(await room.page(), 0, live);
    await room.publish('One');
    await live.arrived(1);
    const resuming = new MemorySink();
    await hub.connect(await room.page(), 0, resuming);
    assert.deepEqual(resuming.ids(), [1]);
    assert.equal(resuming.chunks[0], live.chunks[0], 'one buffer in memory for both');
  });

  it('reads the log once for readers at the same position, and sends each all it missed', async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two', 'Three']) await room.publish(headline);
    // A hub that holds none of it in memory: the first reader's catch-up reads the log.
    const { hub, watched } = quietHub(room);
    const page = await room.page();
    const sinks = [new MemorySink(), new MemorySink(), new MemorySink()];
    await Promise.all(sinks.map((sink) => hub.connect(page, 0, sink)));
    for (const sink of sinks) assert.deepEqual(sink.ids(), [1, 2, 3]);
    assert.deepEqual(watched.reads, [0], 'one read of the log for the three');
  });

  it('renders from the log only the changes not already in memory', async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two', 'Three']) await room.publish(headline);
    const encoded: number[] = [];
    const { hub } = quietHub(room, {
      encode: (change, page) => {
        encoded.push(change.seq);
        return encodeWithPage(change, page);
      },
    });
    const live = new MemorySink();
    await hub.connect(await room.page(), 3, live);
    for (const headline of ['Four', 'Five']) await room.publish(headline);
    await live.arrived(5);
    // Memory holds 4 and 5; a reader at 1 reads 2 to 5 from the log.
    const late = new MemorySink();
    await hub.connect(await room.page(), 1, late);
    assert.deepEqual(late.ids(), [2, 3, 4, 5]);
    assert.deepEqual(encoded, [4, 5, 2, 3], 'each change rendered once');
  });
});

describe('fan-out hub: a long gap rendered in slices', () => {
  it('lets the loop turn between the renders of a catch-up', { timeout: 10_000 }, async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two', 'Three', 'Four', 'Five']) await room.publish(headline);
    const encoded: number[] = [];
    // A slice of no time: the catch-up lets the loop turn after every render.
    const { hub } = quietHub(room, {
      sliceMs: 0,
      encode: (change, page) => {
        encoded.push(change.seq);
        return encodeWithPage(change, page);
      },
    });
    const sink = new MemorySink();
    const resuming = hub.connect(await room.page(), 0, sink);
    // What waits for the loop's next turn (a publish, say) runs before the catch-up ends.
    const seenMidway = await new Promise<number>((resolve) =>
      setImmediate(() => resolve(encoded.length)),
    );
    await within(resuming, 2000, 'the catch-up never ended');
    assert.ok(
      seenMidway > 0 && seenMidway < 5,
      `the loop turned after ${seenMidway} of 5 renders, not during them`,
    );
    assert.deepEqual(sink.ids(), [1, 2, 3, 4, 5], 'all of it, in order, once');
  });

  it(
    'reads again when a change taken between two renders rewrote what the read holds',
    { timeout: 10_000 },
    async (t) => {
      const room = await newsroomFor(t);
      const ids: string[] = [];
      for (const headline of ['One', 'Two', 'Three', 'Four', 'Five']) {
        ids.push(valueOf(await room.publish(headline)).id);
      }
      const fourth = ids[3] ?? assert.fail('no fourth post');
      let deleting: Promise<unknown> | null = null;
      const { hub } = quietHub(room, {
        sliceMs: 0,
        encode: (change, page) => {
          // While the catch-up renders change 2, the newsroom deletes the post of change 4:
          // its commit rewrites entry 4 to post.superseded, after the catch-up read it.
          if (change.seq === 2 && !deleting) deleting = room.deletePost(fourth);
          return encodeWithPage(change, page);
        },
      });
      const live = new MemorySink();
      await hub.connect(await room.page(), 5, live);
      const sink = new MemorySink();
      await within(hub.connect(await room.page(), 0, sink), 2000, 'the catch-up never ended');
      await deleting;
      await live.arrived(6);
      await sink.arrived(6);
      const kinds = (reader: MemorySink) =>
        new Map(reader.events().map((event) => [event.seq, event.kind]));
      assert.equal(kinds(sink).get(4), 'post.superseded', 'no text of the deleted post');
      assert.equal(kinds(sink).get(6), 'post.deleted');
      assert.deepEqual(sink.ids(), [1, 2, 3, 4, 5, 6]);
      // Nor does memory keep it for the readers who resume later.
      const later = new MemorySink();
      await hub.connect(await room.page(), 3, later);
      assert.deepEqual(later.ids(), [4, 5, 6]);
      assert.equal(kinds(later).get(4), 'post.superseded', 'replayed from memory, text-free');
    },
  );
});

describe('fan-out hub: a catch-up under way when the hub closes', () => {
  it('writes nothing after the goodbye', { timeout: 10_000 }, async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two', 'Three', 'Four', 'Five']) await room.publish(headline);
    let closeHub = () => {};
    const { hub } = quietHub(room, {
      sliceMs: 0,
      encode: (change, page) => {
        // The server shuts down while the catch-up renders change 2.
        if (change.seq === 2) closeHub();
        return encodeWithPage(change, page);
      },
    });
    closeHub = () => hub.close();
    const sink = new MemorySink();
    await within(hub.connect(await room.page(), 0, sink), 2000, 'the catch-up never ended');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(sink.ended, true);
    assert.match(sink.chunks.at(-1)?.toString() ?? '', /^event: reconnect\n/, 'the last write');
    assert.deepEqual(sink.ids(), [], 'the reader resumes all of it on reconnect');
  });
});

/**
 * The store with a change log that no longer holds the entries up to `upTo` (pruned, or a
 * read that lags), answered on a later turn of the loop as a database's answer is.
 */
function prunedLog(store: StoreReader, upTo = Infinity): StoreReader {
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'changesSince') {
        return async (...args: Parameters<StoreReader['changesSince']>) => {
          const changes = await target.changesSince(...args);
          await new Promise((resolve) => setImmediate(resolve));
          return changes.filter((change) => change.seq > upTo);
        };
      }
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('fan-out hub: a catch-up the log cannot serve', () => {
  it('sends the page as it is now to a reader whose missed changes the log lacks', async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two']) await room.publish(headline);
    const { hub, snapshots } = quietHub(room, { store: prunedLog(room.store) });
    const sink = new MemorySink();
    await within(hub.connect(await room.page(), 0, sink), 2000, 'the catch-up never ended');
    assert.deepEqual(sink.ids(), [2], 'one snapshot at the page’s position');
    assert.deepEqual(sink.events(), [{ kind: 'snapshot' }]);
    assert.equal(snapshots(), 1);
  });

  it('sends no render that is not newer than what the reader has', async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two']) await room.publish(headline);
    // A render from a copy of the database that lags: it shows position 1 only.
    const { hub } = quietHub(room, {
      store: prunedLog(room.store),
      snapshot: async () => ({ seq: 1, data: JSON.stringify({ kind: 'snapshot' }) }),
    });
    const sink = new MemorySink();
    await within(hub.connect(await room.page(), 1, sink), 2000, 'the catch-up never ended');
    assert.deepEqual(sink.ids(), [], 'nothing the reader already has');
  });

  it('renders the page once per position for the readers the log cannot serve', async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two']) await room.publish(headline);
    const { hub, snapshots } = quietHub(room, { store: prunedLog(room.store, 2) });
    const first = new MemorySink();
    await hub.connect(await room.page(), 0, first);
    const second = new MemorySink();
    await hub.connect(await room.page(), 0, second);
    assert.deepEqual([first.ids(), second.ids()], [[2], [2]]);
    assert.equal(snapshots(), 1, 'the second reader is sent the same render');
    // A change moves the page on: the next such reader gets a new render, at 3.
    await room.publish('Three');
    await first.arrived(3);
    const third = new MemorySink();
    await hub.connect(await room.page(), 0, third);
    assert.deepEqual(third.ids(), [3], 'the page at 3, not the render at 2 and then 3');
    assert.equal(snapshots(), 2);
  });

  it('reads nothing for a reader whose connection closed before its catch-up began', async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two']) await room.publish(headline);
    const { hub, watched, snapshots } = quietHub(room);
    const sink = new MemorySink();
    sink.destroyed = true;
    await hub.connect(await room.page(), 0, sink);
    assert.deepEqual(watched.reads, [], 'no read of the log');
    assert.equal(snapshots(), 0);
    assert.deepEqual(sink.ids(), []);
  });
});
