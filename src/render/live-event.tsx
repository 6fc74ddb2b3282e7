import type { Change } from '../domain/change.ts';
import type { LivePage } from '../domain/page.ts';
import { renderFragment } from './html.ts';
import { documentTitle } from './layout.tsx';
import type { Post } from '../domain/post.ts';
import { POSTS_PER_PAGE } from '../domain/post.ts';
import type { LiveEvent, LiveEventBase, SnapshotLiveEvent } from './live-event-types.ts';
import { PostArticle, renderPostArticle } from './post-article.tsx';
import { pageDates } from './page-dates.ts';
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
  const base = eventBase(change.seq, change.at, page);
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
        seq: change.seq,
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

function eventBase(seq: number, at: string, page: LivePage): LiveEventBase {
  return {
    seq,
    at: isoInstant(at),
    atText: formatPostTime(at, page.timeZone),
    postCount: page.postCount,
    pageCount: Math.max(1, Math.ceil(page.postCount / POSTS_PER_PAGE)),
  };
}

/** The page at its current position, with `posts` its first page of posts. */
export function renderSnapshotEvent(page: LivePage, posts: readonly Post[]): SnapshotLiveEvent {
  return {
    ...eventBase(page.lastSeq, pageDates(page, posts).lastUpdated, page),
    kind: 'snapshot',
    postsHtml: renderFragment(
      <>
        {posts.map((post) => (
          <PostArticle key={post.id} page={page} post={post} />
        ))}
      </>,
    ),
    title: page.title,
    documentTitle: documentTitle(page.title),
    summaryHtml: renderFragment(<SummaryBox summary={page.summary} />),
    leadMediaHtml: renderFragment(<LeadMediaView page={page} />),
    badgeHtml: renderFragment(<StatusBadge status={page.status} />),
    noticeHtml: renderFragment(<CoverageNotice page={page} />),
  };
}
