import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LivePage } from '../domain/page.ts';
import type { StoreReader } from '../store/store.ts';
import { MemorySink } from '../../test/support/hub-readers.ts';
import { manyReaders, quietHub, range, newsroomFor } from '../../test/support/hub-newsroom.ts';
import { until } from '../../test/support/deadline.ts';
import type { HubFailure } from './hub.ts';

/** What the hub reported delivered: [page id, readers reached, change seq] per change. */
type Delivered = [string, number, number][];

describe('fan-out hub: what it reports to the metrics', () => {
  it('counts each change once per reader it reached, not the readers cut off or gone', async (t) => {
    const room = await newsroomFor(t);
    const delivered: Delivered = [];
    const { hub, cutOff } = quietHub(room, {
      maxBufferedBytes: 100,
      onDelivered: (pageId, count, change) => delivered.push([pageId, count, change.seq]),
    });
    const page = await room.page();
    const readers = [new MemorySink(), new MemorySink(), new MemorySink()];
    const [stuck, gone] = [new MemorySink(), new MemorySink()];
    for (const sink of [...readers, stuck, gone]) await hub.connect(page, 0, sink);
    stuck.writableLength = 10_000;
    gone.destroyed = true;
    // Two changes in one pass (the first one's notice lost), then one on its own.
    await room.publishUnannounced('One');
    await room.publish('Two');
    for (const sink of readers) await sink.arrived(2);
    await room.publish('Three');
    for (const sink of readers) await sink.arrived(3);
    await until(
      () => delivered.length === 3,
      1000,
      () => `reported ${JSON.stringify(delivered)}`,
    );
    assert.deepEqual(delivered, [
      [page.id, 3, 1],
      [page.id, 3, 2],
      [page.id, 3, 3],
    ]);
    assert.deepEqual(cutOff, [page.id], 'the stuck reader is reported cut off, once');
    assert.equal(hub.readerCounts().get(page.id), 3);
  });

  it('counts every reader once per change when a pass grows while it writes', async (t) => {
    const room = await newsroomFor(t);
    const delivered: Delivered = [];
    const { hub } = quietHub(room, {
      sliceMs: 0,
      onDelivered: (pageId, count, change) => delivered.push([pageId, count, change.seq]),
    });
    const page = await room.page();
    const { readers, first } = await manyReaders(hub, page);
    let published: Promise<unknown> | null = null;
    first.write = (chunk) => {
      first.chunks.push(chunk);
      published ??= room.publish('Two');
    };
    await room.publish('One');
    await published;
    for (const sink of readers) await sink.arrived(2);
    await until(
      () => delivered.length === 2,
      1000,
      () => `reported ${JSON.stringify(delivered)}`,
    );
    // Readers before the slice got 1 then 2, those after it 1 and 2 together: 600 each.
    assert.deepEqual(delivered, [
      [page.id, 600, 1],
      [page.id, 600, 2],
    ]);
    for (const sink of readers) assert.deepEqual(sink.ids(), [1, 2]);
  });

  it('reports a failed check of the log, keeps its readers, and finds the change at the next check', async (t) => {
    const room = await newsroomFor(t);
    let failPageReads = 1;
    const errors: [string, HubFailure][] = [];
    const store = new Proxy(room.store, {
      get(target, name, receiver) {
        if (name === 'getPageById') {
          return async (id: string): Promise<LivePage | null> => {
            if (failPageReads > 0) {
              failPageReads -= 1;
              throw new Error('the database went away');
            }
            return target.getPageById(id);
          };
        }
        const value: unknown = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) satisfies StoreReader;
    const { hub } = quietHub(room, {
      store,
      pollMs: 30,
      onError: (_error, pageId, during) => errors.push([pageId, during]),
    });
    const page = await room.page();
    const sink = new MemorySink();
    await hub.connect(page, 0, sink);
    failPageReads = 1;
    await room.publishUnannounced('Notice lost');
    await sink.arrived(1, 2000);
    assert.deepEqual(errors, [[page.id, 'fan-out']]);
    assert.equal(sink.destroyed, false);
    assert.deepEqual(sink.ids(), range(1, 1));
  });
});
