import type { Sink } from '../../src/realtime/hub.ts';
import { HEARTBEAT } from '../../src/realtime/sse-frame.ts';
import type { StoreReader } from '../../src/store/store.ts';
import { idRanges, until } from './deadline.ts';

/** A reader's connection held in memory: what the hub wrote, and how far behind it claims to be. */
export class MemorySink implements Sink {
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
  /** The parsed data of every change event received, in order. */
  events(): { seq: number; kind: string; postId?: string; text?: string; [k: string]: unknown }[] {
    return this.chunks.flatMap((c) =>
      [...c.toString().matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1] ?? '{}')),
    );
  }
  /** The ids of the change events received, in order. */
  ids(): number[] {
    return this.chunks.flatMap((c) =>
      [...c.toString().matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])),
    );
  }
  /** How many heartbeats (comment frames) arrived. */
  heartbeats(): number {
    return this.chunks.filter((c) => c.equals(HEARTBEAT)).length;
  }
  /** Resolves once an event with this id has arrived; fails after `ms` naming what did. */
  async arrived(id: number, ms = 2000): Promise<void> {
    await until(
      () => this.ids().includes(id),
      ms,
      (within) => `no event with id ${id} within ${within} ms (got ids ${idRanges(this.ids())})`,
    );
  }
}

/**
 * A real store whose change-log reads are counted, and can be held: a held read has run
 * against the database but its answer waits until `release()`, like a slow query.
 */
export function watchedStore(store: StoreReader) {
  const reads: number[] = [];
  let hold: ((from: number) => boolean) | null = null;
  const held: { from: number; release: () => void; fail: (error: Error) => void }[] = [];
  let failing = 0;
  const reader = new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'changesSince') {
        return async (...args: Parameters<StoreReader['changesSince']>) => {
          const from = args[1];
          reads.push(from);
          if (failing > 0) {
            failing -= 1;
            throw new Error('the database went away');
          }
          const answer = await target.changesSince(...args);
          if (hold?.(from)) {
            await new Promise<void>((release, fail) => held.push({ from, release, fail }));
          }
          return answer;
        };
      }
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    store: reader,
    /** The `from` of every change-log read so far. */
    reads,
    /** The next `count` reads of the log fail. */
    failReads(count: number) {
      failing = count;
    },
    /** Holds every later read whose `from` matches. */
    holdReads(match: (from: number) => boolean) {
      hold = match;
    },
    /** Resolves once a read from `from` is being held; fails after `ms`. */
    async heldRead(from: number, ms = 2000): Promise<void> {
      await until(
        () => held.some((h) => h.from === from),
        ms,
        (within) =>
          `no change-log read from ${from} within ${within} ms (reads from: ${reads.join(', ') || 'none'})`,
      );
    },
    /** Fails every held read, as a connection lost mid-query, and holds no more. */
    failHeld() {
      hold = null;
      for (const h of held.splice(0)) h.fail(new Error('the database went away'));
    },
    /** Lets every held read answer and holds no more. */
    release() {
      hold = null;
      for (const h of held.splice(0)) h.release();
    },
  };
}
