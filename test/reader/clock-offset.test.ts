import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  estimate,
  narrow,
  UNKNOWN_OFFSET,
  type ClockSample,
} from '../../web/reader/clock-offset.ts';

/**
 * One connection as it happens: the page opens the stream at `openedAt` (its clock), the
 * request travels `up` ms, the server spends `work` ms, the clock event travels `down` ms.
 * The server's clock is the page's plus `offset`.
 */
function connection(
  offset: number,
  openedAt: number,
  up: number,
  work: number,
  down: number,
): ClockSample {
  const serverReceived = openedAt + up + offset;
  const serverNow = serverReceived + work;
  return { serverNow, serverReceived, openedAt, receivedAt: openedAt + up + work + down };
}

const delay = fc.double({ min: 0, max: 2_000, noNaN: true });

describe("a reader page's estimate of the server's clock", () => {
  it('always holds the true offset, within half the round trip of the best connection', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e8, max: 1e8, noNaN: true }),
        fc.array(fc.tuple(delay, delay, delay), { minLength: 1, maxLength: 8 }),
        (offset, trips) => {
          let range = UNKNOWN_OFFSET;
          let openedAt = 1_700_000_000_000;
          for (const [up, work, down] of trips) {
            range = narrow(range, connection(offset, openedAt, up, work, down));
            openedAt += 60_000;
          }
          // Times near 2023 in ms: doubles are exact to about 0.0002 ms there.
          const best = Math.min(...trips.map(([up, , down]) => up + down));
          assert.ok(range.low <= offset + 1e-3 && offset <= range.high + 1e-3);
          const guess = estimate(range);
          assert.ok(guess !== null && Math.abs(guess - offset) <= best / 2 + 1e-3);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('takes a lower bound alone from a reconnect the browser made by itself', () => {
    const sample = { ...connection(5_000, 0, 20, 1, 30), openedAt: null };
    const range = narrow(UNKNOWN_OFFSET, sample);
    assert.equal(range.high, Infinity);
    assert.equal(estimate(range), 5_000 - 30);
    assert.equal(estimate(UNKNOWN_OFFSET), null);
  });

  it('starts again when a clock was set while the page was open', () => {
    const before = narrow(UNKNOWN_OFFSET, connection(0, 0, 10, 1, 10));
    const after = narrow(before, connection(3_600_000, 100_000, 10, 1, 10));
    assert.ok(Math.abs((estimate(after) ?? 0) - 3_600_000) <= 10);
  });
});
