/**
 * A fixed set of latency bins, each about 5 % wide (log-spaced from 1 ms to 10 minutes), so a
 * bucket of samples costs the same memory whatever arrives, buckets from several instances
 * merge by adding counts, and a quantile read from the bins is within 2.5 % of the exact one.
 */

/** Each bin's upper bound is this many times its lower bound. */
const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);

/** The longest delay a report may carry: 10 minutes. Anything longer is not a live delivery. */
export const MAX_LATENCY_MS = 600_000;

/** Bin 0 holds [0, 1 ms); bin k >= 1 holds [GROWTH^(k-1), GROWTH^k) ms. */
export const BIN_COUNT = 2 + Math.floor(Math.log(MAX_LATENCY_MS) / LOG_GROWTH);

/** The bin a delay in milliseconds falls in (negative counts as 0, beyond the top as the top). */
export function binOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(BIN_COUNT - 1, 1 + Math.floor(Math.log(ms) / LOG_GROWTH));
}

/** The value a bin stands for: the geometric middle of its range (0.5 ms for bin 0). */
export function valueOf(bin: number): number {
  return bin === 0 ? 0.5 : GROWTH ** (bin - 0.5);
}

/** An empty set of counts, one per bin. */
export function emptyCounts(): Uint32Array {
  return new Uint32Array(BIN_COUNT);
}

/**
 * The nearest-rank quantile `q` (0 < q <= 1) of the samples counted: the value of the bin
 * holding the ceil(q * n)-th smallest sample, or null when nothing was counted.
 */
export function quantile(counts: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let bin = 0; bin < counts.length; bin++) total += counts[bin] ?? 0;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let bin = 0; bin < counts.length; bin++) {
    seen += counts[bin] ?? 0;
    if (seen >= rank) return valueOf(bin);
  }
  return valueOf(counts.length - 1);
}
