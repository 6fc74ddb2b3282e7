import type { LiveEvent, StreamClockEvent } from '../../src/render/live-event-types.ts';
import { localNow } from './latency.ts';

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;

/**
 * Keeps one EventSource open to the page's event stream and hands over each change exactly
 * once, in order. EventSource retries network errors by itself, sending Last-Event-ID; when
 * it gives up (readyState CLOSED: an HTTP error, a restart) we open a new one with
 * `?since=<last applied seq>` after a growing, jittered delay. A gap in the sequence means
 * a change went missing: we reconnect once from the last applied seq so the server replays it.
 * Each connection's `clock` event goes to `onClock` with when the stream was opened (null
 * after the browser's own reconnect) and when it arrived.
 */
export function connect(
  eventsUrl: string,
  firstSeq: number,
  apply: (event: LiveEvent) => void,
  onLine: (connected: boolean) => void,
  onClock?: (event: StreamClockEvent, openedAt: number | null, receivedAt: number) => void,
) {
  let lastSeq = firstSeq;
  let source: EventSource | null = null;
  let delay = FIRST_DELAY_MS;
  let timer = 0;
  /** The missing seq we already asked the server to replay; accepted as a gap if it is missing again. */
  let resyncedFor = -1;

  const open = () => {
    clearTimeout(timer);
    source?.close();
    let openedAt: number | null = localNow();
    const es = new EventSource(
      `${eventsUrl}${eventsUrl.includes('?') ? '&' : '?'}since=${lastSeq}`,
    );
    source = es;
    es.onopen = () => {
      delay = FIRST_DELAY_MS;
      onLine(true);
    };
    es.onerror = () => {
      if (source !== es) return;
      onLine(false);
      if (es.readyState === EventSource.CLOSED) retry();
    };
    es.addEventListener('clock', (message) => {
      const receivedAt = localNow();
      try {
        onClock?.(JSON.parse((message as MessageEvent<string>).data), openedAt, receivedAt);
      } catch {
        // Only the latency report needs it.
      }
      openedAt = null;
    });
    es.addEventListener('change', (message) => {
      let event: LiveEvent;
      try {
        event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
      } catch {
        return;
      }
      if (typeof event.seq !== 'number' || event.seq <= lastSeq) return;
      // A snapshot is the whole page at its seq: nothing before it is missing.
      if (event.kind !== 'snapshot' && event.seq > lastSeq + 1 && resyncedFor !== lastSeq + 1) {
        resyncedFor = lastSeq + 1;
        open();
        return;
      }
      lastSeq = event.seq;
      try {
        apply(event);
      } catch (error) {
        console.error('Liveline: could not apply a live update', error);
      }
    });
  };

  const retry = () => {
    source?.close();
    clearTimeout(timer);
    timer = window.setTimeout(open, delay * (0.5 + Math.random()));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  };

  // A page restored from the back/forward cache has lost its connection.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted && source?.readyState === EventSource.CLOSED) open();
  });

  open();
}
