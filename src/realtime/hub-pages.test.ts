import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { MemorySink } from '../../test/support/hub-readers.ts';
import { hubNewsroom, hubOver, quietHub, newsroomFor } from '../../test/support/hub-newsroom.ts';

describe('fan-out hub: the page each event is sent with', () => {
  it('reads the page again for a post change, not for a page change', async (t) => {
    const room = await newsroomFor(t);
    let pageReads = 0;
    const store = new Proxy(room.store, {
      get(target, name, receiver) {
        if (name === 'getPageById') pageReads += 1;
        const value: unknown = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { hub } = quietHub(room, { store });
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    // A post whose notice was lost, then a page change: one read finds both.
    await room.publishUnannounced('One');
    await room.editPage({ title: 'Talks resume' });
    await sink.arrived(2);
    assert.deepEqual(
      sink.events().map((e) => [e.seq, e.kind, e.title, e.postCount]),
      [
        [1, 'post.published', 'Talks resume', 1],
        [2, 'page.updated', 'Talks resume', 1],
      ],
      'the post with the page as it is after the read',
    );
    assert.equal(pageReads, 1);
    await room.editPage({ title: 'Talks again' });
    await sink.arrived(3);
    assert.equal(pageReads, 1, 'a page change carries its page: no read');
  });

  it('sends a change a catch-up read before the fan-out took it with the page after it', async (t) => {
    const room = await newsroomFor(t);
    await room.publish('One');
    const { hub } = quietHub(room);
    const live = new MemorySink();
    await hub.connect(await room.page(), 1, live);
    // Committed, its notice not yet here, when a reader's catch-up reads the log past it.
    await room.publishUnannounced('Two');
    await hub.connect(await room.page(), 0, new MemorySink());
    await room.bus.announce({ pageId: (await room.page()).id, seq: 2 });
    await live.arrived(2);
    assert.deepEqual(
      live.events().map((e) => [e.seq, e.postCount]),
      [[2, 2]],
      'the second post, on a page of two',
    );
  });

  it('frames page changes read from the log each with its own page, whatever the page is now', async (t) => {
    const room = await newsroomFor(t);
    await room.editPage({ status: 'paused' });
    await room.editPage({ title: 'Talks resume' });
    await room.editPage({ status: 'live' });
    // A hub that never saw these changes: a reader from 0 is replayed them from the log.
    const { hub } = quietHub(room);
    const late = new MemorySink();
    await hub.connect(await room.page(), 0, late);
    assert.deepEqual(
      late.events().map((e) => [e.seq, e.kind, e.title, e.status]),
      [
        [1, 'page.status_changed', 'Talks', 'paused'],
        [2, 'page.updated', 'Talks resume', 'paused'],
        [3, 'page.status_changed', 'Talks resume', 'live'],
      ],
    );
  });

  it('lends a resuming reader the page as far as the hub has sent it, not further', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = quietHub(room);
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    // The fan-out's read finds change 1; change 2 is committed before it reads the page.
    watched.holdReads((from) => from === 0);
    await room.publish('One');
    await watched.heldRead(0);
    await room.publishUnannounced('Two');
    watched.release();
    await sink.arrived(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(sink.ids(), [1]);
    const lent = hub.resumablePage('hub', 1);
    assert.equal(lent?.lastSeq, 1, 'what every reader here has been sent');
    assert.equal(lent?.slug, 'hub');
    assert.equal(lent?.postCount, 2, 'the page as last read');
    assert.equal((await room.page()).lastSeq, 2, 'the store is ahead');
  });
});

describe('fan-out hub: a reader’s disconnect', () => {
  it('is harmless twice, after the page’s channel is gone, and after the hub closed', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = quietHub(room);
    const page = await room.page();
    const leave = await hub.connect(page, 0, new MemorySink());
    leave();
    leave();
    const stay = new MemorySink();
    const leaveLater = await hub.connect(page, 0, stay);
    const leaveAgain = await hub.connect(page, 0, new MemorySink());
    leave();
    assert.equal(hub.readerCounts().get(page.id), 2, 'an old disconnect drops no one else');
    leaveAgain();
    hub.close();
    leaveLater();
    assert.equal(stay.ended, true);
  });
});

describe('fan-out hub: heartbeats', () => {
  it('sends a new reader of a quiet page its first heartbeat after one interval', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    const room = await hubNewsroom();
    const { hub } = hubOver(room);
    try {
      const sink = new MemorySink();
      await hub.connect(await room.page(), 0, sink);
      mock.timers.tick(15_000 - 1);
      assert.equal(sink.heartbeats(), 0);
      mock.timers.tick(1);
      assert.equal(sink.heartbeats(), 1, 'one at 15 s');
    } finally {
      hub.close();
      mock.timers.reset();
      await room.close();
    }
  });
});
