import { useEffect, useState } from 'preact/hooks';
import type { LatencyView } from '../../src/realtime/latency/latency-board.ts';
import { api } from './api.ts';

/** How often the panel asks again: the figures move with readers' reports. */
const REFRESH_MS = 5_000;

const ms = (value: number) => (value < 1 ? '<1 ms' : `${Math.round(value)} ms`);
const minutes = (seconds: number) => `${Math.round(seconds / 60)} min`;

/**
 * The latency panel: readers connected now, and how long the page's changes took from
 * publish to readers' screens (p50, p99) as readers' pages reported them, over the last
 * minutes and every instance. Not a live region: it refreshes too often to be read aloud.
 */
export function LatencyPanel(props: { slug: string }) {
  const [view, setView] = useState<LatencyView | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let stopped = false;
    const read = () =>
      api<LatencyView>('GET', `/desk/api/pages/${props.slug}/latency`).then(
        (figures) => {
          if (stopped) return;
          setView(figures);
          setFailed(false);
        },
        () => !stopped && setFailed(true),
      );
    void read();
    const timer = window.setInterval(() => void read(), REFRESH_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [props.slug]);

  if (!view) {
    return (
      <p id="latency-panel" class="muted">
        {failed ? 'Reader figures are unavailable right now.' : 'Reader figures…'}
      </p>
    );
  }
  const period = `last ${minutes(view.windowSeconds)}`;
  return (
    <p id="latency-panel" class="muted">
      Readers now: <strong data-figure="readers">{view.readers}</strong> ·{' '}
      {view.p50 !== null && view.p99 !== null ? (
        <>
          Publish→screen p50 <strong data-figure="p50">{ms(view.p50)}</strong>, p99{' '}
          <strong data-figure="p99">{ms(view.p99)}</strong> ({period},{' '}
          <span data-figure="samples">{view.samples}</span>{' '}
          {view.samples === 1 ? 'report' : 'reports'})
        </>
      ) : (
        <>No publish→screen reports from readers in the {period}</>
      )}
      {failed ? ' (not refreshed: the server did not answer)' : null}
    </p>
  );
}
