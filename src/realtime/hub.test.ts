import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryBus } from '../bus/memory/memory-bus.ts';
import type { User } from '../domain/user.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { createPage } from '../services/pages.ts';
import { publishPost } from '../services/posts.ts';
import { findPage } from '../services/pages.ts';
import { connectSqlite } from '../store/sqlite/connect.ts';
import { FanoutHub, type Sink } from './hub.ts';

class MemorySink implements Sink {
  chunks: Buffer[] = [];
  writableLength = 0;
  ended = false;
  destroyed = false;
  write(chunk: Buffer) {
    this.chunks.push(chunk);
  }
  end(chunk?: Buffer) {
    if (chunk) this.chunks.push(chunk);
    this.ended = true;
  }
  destroy() {
    this.destroyed = true;
  }
  /** The ids of the change events received, in order. */
  ids(): number[] {
    return this.chunks.flatMap((c) =>
      [...c.toString().matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])),
    );
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

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
    await settle();
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
    await settle();
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
    await new Promise((resolve) => setTimeout(resolve, 200));
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
    await settle();
    assert.equal(slow.destroyed, true);
    assert.deepEqual(slow.ids(), []);
    assert.deepEqual(fast.ids(), [page.lastSeq + 1]);
    assert.equal(hub.readerCounts().get(page.id), 1);
    disconnect();
  });
});
