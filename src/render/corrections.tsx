import type { Correction } from '../domain/post.ts';
import { formatPostTime, isoInstant } from './time.ts';

/**
 * A post's public corrections, oldest first, each with its time: "Correction 18:25 GMT 20
 * March: the figure was 2,400, not 24,000." Shown under the post on the page, the permalink,
 * the live update and in the Atom entry (docs/corrections.md). Silent fixes show nothing.
 */
export function CorrectionNotes({
  corrections,
  timeZone,
}: {
  corrections: readonly Correction[];
  timeZone: string;
}) {
  if (corrections.length === 0) return null;
  return (
    <>
      {corrections.map((correction, index) => (
        <aside key={index} class="correction" aria-label="Correction">
          <p class="correction__text">
            <strong class="correction__label">Correction</strong>{' '}
            <time class="correction__time" datetime={isoInstant(correction.at)}>
              {formatPostTime(correction.at, timeZone)}
            </time>
            {': '}
            {correction.note}
          </p>
        </aside>
      ))}
    </>
  );
}
