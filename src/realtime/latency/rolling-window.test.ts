import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quantile } from './histogram.ts';
import { BUCKET_MS, mergeBuckets, RollingWindow, WINDOW_MS } from './rolling-window.ts';

const total = (counts: Uint32Array) => counts.reduce((sum, n) => sum + n, 0);
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

describe('rolling window of delays', () => {
  it('counts what was reported in the last 5 minutes and lets older buckets go', () => {
    const window = new RollingWindow();
    window.add([100, 200], T0);
    window.add([300], T0 + 60_000);
    window.add([400], T0 + 4 * 60_000);
    const at = (ms: number) => total(mergeBuckets([window.share(ms)], ms));
    assert.equal(at(T0 + 4 * 60_000), 4);
    // 5 minutes after the first report its bucket has left the window; the others stay.
    assert.equal(at(T0 + WINDOW_MS + BUCKET_MS), 2);
    assert.equal(at(T0 + 60_000 + WINDOW_MS + BUCKET_MS), 1);
    assert.equal(window.isEmpty(T0 + 4 * 60_000 + WINDOW_MS + BUCKET_MS), true);
    assert.deepEqual(window.share(T0 + 10 * 60_000), []);
  });

  it('holds at most 30 buckets however long it runs', () => {
    const window = new RollingWindow();
    for (let t = 0; t < 60 * 60_000; t += 1_000) window.add([t % 500], T0 + t);
    assert.ok(window.share(T0 + 60 * 60_000).length <= WINDOW_MS / BUCKET_MS);
  });

  it('merges instances as if every report had come to one', () => {
    const a = new RollingWindow();
    const b = new RollingWindow();
    const one = new RollingWindow();
    const delays = Array.from({ length: 200 }, (_, i) => (i * 37) % 900);
    delays.forEach((ms, i) => {
      const at = T0 + i * 1_000;
      (i % 3 === 0 ? a : b).add([ms], at);
      one.add([ms], at);
    });
    const now = T0 + 200_000;
    const merged = mergeBuckets([a.share(now), b.share(now)], now);
    assert.deepEqual(merged, mergeBuckets([one.share(now)], now));
    assert.equal(total(merged), 200);
    assert.equal(quantile(merged, 0.5), quantile(mergeBuckets([one.share(now)], now), 0.5));
  });

  it("leaves out another instance's buckets that are too old, too new or malformed", () => {
    const now = T0;
    const index = Math.floor(now / BUCKET_MS);
    const merged = mergeBuckets(
      [
        [
          [index, [[5, 2]]],
          [index - 40, [[5, 7]]],
          [index + 50, [[5, 7]]],
          [index, [[-1, 3]]],
          [index, [[1e9, 3]]],
        ],
      ],
      now,
    );
    assert.equal(total(merged), 2);
  });
});
