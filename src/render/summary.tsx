import type { KeyPoint, LivePage } from '../domain/page.ts';
import { LeadMediaFigure } from './media.tsx';

/** The Summary box of key points; nothing when the page has none. */
export function SummaryBox({ summary }: { summary: readonly KeyPoint[] }) {
  if (summary.length === 0) return null;
  return (
    <section class="summary" aria-labelledby="summary-heading">
      <h2 id="summary-heading" class="summary__heading">
        Summary
      </h2>
      <ul class="summary__points">
        {summary.map((point, index) => (
          <li key={index}>{point.text}</li>
        ))}
      </ul>
    </section>
  );
}

/** The lead media of the page, or nothing. */
export function LeadMediaView({ page }: { page: LivePage }) {
  return page.leadMedia ? <LeadMediaFigure media={page.leadMedia} /> : null;
}
