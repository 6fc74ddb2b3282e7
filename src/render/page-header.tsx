import type { LivePage } from '../domain/page.ts';
import type { PageDates } from './page-dates.ts';
import { CoverageNotice, StatusBadge } from './status.tsx';
import { LeadMediaView, SummaryBox } from './summary.tsx';
import { formatPostTime, isoInstant } from './time.ts';

/**
 * The top of a live page: badge, title, time of the last update, the coverage notice, the
 * summary and the lead media. Each part sits in an element with a fixed id that the live
 * script replaces when a `page.updated` or `page.status_changed` event arrives.
 */
export function PageHeader(props: { page: LivePage; dates: PageDates; alertsSlot?: boolean }) {
  const { page } = props;
  const { lastUpdated } = props.dates;
  return (
    <>
      <header class="page-header">
        <p class="page-header__status" id="page-status">
          <StatusBadge status={page.status} />
        </p>
        <h1 class="page-header__title" id="page-title">
          {page.title}
        </h1>
        <p class="page-header__updated">
          Last updated{' '}
          <time id="last-updated" datetime={isoInstant(lastUpdated)}>
            {formatPostTime(lastUpdated, page.timeZone)}
          </time>
        </p>
        {props.alertsSlot ? (
          // The push alerts opt-in (web/reader/alerts.ts) fills this; its room is kept from
          // the start, so the page does not move when the button appears.
          <div id="alerts-slot" class="alerts-slot" />
        ) : null}
      </header>
      <div id="coverage-notice" class="coverage-slot">
        <CoverageNotice page={page} lastUpdated={lastUpdated} />
      </div>
      <div id="summary-slot" class="summary-slot">
        <SummaryBox summary={page.summary} />
      </div>
      <div id="lead-media-slot" class="lead-media-slot">
        <LeadMediaView page={page} />
      </div>
    </>
  );
}
