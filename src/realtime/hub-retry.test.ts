import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { until } from '../../test/support/deadline.ts';
import { MemorySink } from '../../test/support/hub-readers.ts';
import {
  encodeWithPage,
  hubOver,
  manyReaders,
  NOTICES_ONLY,
  type HubNewsroom,
  newsroomFor,
} from '../../test/support/hub-newsroom.ts';
import type { HubOptions } from './hub.ts';

/** A hub whose failures are timed: when each was reported, in ms since `start()`. */
function timedHub(room: HubNewsroom, options: Partial<HubOptions> = {}) {
  let started = 0;
  const failedAt: number[] = [];
  const { hub, watched } = hubOver(room, {
    ...NOTICES_ONLY,
    onError: () => failedAt.push(Date.now() - started),
    ...options,
  });
  return {
    hub,
    watched,
    failedAt,
    start: () => {
      started = Date.now();
      failedAt.length = 0;
    },
    since: () => Date.now() - started,
  };
}

/** Resolves once `count` failures have been reported; fails after 2 s saying how many were. */
const failures = (failedAt: number[], count: number) =>
  until(
    () => failedAt.length >= count,
    2000,
    (ms) => `${failedAt.length} of ${count} failures reported within ${ms} ms`,
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The waits between consecutive times. */
const gaps = (times: number[]) => times.slice(1).map((time, i) => time - (times[i] ?? 0));

describe('fan-out hub: retrying a failed read', () => {
  it('waits 250 ms by default before reading the log again', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched, failedAt, start, since } = timedHub(room);
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    watched.failReads(1);
    start();
    await room.publish('One');
    await sink.arrived(1, 2000);
    // From the failure: on a loaded machine the publish alone can take 250 ms.
    const arrived = since() - (failedAt[0] ?? 0);
    assert.equal(failedAt.length, 1);
    assert.ok(arrived >= 245, `retried ${arrived} ms after the failure, before 250 ms`);
    assert.ok(arrived < 1000, `retried ${arrived} ms after the failure`);
  });

  it('doubles the wait after each failure up to the longest, and starts again after a success', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched, failedAt, start, since } = timedHub(room, {
      retryMs: { first: 100, max: 400 },
    });
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    watched.failReads(4);
    start();
    await room.publish('One');
    await sink.arrived(1, 5000);
    const waits = [...gaps(failedAt), since() - (failedAt.at(-1) ?? 0)];
    const expected = [100, 200, 400, 400];
    assert.equal(waits.length, 4, `failures at ${failedAt.join(', ')} ms`);
    waits.forEach((wait, i) => {
      const want = expected[i] ?? 0;
      assert.ok(
        // A timer may fire a millisecond or two before the clock that measures it says.
        wait >= want - 5 && wait < want + 250,
        `waits ${waits.join(', ')} ms, not ${expected}`,
      );
    });
    // Working again: the next failure waits the first wait, not the longest.
    watched.failReads(1);
    start();
    await room.publish('Two');
    await sink.arrived(2, 5000);
    const wait = since();
    assert.ok(wait >= 95 && wait < 400, `waited ${wait} ms after a fresh failure, not ~100`);
  });

  it('schedules one retry however many reads fail while it waits', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched, failedAt } = timedHub(room, { retryMs: { first: 300, max: 1_000 } });
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    watched.failReads(2);
    await room.publish('One');
    await failures(failedAt, 1);
    // A second notice while the retry waits: its pass fails too, and adds no retry.
    await room.publish('Two');
    await failures(failedAt, 2);
    await sink.arrived(2, 2000);
    // A second retry would have come 600 ms after the second failure.
    await sleep(900);
    assert.deepEqual(watched.reads, [0, 0, 0], 'two failed reads, then the one retry');
    assert.deepEqual(sink.ids(), [1, 2]);
  });

  it('reads the log once at a time: a retry that comes due while a pass is reading waits', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched, failedAt } = timedHub(room, { retryMs: { first: 300, max: 1_000 } });
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    watched.failReads(1);
    await room.publish('One');
    await failures(failedAt, 1);
    // Before the retry, a notice starts a pass whose read is slow; the retry comes due.
    watched.holdReads((from) => from === 0);
    await room.publish('Two');
    await watched.heldRead(0);
    await sleep(500);
    assert.deepEqual(watched.reads, [0, 0], 'the failed read and the one under way');
    watched.release();
    await sink.arrived(2);
    assert.deepEqual(sink.ids(), [1, 2]);
  });

  it('reads nothing more for a page whose last reader left while its read failed', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched, failedAt } = timedHub(room, { retryMs: { first: 50, max: 50 } });
    const page = await room.page();
    const leave = await hub.connect(page, 0, new MemorySink());
    watched.holdReads((from) => from === 0);
    await room.publish('One');
    await watched.heldRead(0);
    leave();
    watched.failHeld();
    await failures(failedAt, 1);
    await sleep(300);
    assert.deepEqual(watched.reads, [0], 'no retry for a page nobody here reads');
    assert.equal(hub.readerCounts().has(page.id), false);
  });

  it('sends every change to the readers a pass had not reached when a read in it failed', async (t) => {
    const room = await newsroomFor(t);
    // A zero slice: the pass yields every 256 readers, and reads the log there if told to.
    const { hub, watched, failedAt } = timedHub(room, {
      sliceMs: 0,
      retryMs: { first: 50, max: 50 },
    });
    const { readers, first, last } = await manyReaders(hub, await room.page());
    let published: Promise<unknown> | null = null;
    first.write = (chunk) => {
      first.chunks.push(chunk);
      // Change 2 is committed before the pass's next slice, whose read of it fails: the
      // readers after the slice have not been written change 1.
      if (published) return;
      watched.failReads(1);
      published = room.publish('Two');
    };
    await room.publish('One');
    await failures(failedAt, 1);
    await last.arrived(2, 2000);
    await published;
    for (const [i, sink] of readers.entries()) {
      await sink.arrived(2, 2000);
      assert.deepEqual(sink.ids(), [1, 2], `reader ${i}`);
    }
    assert.equal(failedAt.length, 1);
  });

  it('sends the changes rendered before a render that failed, with the rest, on the retry', async (t) => {
    const room = await newsroomFor(t);
    let failRender = true;
    const { hub, failedAt } = timedHub(room, {
      retryMs: { first: 50, max: 50 },
      encode: (change, page) => {
        if (change.seq === 2 && failRender) {
          failRender = false;
          throw new Error('the template failed');
        }
        return encodeWithPage(change, page);
      },
    });
    const page = await room.page();
    const sink = new MemorySink();
    await hub.connect(page, 0, sink);
    // One pass reads both changes and renders change 1 before change 2's render fails.
    await room.publishUnannounced('One');
    await room.publishUnannounced('Two');
    await room.bus.announce({ pageId: page.id, seq: 2 });
    await failures(failedAt, 1);
    await sink.arrived(2, 2000);
    assert.deepEqual(sink.ids(), [1, 2]);
    assert.equal(sink.chunks.length, 2, 'the change it had, then the one that failed');
  });

  it('drops a reader whose connection went away when the next change is sent', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = timedHub(room);
    const page = await room.page();
    const gone = new MemorySink();
    const staying = new MemorySink();
    await hub.connect(page, 0, gone);
    await hub.connect(page, 0, staying);
    gone.destroyed = true;
    await room.publish('One');
    await staying.arrived(1);
    assert.deepEqual(gone.ids(), []);
    assert.equal(hub.readerCounts().get(page.id), 1);
  });
});
