import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Change } from '../domain/change.ts';
import type { LivePage } from '../domain/page.ts';
import { MemorySink } from '../../test/support/hub-readers.ts';
import {
  encodeWithPage,
  manyReaders,
  quietHub,
  newsroomFor,
} from '../../test/support/hub-newsroom.ts';

/** The goodbye: reconnect after a delay drawn from 0.5 to 3 s. */
const RECONNECT = /^event: reconnect\nretry: (\d+)\ndata: \n\n$/;
const goodbyeRetryOf = (chunk: Buffer | undefined): number => {
  const match = RECONNECT.exec(chunk?.toString() ?? '');
  assert.ok(match, `not a goodbye: ${JSON.stringify(chunk?.toString())}`);
  return Number(match[1]);
};

/** Lets the hub's next turns run (a pass starts on the loop's next turn). */
const turns = async (count = 5) => {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('fan-out hub: nothing is written after it closes', () => {
  it('drops a change announced just before it closes: readers resume it on reconnect', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = quietHub(room);
    const sink = new MemorySink();
    await hub.connect(await room.page(), 0, sink);
    await room.publish('One');
    // The pass would start on the next turn; the hub closes first.
    hub.close();
    await turns();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(sink.ids(), []);
    assert.match(sink.chunks.at(-1)?.toString() ?? '', RECONNECT, 'the goodbye is the last write');
    assert.deepEqual(watched.reads, [], 'no read of the log once closed');
  });

  it('reads nothing for a page whose last reader left before the pass began', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = quietHub(room);
    const leave = await hub.connect(await room.page(), 0, new MemorySink());
    await room.publish('One');
    leave();
    await turns();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(watched.reads, []);
    assert.equal(hub.readerCounts().size, 0);
  });

  it('stops a long pass at its next slice when it closes', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = quietHub(room, { sliceMs: 0 });
    const page = await room.page();
    const { first, last } = await manyReaders(hub, page);
    first.write = (chunk) => {
      first.chunks.push(chunk);
      hub.close();
    };
    await room.publish('One');
    await first.arrived(1);
    await turns();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(last.ids(), [], 'not written after the goodbye');
    assert.match(last.chunks.at(-1)?.toString() ?? '', RECONNECT);
    assert.equal(last.chunks.length, 1);
  });

  it('tells its readers to come back spread over 0.5 to 3 s, not all at once', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = quietHub(room);
    const { readers } = await manyReaders(hub, await room.page());
    hub.close();
    const retries = readers.map((reader) => {
      assert.equal(reader.ended, true);
      return goodbyeRetryOf(reader.chunks.at(-1));
    });
    for (const ms of retries) assert.ok(ms >= 500 && ms < 3_000, `retry ${ms} ms`);
    // 600 draws over 2.5 s: the slowest third and the fastest third are both well filled.
    assert.ok(retries.filter((ms) => ms < 1_300).length > 100, 'few come back early');
    assert.ok(retries.filter((ms) => ms >= 2_200).length > 100, 'few come back late');
  });
});

/** Each event carries the change's data: a post's headline is its text here. */
const encodeWithText = (change: Change, page: LivePage) =>
  JSON.stringify({ ...JSON.parse(encodeWithPage(change, page)), data: change.data });

describe('fan-out hub: a post deleted while a pass is writing', () => {
  it('reaches the readers not yet written as a stand-in, never with its text', async (t) => {
    const room = await newsroomFor(t);
    const { hub } = quietHub(room, { sliceMs: 0, encode: encodeWithText });
    const page = await room.page();
    const { first, last } = await manyReaders(hub, page);
    let deleting: Promise<unknown> | null = null;
    const published = await room.publishUnannounced('A defamatory headline');
    assert.equal(published.replayed, false);
    const post = published.value;
    first.write = (chunk) => {
      first.chunks.push(chunk);
      // Deleted before the pass's next slice: the deletion joins the pass there.
      deleting ??= room.deletePost(post.id);
    };
    await room.publish('Other');
    await last.arrived(3);
    await deleting;
    assert.deepEqual(
      last.events().map((e) => [e.seq, e.kind]),
      [
        [1, 'post.superseded'],
        [2, 'post.published'],
        [3, 'post.deleted'],
      ],
    );
    assert.ok(!last.chunks.join('').includes('defamatory'), 'the deleted text is not sent');
    assert.match(last.chunks.join(''), /^event: change\nid: 1\ndata: /, 'a change event');
    assert.equal(last.chunks.length, 1, 'in one write');
    // Written before the deletion: it had the post, then is told it is gone.
    await first.arrived(3);
    assert.deepEqual(
      first.events().map((e) => [e.seq, e.kind]),
      [
        [1, 'post.published'],
        [2, 'post.published'],
        [3, 'post.deleted'],
      ],
    );
  });

  it('reaches them as a stand-in when the pass is longer than the frames kept in memory', async (t) => {
    const room = await newsroomFor(t);
    const { hub, watched } = quietHub(room, { sliceMs: 0, encode: encodeWithText });
    const { first, last } = await manyReaders(hub, await room.page());
    const published = await room.publishUnannounced('A defamatory headline');
    assert.equal(published.replayed, false);
    const postId = published.value.id;
    // The pass's first read finds 300 changes: the post's frame leaves memory (256 kept).
    for (let n = 2; n < 300; n++) await room.publishUnannounced(`Update ${n}`);
    watched.holdReads((from) => from === 0);
    await room.publish('Update 300');
    await watched.heldRead(0);
    // While that read is slow, the post is edited, then deleted: both join the pass at its
    // first slice, after the first 255 readers were written.
    await room.editUnannounced(postId, 'A defamatory headline, sharpened');
    await room.deletePost(postId);
    watched.release();
    await last.arrived(302);
    const events = last.events();
    assert.deepEqual(
      [events[0], events[300], events[301]].map((e) => [e?.seq, e?.kind]),
      [
        [1, 'post.superseded'],
        [301, 'post.superseded'],
        [302, 'post.deleted'],
      ],
    );
    assert.ok(!last.chunks.join('').includes('defamatory'), 'the deleted text is not sent');
    assert.equal(last.chunks.length, 1, 'in one write');
    // Written before: it had the post, then is told it is gone.
    await first.arrived(302);
    assert.deepEqual(first.events()[0]?.kind, 'post.published');
  });
});
