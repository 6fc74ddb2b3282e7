import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeBus } from '../bus/bus.ts';
import { MemorySink } from '../../test/support/hub-readers.ts';
import {
  manyReaders,
  quietHub as hubOf,
  range,
  newsroomFor,
} from '../../test/support/hub-newsroom.ts';
import { settledWithin } from '../../test/support/deadline.ts';

describe('fan-out hub: one write per reader per pass', () => {
  it('writes the changes one read finds to each reader at once, in order, ids kept', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = hubOf(room);
    const readers = [new MemorySink(), new MemorySink()];
    const page = await room.page();
    for (const sink of readers) await hub.connect(page, page.lastSeq, sink);
    // Three changes whose notices were lost, then one announced: one read finds all four.
    for (const headline of ['One', 'Two', 'Three']) await room.publishUnannounced(headline);
    await room.publish('Four');
    for (const sink of readers) await sink.arrived(4);
    assert.deepEqual(watched.reads, [0], 'one read of the log');
    for (const sink of readers) {
      assert.deepEqual(sink.ids(), range(1, 4));
      assert.equal(sink.chunks.length, 1, 'the four frames in one write');
    }
    assert.equal(readers[0]?.chunks[0], readers[1]?.chunks[0], 'the same buffer to both');
  });

  it('merges changes published back to back into the next pass', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = hubOf(room);
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    // Published together: their notices arrive before the hub's next turn.
    await Promise.all(['One', 'Two', 'Three'].map((headline) => room.publish(headline)));
    await sink.arrived(3);
    assert.deepEqual(sink.ids(), [1, 2, 3]);
    assert.equal(sink.chunks.length, 1, 'one pass, one write');
    assert.deepEqual(watched.reads, [0], 'one read of the log for the three notices');
  });

  it('reads nothing for a notice of a change its readers already have', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = hubOf(room);
    const sink = new MemorySink();
    const page = await room.page();
    await hub.connect(page, 0, sink);
    await room.publish('One');
    await sink.arrived(1);
    const reads = watched.reads.length;
    for (const seq of [1, 0]) await room.bus.announce({ pageId: page.id, seq });
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(watched.reads.length, reads, 'no read of the log');
    assert.deepEqual(sink.ids(), [1]);
  });

  it('gives a reader behind the others its own run of frames, nothing twice', async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two']) await room.publish(headline);
    const { hub, watched } = hubOf(room);
    const live = new MemorySink();
    await hub.connect(await room.page(), 2, live);
    // The late reader's catch-up read is slow; changes 3 and 4 arrive meanwhile.
    watched.holdReads((from) => from === 0);
    const late = new MemorySink();
    const connecting = hub.connect(await room.page(), 0, late);
    await watched.heldRead(0);
    for (const headline of ['Three', 'Four']) await room.publishUnannounced(headline);
    await room.publish('Five');
    await live.arrived(5);
    assert.deepEqual(live.ids(), [3, 4, 5]);
    assert.equal(live.chunks.length, 1);
    watched.release();
    await connecting;
    assert.deepEqual(late.ids(), range(1, 5));
  });

  it('lets other work run between slices of a long pass', async (t) => {
    const room = await newsroomFor(t);
    // A zero slice: the hub yields at every check, which comes every 256 readers.
    const { hub, watched } = hubOf(room, { sliceMs: 0 });
    let otherWorkRan = false;
    let seenByLast: boolean | null = null;
    const { readers, first, last } = await manyReaders(hub, await room.page());
    // The first write queues other work; the last reader's write sees whether it ran.
    first.write = (chunk) => {
      first.chunks.push(chunk);
      setImmediate(() => (otherWorkRan = true));
    };
    last.write = (chunk) => {
      last.chunks.push(chunk);
      seenByLast = otherWorkRan;
    };
    await room.publish('One');
    await last.arrived(1);
    assert.equal(seenByLast, true, 'the pass yielded before its last reader');
    for (const sink of readers) assert.deepEqual(sink.ids(), [1]);
    assert.deepEqual(watched.reads, [0], 'no read of the log at a slice with nothing new');
  });

  it('takes a change that arrives while a pass yields into it for the readers not yet written', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = hubOf(room, { sliceMs: 0 });
    const page = await room.page();
    const { readers, first, last } = await manyReaders(hub, page);
    let published: Promise<unknown> | null = null;
    first.write = (chunk) => {
      first.chunks.push(chunk);
      // Committed before the pass's next slice: it joins the pass there.
      published ??= room.publish('Two');
    };
    await room.publish('One');
    await last.arrived(2);
    await published;
    await first.arrived(2);
    assert.deepEqual(last.ids(), [1, 2]);
    assert.equal(last.chunks.length, 1, 'a reader after the slice gets both in one write');
    assert.deepEqual(first.ids(), [1, 2]);
    assert.equal(first.chunks.length, 2, 'a reader before it gets what it lacks, once');
    for (const sink of readers) assert.deepEqual(sink.ids(), [1, 2]);
    assert.deepEqual(watched.reads, [0, 1], 'one read for each change, none again');
  });

  it('sends the readers written before a pass grew every change they lack, in one write', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = hubOf(room, { sliceMs: 0 });
    const { readers, first, last } = await manyReaders(hub, await room.page());
    // The pass's first read is slow: it finds change 1, while 2 and 3 are committed behind it.
    watched.holdReads((from) => from === 0);
    await room.publish('One');
    await watched.heldRead(0);
    for (const headline of ['Two', 'Three']) await room.publish(headline);
    watched.release();
    await first.arrived(3);
    assert.deepEqual(first.ids(), [1, 2, 3]);
    assert.equal(first.chunks.length, 2, 'change 1, then 2 and 3 together');
    assert.deepEqual(last.ids(), [1, 2, 3]);
    assert.equal(last.chunks.length, 1, 'a reader after the slice gets all three at once');
    for (const sink of readers) assert.deepEqual(sink.ids(), [1, 2, 3]);
    assert.deepEqual(watched.reads, [0, 1]);
  });

  it('sends a reader who connects while a pass yields each change once', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = hubOf(room, { sliceMs: 0 });
    const page = await room.page();
    const { first, last } = await manyReaders(hub, page);
    const joiner = new MemorySink();
    let joining: Promise<unknown> | null = null;
    let asked = false;
    first.write = (chunk) => {
      first.chunks.push(chunk);
      if (asked) return;
      asked = true;
      // Joins at position 0 during the pass: it catches up from memory.
      setImmediate(() => (joining = hub.connect(page, 0, joiner)));
    };
    await room.publish('One');
    await last.arrived(1);
    assert.ok(joining, 'the reader joined during the pass');
    await joining;
    await room.publish('Two');
    await joiner.arrived(2);
    assert.deepEqual(joiner.ids(), [1, 2]);
  });
});

describe('fan-out hub: pacing writers in a burst', () => {
  it('holds a writer while the page is a pass behind, and answers it when the pass takes it in', async (t) => {
    const room = await newsroomFor(t);
    // The default backlog: two changes waiting hold the writer (measured in ADR 0028).
    const { hub, watched } = hubOf(room);
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    const pageId = (await room.page()).id;
    watched.holdReads((from) => from === 0);
    await room.publish('One');
    await watched.heldRead(0);
    // The pass for change 1 is stuck in its read: 1 is waiting, then 2 behind it.
    assert.equal(await settledWithin(hub.pace(pageId), 50), true, 'one waiting: no wait');
    await room.publish('Two');
    const held = hub.pace(pageId);
    assert.equal(await settledWithin(held, 50), false, 'two waiting: the writer waits');
    await room.publish('Three');
    watched.release();
    // The pass takes its changes in: the writer is answered as it starts writing.
    assert.equal(await settledWithin(held, 2000), true, 'answered by the next pass');
    await sink.arrived(3);
    assert.deepEqual(sink.ids(), [1, 2, 3]);
  });

  it('counts the backlog from where the readers are on a page with changes before them', async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two', 'Three']) await room.publish(headline);
    const { hub, watched } = hubOf(room);
    const sink = new MemorySink();
    const page = await room.page();
    await hub.connect(page, page.lastSeq, sink);
    watched.holdReads((from) => from === 3);
    await room.publish('Four');
    await watched.heldRead(3);
    // Three changes went out before; one is waiting now, so a writer is not held.
    assert.equal(await settledWithin(hub.pace(page.id), 50), true, 'one waiting: no wait');
    await room.publish('Five');
    const held = hub.pace(page.id);
    assert.equal(await settledWithin(held, 50), false, 'two waiting: the writer waits');
    watched.release();
    assert.equal(await settledWithin(held, 2000), true, 'answered by the next pass');
    await sink.arrived(5);
    assert.deepEqual(sink.ids(), [4, 5]);
  });

  it('counts a writer from where every reader is after each round of a growing pass', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = hubOf(room, { sliceMs: 0, maxBacklog: 3 });
    const page = await room.page();
    // 300 readers: one slice, so one look for new changes, in each round.
    const { readers } = await manyReaders(hub, page, 300);
    watched.holdReads((from) => from === 0);
    await room.publish('One');
    await watched.heldRead(0);
    await room.publish('Two');
    // The first round writes change 1 and takes 2 in at its first slice, slowly...
    watched.release();
    watched.holdReads((from) => from === 1);
    await watched.heldRead(1);
    // ...while 3 is committed: the second round (for 2) takes it in at its first slice.
    await room.publish('Three');
    watched.release();
    watched.holdReads((from) => from === 2);
    await watched.heldRead(2);
    // Every reader has 1 since the first round ended: two changes wait, below the backlog.
    assert.equal(await settledWithin(hub.pace(page.id), 50), true, 'answered at once');
    watched.release();
    for (const sink of readers) await sink.arrived(3);
    for (const sink of readers) assert.deepEqual(sink.ids(), [1, 2, 3]);
  });

  it('keeps holding writers when an older notice arrives late', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = hubOf(room, { maxPaceMs: 60_000 });
    const page = await room.page();
    await hub.connect(page, 0, new MemorySink());
    watched.holdReads((from) => from === 0);
    await room.publish('One');
    await watched.heldRead(0);
    await room.publish('Two');
    // The notice of change 1 again (another process's bus, or the log check): not news.
    await room.bus.announce({ pageId: page.id, seq: 1 });
    const held = hub.pace(page.id);
    assert.equal(await settledWithin(held, 50), false, 'two still waiting: the writer waits');
    watched.release();
    assert.equal(await settledWithin(held, 2000), true, 'answered by the next pass');
  });

  it('holds no writer longer than maxPaceMs, nor on a page nobody here reads', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = hubOf(room, { maxBacklog: 1, maxPaceMs: 300 });
    const pageId = (await room.page()).id;
    assert.equal(await settledWithin(hub.pace(pageId), 50), true, 'no readers: no wait');
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    watched.holdReads(() => true);
    await room.publish('One');
    await watched.heldRead(0);
    await room.publish('Two');
    const held = hub.pace(pageId);
    assert.equal(await settledWithin(held, 10), false);
    assert.equal(await settledWithin(held, 1000), true, 'let go after maxPaceMs');
    watched.release();
  });

  it('announces through the paced bus exactly what the bus would', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = hubOf(room);
    const heard: number[] = [];
    const paced = hub.pacedBus(room.bus);
    const stop = paced.subscribe((notice) => heard.push(notice.seq));
    await paced.announce({ pageId: (await room.page()).id, seq: 7 });
    stop();
    assert.deepEqual(heard, [7]);
    assert.equal(paced.healthy(), room.bus.healthy());
  });

  it('reports the bus’s health and its changes, and closes the bus', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = hubOf(room);
    // A bus whose notices stopped travelling (Redis down), as /healthz asks it.
    const calls: string[] = [];
    const healthListeners: ((healthy: boolean) => void)[] = [];
    const down: ChangeBus = {
      announce: async () => undefined,
      subscribe: () => () => undefined,
      healthy: () => false,
      onHealthChange: (listener) => {
        healthListeners.push(listener);
        return () => calls.push('health listener removed');
      },
      close: async () => {
        calls.push('closed');
      },
    };
    const paced = hub.pacedBus(down);
    assert.equal(paced.healthy(), false);
    const heard: boolean[] = [];
    const stop = paced.onHealthChange((healthy) => heard.push(healthy));
    for (const listener of healthListeners) listener(true);
    assert.deepEqual(heard, [true]);
    stop();
    await paced.close();
    assert.deepEqual(calls, ['health listener removed', 'closed']);
  });
});
