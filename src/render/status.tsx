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
 * wrap-up ("The last update came at 18:10 GMT 20 March", the newest post's time, when known).
 */
export function CoverageNotice({ page, lastUpdated }: { page: LivePage; lastUpdated?: string }) {
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
          {lastUpdated ? (
            <>
              The last update came at{' '}
              <time datetime={isoInstant(lastUpdated)}>
                {formatPostTime(lastUpdated, page.timeZone)}
              </time>
              .{' '}
            </>
          ) : null}
          Thank you for following.
        </p>
      );
  }
}
