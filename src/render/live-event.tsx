import type { Change } from '../domain/change.ts';
import type { LivePage } from '../domain/page.ts';
import { renderFragment } from './html.ts';
import { documentTitle } from './layout.tsx';
import type { LiveEvent, LiveEventBase } from './live-event-types.ts';
import { renderPostArticle } from './post-article.tsx';
import { CoverageNotice, StatusBadge } from './status.tsx';
import { LeadMediaView, SummaryBox } from './summary.tsx';
import { formatPostTime, isoInstant } from './time.ts';
import { postElementId } from './urls.ts';

export type * from './live-event-types.ts';

/**
 * The SSE payload for one change-log entry. Fragments come from the same components as the
 * page, so a live update looks exactly like a reload. `page` gives the slug and time zone
 * (for a page change, the page carried by the change itself is used).
 */
export function renderLiveEvent(change: Change, page: LivePage): LiveEvent {
  const base: LiveEventBase = {
    seq: change.seq,
    at: isoInstant(change.at),
    atText: formatPostTime(change.at, page.timeZone),
  };
  const data = change.data;
  switch (data.kind) {
    case 'post.published':
    case 'post.edited':
    case 'post.pinned':
    case 'post.unpinned':
      return {
        ...base,
        kind: data.kind,
        postId: data.post.id,
        elementId: postElementId(data.post.id),
        html: renderPostArticle(page, data.post),
        publishedAt: isoInstant(data.post.publishedAt),
        pinned: data.post.pinned,
        revision: data.post.revision,
      };
    case 'post.deleted':
      return {
        ...base,
        kind: 'post.deleted',
        postId: data.postId,
        elementId: postElementId(data.postId),
      };
    case 'post.superseded':
      return {
        ...base,
        kind: 'post.superseded',
        postId: data.postId,
        supersededBy: data.supersededBy,
      };
    case 'page.updated':
      return {
        ...base,
        kind: 'page.updated',
        title: data.page.title,
        documentTitle: documentTitle(data.page.title),
        summaryHtml: renderFragment(<SummaryBox summary={data.page.summary} />),
        leadMediaHtml: renderFragment(<LeadMediaView page={data.page} />),
      };
    case 'page.status_changed':
      return {
        ...base,
        kind: 'page.status_changed',
        status: data.page.status,
        badgeHtml: renderFragment(<StatusBadge status={data.page.status} />),
        // No posts here to date the wrap-up by (page-dates.ts): it says "ended" without a
        // time, and the next page load adds the newest post's time.
        noticeHtml: renderFragment(<CoverageNotice page={data.page} />),
      };
  }
}
