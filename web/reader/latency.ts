/**
 * Publish-to-screen timing for the desk's latency panel (ADR 0017). The stream's first event
 * on each connection (`clock`) carries the server's time; from it the page bounds the offset
 * between the server's clock and its own (clock-offset.ts), and when a live change has been
 * applied it knows how long ago, in server time, the change was logged. A sample of those
 * delays goes back in small batches, anonymously: no cookie, no identifier, no referrer.
 * Nothing else on the page depends on it: a blocked or failed report changes nothing.
 */
import type { LiveEvent, StreamClockEvent } from '../../src/render/live-event-types.ts';
import { estimate, narrow, UNKNOWN_OFFSET } from './clock-offset.ts';

/** A delay above this is not a live delivery (the server refuses it too). */
const MAX_MS = 600_000;
/** Below zero by more than this, the offset estimate is off: the delay is not sent. */
const TOLERANCE_MS = 1_000;
/** The most delays in one report (the server's limit). */
const MAX_BATCH = 20;

/**
 * The page's clock in ms since the epoch, from the monotonic timer: a change of the system
 * clock while the page is open does not move it.
 */
export const localNow = (): number => performance.timeOrigin + performance.now();

export interface LatencyReporter {
  /**
   * A `clock` event arrived at `receivedAt` on a stream opened at `openedAt` (null when the
   * browser reconnected by itself and the moment is unknown).
   */
  clock(event: StreamClockEvent, openedAt: number | null, receivedAt: number): void;
  /** A change was applied to the page just now. */
  applied(event: LiveEvent): void;
}

export function latencyReporter(): LatencyReporter {
  let settings: StreamClockEvent | null = null;
  let offset = UNKNOWN_OFFSET;
  /** Changes up to this seq were sent as catch-up, not live: they are not timed. */
  let liveAfter = Infinity;
  let pending: { seq: number; ms: number }[] = [];
  let lastSent = -Infinity;
  let timer = 0;

  const send = () => {
    timer = 0;
    if (!settings || pending.length === 0) return;
    const body = JSON.stringify(pending);
    pending = [];
    lastSent = localNow();
    // fetch with keepalive outlives the page like sendBeacon, but can leave cookies out
    // (a beacon always sends them). Whatever happens to it, the page carries on.
    fetch(settings.reportUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
      keepalive: true,
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
    }).catch(() => undefined);
  };

  const schedule = () => {
    if (timer || !settings) return;
    const wait = Math.max(0, lastSent + settings.reportEveryMs - localNow());
    timer = window.setTimeout(send, wait);
  };

  // What is waiting goes before the page does.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'hidden' || pending.length === 0) return;
    clearTimeout(timer);
    send();
  });

  return {
    clock(event, openedAt, receivedAt) {
      offset = narrow(offset, {
        serverNow: event.now,
        serverReceived: event.received,
        openedAt,
        receivedAt,
      });
      settings = event;
      liveAfter = event.seq;
    },
    applied(event) {
      if (!settings || event.kind === 'snapshot' || event.kind === 'post.superseded') return;
      if (event.seq <= liveAfter || !(Math.random() < settings.sampleRate)) return;
      const ms = Math.round(localNow() + (estimate(offset) ?? 0) - Date.parse(event.at));
      if (!(ms >= -TOLERANCE_MS && ms <= MAX_MS) || pending.length >= MAX_BATCH) return;
      pending.push({ seq: event.seq, ms });
      schedule();
    },
  };
}
