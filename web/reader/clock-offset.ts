/**
 * What the page knows of the server's clock: the server's time minus its own lies in
 * [low, high]. Each stream connection gives a bound from each side: the server wrote its
 * `now` before the page received it (so the offset is at least now - receivedAt), and took
 * the request up after the page opened it (so at most received - openedAt). The middle of
 * the range is the estimate; its error is at most half the range, about half a round trip.
 */
export interface OffsetRange {
  low: number;
  high: number;
}

export const UNKNOWN_OFFSET: OffsetRange = { low: -Infinity, high: Infinity };

/** One connection's clock event, with the page's own times (null: opened by the browser). */
export interface ClockSample {
  serverNow: number;
  serverReceived: number;
  openedAt: number | null;
  receivedAt: number;
}

/** The range narrowed by one more connection; one that contradicts it starts a new range. */
export function narrow(range: OffsetRange, sample: ClockSample): OffsetRange {
  const low = sample.serverNow - sample.receivedAt;
  const high = sample.openedAt === null ? Infinity : sample.serverReceived - sample.openedAt;
  const joined = { low: Math.max(range.low, low), high: Math.min(range.high, high) };
  // A clock was set while the page was open: only this connection still holds.
  return joined.low <= joined.high ? joined : { low, high: Math.max(low, high) };
}

/** The server's time minus the page's, or null before any connection said. */
export function estimate(range: OffsetRange): number | null {
  if (range.low === -Infinity) return null;
  return range.high === Infinity ? range.low : (range.low + range.high) / 2;
}
