import type { LivePage, PageStatus } from '../domain/page.ts';
import { formatPostTime, isoInstant } from './time.ts';

const BADGE_TEXT: Record<PageStatus, string> = {
  scheduled: 'Coming up',
  live: 'Live',
  paused: 'Paused',
  ended: 'Ended',
};

/** The status badge: red LIVE while live, "Paused", grey "Ended". */
export function StatusBadge({ status }: { status: PageStatus }) {
  return <span class={`badge badge--${status}`}>{BADGE_TEXT[status]}</span>;
}

/**
 * The state of the coverage under the header: nothing while live, a pause note, or the
 * wrap-up ("Live coverage ended at 19:02 GMT 20 March").
 */
export function CoverageNotice({ page }: { page: LivePage }) {
  switch (page.status) {
    case 'live':
      return null;
    case 'scheduled':
      return (
        <p class="coverage-notice coverage-notice--scheduled">
          Live coverage has not started yet. Posts will appear here when it begins.
        </p>
      );
    case 'paused':
      return (
        <p class="coverage-notice coverage-notice--paused">
          We’re pausing our live coverage for now. New posts will appear here when it resumes.
        </p>
      );
    case 'ended':
      return (
        <p class="coverage-notice coverage-notice--ended">
          <strong>Live coverage has ended.</strong>{' '}
          {page.endedAt ? (
            <>
              The last update came at{' '}
              <time datetime={isoInstant(page.endedAt)}>
                {formatPostTime(page.endedAt, page.timeZone)}
              </time>
              .{' '}
            </>
          ) : null}
          Thank you for following.
        </p>
      );
  }
}
