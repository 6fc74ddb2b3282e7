import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { binOf, emptyCounts, MAX_LATENCY_MS, quantile, valueOf } from './histogram.ts';

/** The nearest-rank quantile of the samples themselves. */
function exactQuantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] as number;
}

function countsOf(samples: readonly number[]): Uint32Array {
  const counts = emptyCounts();
  for (const ms of samples) counts[binOf(ms)] = (counts[binOf(ms)] ?? 0) + 1;
  return counts;
}

/** A bin's value is within 2.5 % of anything in it (0.5 ms for the bin below 1 ms). */
function close(estimate: number, exact: number): boolean {
  return Math.abs(estimate - exact) <= Math.max(0.5, exact * 0.026);
}

describe('latency histogram', () => {
  it('reads p50 and p99 within 2.5 % of a brute-force computation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: MAX_LATENCY_MS, noNaN: true }), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.constantFrom(0.5, 0.9, 0.99, 1),
        (samples, q) => {
          const estimate = quantile(countsOf(samples), q);
          const exact = exactQuantile(samples, q);
          assert.ok(estimate !== null && close(estimate, exact), `${estimate} vs ${exact}`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('puts every delay in a bin whose value is close to it, and nothing outside the bins', () => {
    for (const ms of [0, 0.2, 1, 1.04, 17, 120, 480, 999.9, 60_000, MAX_LATENCY_MS]) {
      assert.ok(close(valueOf(binOf(ms)), ms), `${ms} -> ${valueOf(binOf(ms))}`);
    }
    assert.equal(binOf(-5), 0);
    assert.equal(binOf(Number.NaN), 0);
    assert.equal(binOf(MAX_LATENCY_MS * 10), emptyCounts().length - 1);
  });

  it('has no quantile without samples', () => {
    assert.equal(quantile(emptyCounts(), 0.5), null);
  });
});
