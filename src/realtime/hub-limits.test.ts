import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { MemorySink } from '../../test/support/hub-readers.ts';
import {
  encodeWithPage,
  hubNewsroom,
  hubOver,
  newsroomFor,
} from '../../test/support/hub-newsroom.ts';
import { until } from '../../test/support/deadline.ts';

const MiB = 1024 * 1024;

describe('fan-out hub: production defaults', () => {
  it('cuts off a reader with more than 1 MiB unsent, and keeps one with exactly 1 MiB', async (t) => {
    const room = await newsroomFor(t);
    const { hub, cutOff } = hubOver(room);
    const page = await room.page();
    const full = new MemorySink();
    const over = new MemorySink();
    await hub.connect(page, 0, full);
    await hub.connect(page, 0, over);
    full.writableLength = MiB;
    over.writableLength = MiB + 1;
    await room.publish('One');
    await full.arrived(1);
    assert.equal(full.destroyed, false);
    assert.equal(over.destroyed, true, 'the reader over 1 MiB is cut off');
    assert.deepEqual(over.ids(), []);
    assert.deepEqual(cutOff, [page.id]);
    assert.equal(hub.readerCounts().get(page.id), 1);
  });

  it('checks the log every 5 s, and sends a reader a heartbeat every quiet 15 s', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    const room = await hubNewsroom();
    const { hub } = hubOver(room);
    try {
      const sink = new MemorySink();
      await hub.connect(await room.page(), 0, sink);
      await room.publishUnannounced('Notice lost');
      mock.timers.tick(4_999);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(sink.ids(), [], 'nothing before the first check of the log');
      mock.timers.tick(1);
      await sink.arrived(1, 1000);
      mock.timers.tick(15_000 - 5_000 - 1);
      assert.equal(sink.heartbeats(), 0, 'no heartbeat before 15 s');
      mock.timers.tick(1);
      assert.equal(sink.heartbeats(), 0, 'none at 15 s either: the change at 5 s was written');
      mock.timers.tick(15_000 - 1);
      assert.equal(sink.heartbeats(), 0, 'none before 30 s');
      mock.timers.tick(1);
      assert.equal(sink.heartbeats(), 1, 'one at 30 s, after a quiet interval');
      mock.timers.tick(15_000);
      assert.equal(sink.heartbeats(), 2, 'and one every 15 s while the page stays quiet');
    } finally {
      hub.close();
      mock.timers.reset();
      await room.close();
    }
  });
});

describe('fan-out hub: readers that stop reading, and idle ones', () => {
  it('never cuts off a reader below the size of the frame in hand', async (t) => {
    const room = await newsroomFor(t);
    // Each frame is about 2,000 bytes, far over the 100-byte bound.
    const { hub, cutOff } = hubOver(room, {
      maxBufferedBytes: 100,
      encode: (change, page) =>
        JSON.stringify({ ...JSON.parse(encodeWithPage(change, page)), pad: 'x'.repeat(2000) }),
    });
    const page = await room.page();
    const reading = new MemorySink();
    const stuck = new MemorySink();
    await hub.connect(page, 0, reading);
    await hub.connect(page, 0, stuck);
    // Still taking in the last large frame: over the bound, under one frame.
    reading.writableLength = 1500;
    stuck.writableLength = 2500;
    await room.publish('One');
    await reading.arrived(1);
    assert.equal(reading.destroyed, false);
    assert.equal(stuck.destroyed, true);
    assert.deepEqual(cutOff, [page.id]);
  });

  it('sends a heartbeat to an idle reader in time, and cuts off one that stopped reading', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = hubOver(room, { heartbeatMs: 50, maxBufferedBytes: 100 });
    const page = await room.page();
    const idle = new MemorySink();
    const stopped = new MemorySink();
    await hub.connect(page, 0, idle);
    await hub.connect(page, 0, stopped);
    stopped.writableLength = 101;
    await until(
      () => idle.heartbeats() >= 2,
      1000,
      (ms) => `only ${idle.heartbeats()} heartbeat(s) within ${ms} ms, one due every 50 ms`,
    );
    assert.deepEqual(idle.ids(), [], 'heartbeats are not events');
    assert.equal(stopped.destroyed, true);
    assert.equal(stopped.heartbeats(), 0);
    assert.equal(hub.readerCounts().get(page.id), 1);
  });

  it('sends no heartbeat to the readers of a page written since the last one', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    const room = await hubNewsroom();
    const { hub } = hubOver(room, { heartbeatMs: 1_000 });
    try {
      const busy = new MemorySink();
      await hub.connect(await room.page(), 0, busy);
      for (let second = 1; second <= 3; second++) {
        await room.publish(`Update ${second}`);
        await busy.arrived(second, 1000);
        mock.timers.tick(1_000);
      }
      assert.equal(busy.heartbeats(), 0, 'a change every interval: no heartbeat');
      mock.timers.tick(1_000);
      assert.equal(busy.heartbeats(), 1, 'the first quiet interval gets one');
    } finally {
      hub.close();
      mock.timers.reset();
      await room.close();
    }
  });

  it('sends the heartbeat after a pass that found nothing to write', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    const room = await hubNewsroom();
    const { hub, watched } = hubOver(room, { heartbeatMs: 1_000 });
    try {
      const idle = new MemorySink();
      const page = await room.page();
      await hub.connect(page, 0, idle);
      // A notice with nothing committed behind it (its write rolled back): the pass reads
      // the log, finds nothing and writes nothing, so the page is still quiet.
      await room.bus.announce({ pageId: page.id, seq: 1 });
      await until(
        () => watched.reads.length === 1,
        1000,
        (ms) => `no read within ${ms} ms`,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      mock.timers.tick(1_000);
      assert.equal(idle.heartbeats(), 1, 'the quiet interval gets its heartbeat');
      assert.deepEqual(idle.ids(), []);
    } finally {
      hub.close();
      mock.timers.reset();
      await room.close();
    }
  });

  it('tells every reader to reconnect when it closes', async () => {
    const room = await hubNewsroom();
    const { hub } = hubOver(room);
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    hub.close();
    await room.close();
    assert.equal(sink.ended, true);
    assert.match(
      sink.chunks.at(-1)?.toString() ?? '',
      /^event: reconnect\nretry: \d+\ndata: \n\n$/,
    );
  });
});

describe('fan-out hub: bounded memory', () => {
  it('keeps the newest 256 frames: a reader 256 behind is replayed from memory, 257 gets the page', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched, snapshots } = hubOver(room);
    const live = new MemorySink();
    await hub.connect(await room.page(), 0, live);
    for (let i = 1; i <= 300; i++) await room.publish(`Post ${i}`);
    await live.arrived(300);
    const page = await room.page();
    const reads = watched.reads.length;
    const near = new MemorySink();
    await hub.connect(page, 44, near);
    assert.equal(near.ids().length, 256);
    assert.deepEqual([near.ids()[0], near.ids().at(-1)], [45, 300]);
    assert.equal(watched.reads.length, reads, 'no read of the log');
    assert.equal(snapshots(), 0);
    const far = new MemorySink();
    await hub.connect(page, 43, far);
    assert.deepEqual(far.ids(), [300], 'the page as it is now, not 257 changes');
    assert.match(far.chunks[0]?.toString() ?? '', /^event: change\nid: 300\n/, 'a change event');
    assert.equal(snapshots(), 1);
    // The next reader that far behind is sent the same render: nothing changed since.
    const further = new MemorySink();
    await hub.connect(page, 0, further);
    assert.deepEqual(further.ids(), [300]);
    assert.equal(snapshots(), 1, 'rendered once until the page changes');
  });

  it('replays up to 32 changes from the log, and gives a reader further behind the page', async (t) => {
    const room = await newsroomFor(t);
    for (let i = 1; i <= 300; i++) await room.publish(`Post ${i}`);
    const { hub, watched, snapshots } = hubOver(room);
    const page = await room.page();
    const near = new MemorySink();
    await hub.connect(page, 268, near);
    assert.deepEqual([near.ids().length, near.ids()[0], near.ids().at(-1)], [32, 269, 300]);
    assert.deepEqual(watched.reads, [268], 'one read of the log');
    assert.equal(snapshots(), 0);
    // A second hub: nothing of this page in its memory. Rendering 256 changes for a stream
    // that may leave at once would cost about eight snapshots.
    const other = hubOver(room);
    try {
      const far = new MemorySink();
      await other.hub.connect(page, 267, far);
      assert.deepEqual(far.ids(), [300]);
      assert.equal(other.snapshots(), 1);
      assert.deepEqual(other.watched.reads, [], 'no read of the log');
    } finally {
      other.hub.close();
    }
  });
});
