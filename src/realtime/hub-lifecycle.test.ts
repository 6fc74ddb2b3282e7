import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoreReader } from '../store/store.ts';
import { MemorySink } from '../../test/support/hub-readers.ts';
import { manyReaders, quietHub, newsroomFor } from '../../test/support/hub-newsroom.ts';
import { settledWithin, within } from '../../test/support/deadline.ts';

describe('fan-out hub: writers held in a burst are let go', () => {
  it('when the hub closes', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = quietHub(room, { maxPaceMs: 60_000 });
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    const pageId = (await room.page()).id;
    watched.holdReads(() => true);
    await room.publish('One');
    await watched.heldRead(0);
    await room.publish('Two');
    const held = hub.pace(pageId);
    assert.equal(await settledWithin(held, 30), false, 'two waiting: the writer waits');
    hub.close();
    assert.equal(await settledWithin(held, 1000), true, 'answered when the hub closes');
    watched.release();
  });

  it('when the last reader of the page leaves, not before', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = quietHub(room, { maxPaceMs: 60_000 });
    const page = await room.page();
    const leaveFirst = await hub.connect(page, 0, new MemorySink());
    const leaveLast = await hub.connect(page, 0, new MemorySink());
    watched.holdReads(() => true);
    await room.publish('One');
    await watched.heldRead(0);
    await room.publish('Two');
    const held = hub.pace(page.id);
    leaveFirst();
    assert.equal(await settledWithin(held, 30), false, 'a reader is still waiting');
    leaveLast();
    assert.equal(await settledWithin(held, 1000), true, 'nobody here is waiting');
    assert.equal(await settledWithin(hub.pace(page.id), 30), true, 'nor holds the next one');
    watched.release();
  });

  it('when the fan-out fails: readers catch up on the retry, writers do not wait for it', async (t) => {
    const room = await newsroomFor(t);
    const errors: string[] = [];
    const { hub, watched } = quietHub(room, {
      maxPaceMs: 60_000,
      retryMs: { first: 200, max: 200 },
      onError: (_error, _pageId, during) => errors.push(during),
    });
    const sink = new MemorySink();
    const page = await room.page();
    await hub.connect(page, 0, sink);
    watched.holdReads(() => true);
    await room.publish('One');
    await watched.heldRead(0);
    await room.publish('Two');
    const held = hub.pace(page.id);
    // The held read answers with a failure: the writer is answered then, not at the retry.
    watched.failReads(1);
    watched.release();
    await room.publish('Three');
    assert.equal(await settledWithin(held, 150), true, 'answered when the read failed');
    await sink.arrived(3);
    assert.deepEqual(sink.ids(), [1, 2, 3]);
    assert.ok(errors.length >= 1, `errors: ${errors.join(', ')}`);
  });
});

describe('fan-out hub: readers that leave', () => {
  it('catches up on the retry only the readers still there', async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two']) await room.publish(headline);
    const errors: string[] = [];
    const { hub, watched } = quietHub(room, {
      retryMs: { first: 30, max: 30 },
      onError: (_error, _pageId, during) => errors.push(during),
    });
    const page = await room.page();
    const staying = new MemorySink();
    const leaving = new MemorySink();
    watched.failReads(2);
    await hub.connect(page, 0, staying);
    const leave = await hub.connect(page, 0, leaving);
    assert.deepEqual(errors, ['catch-up', 'catch-up']);
    leave();
    await staying.arrived(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(staying.ids(), [1, 2]);
    assert.deepEqual(leaving.ids(), [], 'the reader who left is not written to');
    const catchUps = watched.reads.filter((from) => from === 0);
    assert.equal(catchUps.length, 3, 'two failed reads, then one for the reader left');
    assert.equal(hub.readerCounts().get(page.id), 1);
  });

  it('drops a reader whose connection closed while it was catching up', async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two']) await room.publish(headline);
    const { hub, watched } = quietHub(room);
    const page = await room.page();
    const staying = new MemorySink();
    await hub.connect(page, page.lastSeq, staying);
    watched.holdReads((from) => from === 0);
    const closing = new MemorySink();
    const connecting = hub.connect(page, 0, closing);
    await watched.heldRead(0);
    closing.destroyed = true;
    watched.release();
    await within(connecting, 2000, 'the closed reader’s catch-up never ended');
    assert.deepEqual(closing.ids(), []);
    assert.equal(hub.readerCounts().get(page.id), 1);
  });
});

describe('fan-out hub: production defaults, the log and the slices', () => {
  it('reads at most 500 changes of the log at a time', async (t) => {
    const room = await newsroomFor(t);
    await room.publish('One');
    const limits: number[] = [];
    const store = new Proxy(room.store, {
      get(target, name, receiver) {
        if (name === 'changesSince') {
          return (...args: Parameters<StoreReader['changesSince']>) => {
            limits.push(args[2]);
            return target.changesSince(...args);
          };
        }
        const value: unknown = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) satisfies StoreReader;
    const { hub } = quietHub(room, { store });
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    await room.publish('Two');
    await sink.arrived(2);
    assert.deepEqual(limits, [500, 500], 'the catch-up read, then the fan-out read');
  });

  it('lets other work run once a pass has written for 10 ms', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = quietHub(room);
    let otherWorkRan = false;
    let seenByLast: boolean | null = null;
    const { first, last } = await manyReaders(hub, await room.page(), 300);
    // The first write takes 20 ms: by the clock's next look the slice is over.
    first.write = (chunk) => {
      first.chunks.push(chunk);
      setImmediate(() => (otherWorkRan = true));
      const until = performance.now() + 20;
      while (performance.now() < until);
    };
    last.write = (chunk) => {
      last.chunks.push(chunk);
      seenByLast = otherWorkRan;
    };
    await room.publish('One');
    await last.arrived(1);
    assert.equal(seenByLast, true, 'the pass yielded before its last reader');
  });
});
