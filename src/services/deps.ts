import type { ChangeBus } from '../bus/bus.ts';
import type { Change } from '../domain/change.ts';
import type { Store } from '../store/store.ts';
import type { OEmbedLookup } from '../embeds/oembed.ts';

/** What every use case needs: where data lives, where changes are announced, the time. */
export interface ServiceDeps {
  store: Store;
  bus: ChangeBus;
  now: () => Date;
  // Embeds (ADR 0021): asks providers about embedded posts at publish; absent, cards stay plain.
  oembed?: OEmbedLookup;
  // Where remote pictures and videos may come from (MEDIA_REMOTE_ORIGINS; absent: `https:`).
  remoteOrigins?: readonly string[];
}

/**
 * The services over a store and a bus, with ONE clock: the store stamps its rows with the
 * same `now` the use cases read, so a test that sets the time sets it everywhere.
 */
export function serviceDeps(parts: {
  store: Store;
  bus: ChangeBus;
  now?: () => Date;
  oembed?: OEmbedLookup;
}): ServiceDeps {
  const now = parts.now ?? (() => new Date());
  return {
    store: parts.store.withClock(now),
    bus: parts.bus,
    now,
    ...(parts.oembed && { oembed: parts.oembed }),
  };
}

/**
 * Tells the bus about changes that have committed. Called after the transaction, never
 * inside it: a reader that misses the notice catches up from the change log.
 */
export async function announce(deps: ServiceDeps, changes: readonly Change[]): Promise<void> {
  const last = changes.at(-1);
  if (last) await deps.bus.announce({ pageId: last.pageId, seq: last.seq });
}
