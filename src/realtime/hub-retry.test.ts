import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemorySink } from '../../test/support/hub-readers.ts';
import {
  hubNewsroom,
  hubOver,
  NOTICES_ONLY,
  type HubNewsroom,
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

/** The waits between consecutive times. */
const gaps = (times: number[]) => times.slice(1).map((time, i) => time - (times[i] ?? 0));

describe('fan-out hub: retrying a failed read', () => {
  it('waits 250 ms by default before reading the log again', async () => {
    const room = await hubNewsroom();
    const { hub, watched, failedAt, start, since } = timedHub(room);
    try {
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
    } finally {
      hub.close();
      await room.close();
    }
  });

  it('doubles the wait after each failure up to the longest, and starts again after a success', async () => {
    const room = await hubNewsroom();
    const { hub, watched, failedAt, start, since } = timedHub(room, {
      retryMs: { first: 100, max: 400 },
    });
    try {
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
    } finally {
      hub.close();
      await room.close();
    }
  });

  it('drops a reader whose connection went away when the next change is sent', async () => {
    const room = await hubNewsroom();
    const { hub } = timedHub(room);
    try {
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
    } finally {
      hub.close();
      await room.close();
    }
  });
});
