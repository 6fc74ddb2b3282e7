import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryBus } from '../bus/memory/memory-bus.ts';
import type { ChangeNotice } from '../bus/bus.ts';
import type { Change } from '../domain/change.ts';
import type { OEmbedLookup } from '../embeds/oembed.ts';
import { connectSqlite } from '../store/sqlite/connect.ts';
import type { Store } from '../store/store.ts';
import { aPage } from '../../test/support/factories.ts';
import { announce, serviceDeps } from './deps.ts';

const newPage = (store: Store, slug: string) =>
  store.transaction((tx) => tx.insertPage(aPage({ slug })));

describe('serviceDeps and announce', { timeout: 20_000 }, () => {
  let store: Store;
  before(async () => {
    store = await connectSqlite(':memory:');
  });
  after(() => store.close());

  it('keeps the real time when given no clock, in the use cases and the store alike', async () => {
    const deps = serviceDeps({ store, bus: new MemoryBus() });
    const from = Date.now();
    const page = await newPage(deps.store, 'real-time');
    const now = deps.now().getTime();
    const to = Date.now();
    for (const instant of [Date.parse(page.createdAt), now]) {
      assert.ok(from <= instant && instant <= to, `${instant} is not between ${from} and ${to}`);
    }
  });

  it('stamps the store’s rows with the clock it is given', async () => {
    const at = new Date('2026-03-20T18:10:00.000Z');
    const deps = serviceDeps({ store, bus: new MemoryBus(), now: () => at });
    const page = await newPage(deps.store, 'given-time');
    assert.deepEqual([page.createdAt, deps.now()], [at.toISOString(), at]);
  });

  it('passes the oEmbed lookup on, and names none when it has none', () => {
    const oembed: OEmbedLookup = { describe: async () => null };
    assert.equal(serviceDeps({ store, bus: new MemoryBus(), oembed }).oembed, oembed);
    const without = serviceDeps({ store, bus: new MemoryBus() });
    assert.deepEqual(Object.keys(without).sort(), ['bus', 'now', 'store']);
  });

  it('announces the newest of the changes committed, once, and nothing for none', async () => {
    const bus = new MemoryBus();
    const heard: ChangeNotice[] = [];
    bus.subscribe((notice) => heard.push(notice));
    const deps = serviceDeps({ store, bus });
    const change = (seq: number): Change => ({
      pageId: 'page-1',
      seq,
      kind: 'post.deleted',
      postId: `post-${seq}`,
      at: '2026-03-20T18:10:00.000Z',
      data: { kind: 'post.deleted', postId: `post-${seq}` },
    });
    await announce(deps, []);
    await announce(deps, [change(4), change(5), change(6)]);
    assert.deepEqual(heard, [{ pageId: 'page-1', seq: 6 }]);
  });
});
