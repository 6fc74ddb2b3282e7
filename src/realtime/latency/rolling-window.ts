import { binOf, emptyCounts } from './histogram.ts';

/** Samples are kept in buckets of 10 s... */
export const BUCKET_MS = 10_000;
/** ...for the last 5 minutes: 30 buckets, the newest still filling. */
export const WINDOW_MS = 300_000;
const BUCKETS = WINDOW_MS / BUCKET_MS;

/**
 * One bucket as it travels between instances: its start (in units of BUCKET_MS since the
 * epoch) and the non-zero bins as [bin, count] pairs.
 */
export type SharedBucket = [index: number, bins: [bin: number, count: number][]];

/** The oldest bucket index still inside the window at `nowMs`. */
export function oldestIndex(nowMs: number): number {
  return Math.floor(nowMs / BUCKET_MS) - BUCKETS + 1;
}

/**
 * The delays reported for one live page over the last 5 minutes: at most 30 buckets of fixed
 * size, so memory is bounded whatever the readers send. Old buckets go as time moves on.
 */
export class RollingWindow {
  private readonly buckets = new Map<number, Uint32Array>();

  /** Counts delays (ms) reported at `nowMs`. */
  add(delays: readonly number[], nowMs: number): void {
    this.expire(nowMs);
    const index = Math.floor(nowMs / BUCKET_MS);
    let counts = this.buckets.get(index);
    if (!counts) {
      counts = emptyCounts();
      this.buckets.set(index, counts);
    }
    for (const ms of delays) {
      const bin = binOf(ms);
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
  }

  /** True when nothing inside the window at `nowMs` is left. */
  isEmpty(nowMs: number): boolean {
    this.expire(nowMs);
    return this.buckets.size === 0;
  }

  /** The buckets inside the window, sparse, for another instance to merge. */
  share(nowMs: number): SharedBucket[] {
    this.expire(nowMs);
    return [...this.buckets].map(([index, counts]) => {
      const bins: [number, number][] = [];
      counts.forEach((count, bin) => {
        if (count > 0) bins.push([bin, count]);
      });
      return [index, bins];
    });
  }

  private expire(nowMs: number): void {
    const oldest = oldestIndex(nowMs);
    for (const index of this.buckets.keys()) if (index < oldest) this.buckets.delete(index);
  }
}

/**
 * All the counts inside the window at `nowMs`, summed over buckets from any number of
 * instances. Buckets that are too old, or malformed (another instance's bad data), are left out.
 */
export function mergeBuckets(
  shared: Iterable<readonly SharedBucket[]>,
  nowMs: number,
): Uint32Array {
  const total = emptyCounts();
  const oldest = oldestIndex(nowMs);
  // One bucket of slack: another instance's clock may run a little ahead of ours.
  const newest = Math.floor(nowMs / BUCKET_MS) + 1;
  for (const buckets of shared) {
    for (const [index, bins] of buckets) {
      if (index < oldest || index > newest) continue;
      for (const [bin, count] of bins) {
        if (Number.isInteger(bin) && bin >= 0 && bin < total.length && count > 0) {
          total[bin] = (total[bin] ?? 0) + count;
        }
      }
    }
  }
  return total;
}
