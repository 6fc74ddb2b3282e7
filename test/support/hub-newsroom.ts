import type { TestContext } from 'node:test';
import { MemoryBus } from '../../src/bus/memory/memory-bus.ts';
import type { Change } from '../../src/domain/change.ts';
import type { LivePage } from '../../src/domain/page.ts';
import type { User } from '../../src/domain/user.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { createPage, editPage, findPage } from '../../src/services/pages.ts';
import { deletePost, editPost, publishPost } from '../../src/services/posts.ts';
import { FanoutHub, type HubOptions } from '../../src/realtime/hub.ts';
import { connectSqlite } from '../../src/store/sqlite/connect.ts';
import { MemorySink, watchedStore } from './hub-readers.ts';

/**
 * One live page on an in-memory SQLite store with an editor, for the hub's tests: what the
 * hub reads is what the use cases wrote, through the one write path.
 */
export async function hubNewsroom(slug = 'hub') {
  const store = await connectSqlite(':memory:');
  const deps: ServiceDeps = { store, bus: new MemoryBus(), now: () => new Date() };
  const editor: User = await store.transaction((tx) => tx.insertUser('Ed', 'editor'));
  await createPage(deps, editor, { slug, title: 'Talks', status: 'live' });
  /** Publishing whose notice never reaches the hub (a notice lost on the way). */
  const unannounced: ServiceDeps = { ...deps, bus: new MemoryBus() };
  const hubs: FanoutHub[] = [];
  return {
    /** The hubs made over the newsroom (`hubOver`), closed with it. */
    hubs,
    deps,
    store,
    bus: deps.bus,
    page: (): Promise<LivePage> => findPage(store, slug),
    publish: (headline: string) => publishPost(deps, editor, slug, { headline, body: [] }),
    publishUnannounced: (headline: string) =>
      publishPost(unannounced, editor, slug, { headline, body: [] }),
    deletePost: (postId: string) => deletePost(deps, editor, slug, postId),
    /** A new headline for a post at its first revision, its notice lost on the way. */
    editUnannounced: (postId: string, headline: string) =>
      editPost(unannounced, editor, slug, postId, { revision: 1, headline }),
    async editPage(fields: { title?: string; status?: LivePage['status'] }) {
      const { revision } = await findPage(store, slug);
      return editPage(deps, editor, slug, { revision, ...fields });
    },
    /** Closes every hub over the newsroom, then its store. */
    async close() {
      for (const hub of hubs.splice(0)) hub.close();
      await store.close();
    },
  };
}

/** A newsroom closed, with every hub over it, when the test ends, whether it passed or not. */
export async function newsroomFor(t: TestContext, slug?: string) {
  const room = await hubNewsroom(slug);
  t.after(() => room.close());
  return room;
}

/** An event's data as the hub's tests encode it: the change and the page it was given. */
export function encodeWithPage(change: Change, page: LivePage): string {
  return JSON.stringify({
    seq: change.seq,
    kind: change.kind,
    postId: change.postId,
    title: page.title,
    status: page.status,
    postCount: page.postCount,
  });
}

export type HubNewsroom = Awaited<ReturnType<typeof hubNewsroom>>;

/** Only notices wake a hub with these: no heartbeat and no log check within a test. */
export const NOTICES_ONLY = { heartbeatMs: 60_000, pollMs: 60_000 } as const;

/**
 * A hub over the newsroom's store, whose log reads `watched` counts, holds or fails; it counts
 * its snapshots and records the pages of readers it cut off. The production defaults apply
 * unless `options` says otherwise.
 */
export function hubOver(room: HubNewsroom, options: Partial<HubOptions> = {}) {
  const watched = watchedStore(room.store);
  const cutOff: string[] = [];
  let snapshots = 0;
  const hub = new FanoutHub({
    store: watched.store,
    bus: room.bus,
    encode: encodeWithPage,
    snapshot: async (pageId) => {
      snapshots += 1;
      const page = await room.store.getPageById(pageId);
      return { seq: page?.lastSeq ?? 0, data: JSON.stringify({ kind: 'snapshot' }) };
    },
    onCutOff: (pageId) => cutOff.push(pageId),
    ...options,
  });
  room.hubs.push(hub);
  return { hub, watched, cutOff, snapshots: () => snapshots };
}

/** A hub over the newsroom that only notices wake (not its heartbeat or its log check). */
export const quietHub = (room: HubNewsroom, options: Partial<HubOptions> = {}) =>
  hubOver(room, { ...NOTICES_ONLY, ...options });

/** The numbers from..to. */
export const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * `count` readers of the page connected at position 0, in order (600: a pass over them
 * looks at the clock twice, every 256 readers), the first and the last named.
 */
export async function manyReaders(hub: FanoutHub, page: LivePage, count = 600) {
  const readers = Array.from({ length: count }, () => new MemorySink());
  for (const sink of readers) await hub.connect(page, 0, sink);
  const [first, last] = [readers[0], readers.at(-1)];
  if (!first || !last) throw new Error('manyReaders needs at least one reader');
  return { readers, first, last };
}
