import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemorySink } from '../../test/support/hub-readers.ts';
import { quietHub as hubOf, range, newsroomFor } from '../../test/support/hub-newsroom.ts';
import { within } from '../../test/support/deadline.ts';

describe('fan-out hub: what each reader is sent, and in what order', () => {
  it('replays from memory starting at exactly the change after the reader’s', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = hubOf(room);
    const live = new MemorySink();
    await hub.connect(await room.page(), 0, live);
    for (const headline of ['One', 'Two', 'Three', 'Four', 'Five']) await room.publish(headline);
    await live.arrived(5);
    const readsBefore = watched.reads.length;
    const page = await room.page();
    for (const [since, expected] of [
      [2, [3, 4, 5]],
      [4, [5]],
      [5, []],
    ] as const) {
      const sink = new MemorySink();
      await hub.connect(page, since, sink);
      assert.deepEqual(sink.ids(), expected, `a reader at ${since}`);
    }
    assert.equal(watched.reads.length, readsBefore, 'recent changes come from memory');
  });

  it('sends each change as a `change` event, the one a page’s EventSource listens for', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = hubOf(room);
    const live = new MemorySink();
    await hub.connect(await room.page(), 0, live);
    await room.publish('One');
    await room.publish('Two');
    await live.arrived(2);
    const frames = Buffer.concat(live.chunks).toString().split('\n\n').filter(Boolean);
    assert.deepEqual(
      frames.map((text) =>
        text
          .split('\n')
          .filter((line) => !line.startsWith('data: '))
          .sort(),
      ),
      [
        ['event: change', 'id: 1'],
        ['event: change', 'id: 2'],
      ],
    );
  });

  it('never sends a change twice, nor skips one, to a reader catching up while changes arrive', async (t) => {
    const room = await newsroomFor(t);
    for (const headline of ['One', 'Two', 'Three']) await room.publish(headline);
    const { hub, watched } = hubOf(room);
    const live = new MemorySink();
    await hub.connect(await room.page(), 3, live);
    // The late reader's read of the log is slow: change 4 is fanned out meanwhile.
    watched.holdReads((from) => from === 0);
    const late = new MemorySink();
    const connecting = hub.connect(await room.page(), 0, late);
    await watched.heldRead(0);
    await room.publish('Four');
    await live.arrived(4);
    assert.deepEqual(late.ids(), [], 'nothing live before its catch-up is done');
    watched.release();
    await within(connecting, 2000, 'the late reader never finished catching up');
    assert.deepEqual(late.ids(), [1, 2, 3, 4]);
    await room.publish('Five');
    await late.arrived(5);
    assert.deepEqual(late.ids(), [1, 2, 3, 4, 5]);
    assert.deepEqual(live.ids(), [4, 5]);
  });

  it('sends a reader given the page as it is now none of the changes that page holds', async (t) => {
    const room = await newsroomFor(t);
    const { hub, snapshots } = hubOf(room);
    const live = new MemorySink();
    await hub.connect(await room.page(), 0, live);
    for (let i = 1; i <= 300; i++) await room.publish(`Post ${i}`);
    await live.arrived(300);
    // Five more whose notices are lost: the hub's channel is behind the log.
    for (let i = 301; i <= 305; i++) await room.publishUnannounced(`Post ${i}`);
    const far = new MemorySink();
    await hub.connect(await room.page(), 0, far);
    assert.equal(snapshots(), 1);
    assert.deepEqual(far.ids(), [305], 'one snapshot of the page at 305');
    await room.publish('Post 306');
    await far.arrived(306);
    await live.arrived(306);
    assert.deepEqual(far.ids(), [305, 306], 'changes 301-305 were in the snapshot');
    assert.deepEqual(live.ids(), range(1, 306));
  });

  it('sends the next change to a reader that claims a position past the log', async (t) => {
    const room = await newsroomFor(t);
    await room.publish('One');
    const { hub } = hubOf(room);
    const sink = new MemorySink();
    await hub.connect(await room.page(), 999, sink);
    await room.publish('Two');
    await sink.arrived(2);
    assert.deepEqual(sink.ids(), [2]);
  });

  it('does not drop a notice that arrives while the log is being read', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = hubOf(room);
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    watched.holdReads((from) => from === 0);
    await room.publish('One');
    await watched.heldRead(0);
    await room.publish('Two');
    watched.release();
    await sink.arrived(2, 1000);
    assert.deepEqual(sink.ids(), [1, 2]);
    assert.deepEqual(watched.reads, [0, 1], 'one read of the log at a time, then the next');
  });

  it('reads on until the log is drained when one read fills a batch', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = hubOf(room, { batch: 2 });
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    for (const headline of ['One', 'Two', 'Three', 'Four', 'Five'])
      await room.publishUnannounced(headline);
    await room.publish('Six');
    await sink.arrived(6, 1000);
    assert.deepEqual(sink.ids(), range(1, 6));
    assert.deepEqual(watched.reads, [0, 2, 4, 6], 'two changes a read, then an empty one');
  });
});

describe('fan-out hub: each event carries the page as it is', () => {
  it('gives a post event the post count after it, and a page event its own page', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = hubOf(room);
    const live = new MemorySink();
    await hub.connect(await room.page(), 0, live);
    // One at a time: changes that arrive together share one read, and their posts the
    // page as it is after all of them (the next test).
    await room.publish('One');
    await live.arrived(1);
    await room.editPage({ status: 'paused' });
    await live.arrived(2);
    await room.editPage({ title: 'Talks resume' });
    await live.arrived(3);
    await room.publish('Two');
    await live.arrived(4);
    assert.deepEqual(
      live.events().map((e) => [e.seq, e.kind, e.title, e.status, e.postCount]),
      [
        [1, 'post.published', 'Talks', 'live', 1],
        [2, 'page.status_changed', 'Talks', 'paused', 1],
        [3, 'page.updated', 'Talks resume', 'paused', 1],
        [4, 'post.published', 'Talks resume', 'paused', 2],
      ],
    );
    // Replayed from memory: the same frames, page events never stood in for.
    const late = new MemorySink();
    await hub.connect(await room.page(), 0, late);
    assert.deepEqual(late.events(), live.events());
  });

  it('replays page changes from the log each with its own page, posts with the page now', async (t) => {
    const room = await newsroomFor(t);
    await room.publish('One');
    const { hub } = hubOf(room);
    // The channel opens at 1; a page-only change moves it on without reading the page.
    const live = new MemorySink();
    await hub.connect(await room.page(), 1, live);
    await room.editPage({ status: 'paused' });
    await live.arrived(2);
    await room.editPage({ title: 'Talks resume' });
    await live.arrived(3);
    // Change 1 was never fanned out here: it is read from the log and framed now.
    const late = new MemorySink();
    await hub.connect(await room.page(), 0, late);
    assert.deepEqual(
      late.events().map((e) => [e.seq, e.kind, e.title, e.status]),
      [
        [1, 'post.published', 'Talks resume', 'paused'],
        [2, 'page.status_changed', 'Talks', 'paused'],
        [3, 'page.updated', 'Talks resume', 'paused'],
      ],
    );
  });
});
