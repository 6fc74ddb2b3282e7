/**
 * The payload of one Server-Sent Event, one per change-log entry. The server frames it with
 * `id: <seq>` and `event: change` and serialises it once for every reader. This file has no
 * runtime imports: the browser script imports its types.
 */

/** What every event carries: the change-log number and the time of the change. */
export interface LiveEventBase {
  /** The change's per-page sequence number; the reader applies each seq at most once. */
  seq: number;
  /** When the change happened (ISO 8601, UTC), for the "Last updated" line. */
  at: string;
  /** The same instant as the page shows it: "18:10 GMT 20 March". */
  atText: string;
  /** How many published posts the page holds now, for the "N posts" line. */
  postCount: number;
  /** How many pages of posts that makes, for "Page 1 of N". */
  pageCount: number;
}

/** A post was published, edited, pinned or unpinned: its fresh `<article>` fragment. */
export interface PostLiveEvent extends LiveEventBase {
  kind: 'post.published' | 'post.edited' | 'post.pinned' | 'post.unpinned';
  postId: string;
  /** The element id of the article, `post-{id}`. */
  elementId: string;
  /** The `<article>` exactly as the page renders it. */
  html: string;
  publishedAt: string;
  pinned: boolean;
  /** Lets the reader ignore an older rendering arriving after a newer one. */
  revision: number;
}

/** A post was deleted: remove it from the page and from any queue. */
export interface PostDeletedLiveEvent extends LiveEventBase {
  kind: 'post.deleted';
  postId: string;
  elementId: string;
}

/**
 * An entry a newer one replaced (an edit, a pin, a delete of the same post). It carries no
 * text; a reader applies the newer entry, so it ignores this one.
 */
export interface PostSupersededLiveEvent {
  seq: number;
  kind: 'post.superseded';
  postId: string;
  /** The seq of the newer entry about the same post. */
  supersededBy: number;
}

/** The page's own fields changed: title, summary box, lead media. */
export interface PageUpdatedLiveEvent extends LiveEventBase {
  kind: 'page.updated';
  title: string;
  /** The new `<title>` text, without the "(N) " unread prefix. */
  documentTitle: string;
  /** The summary box, or "" when the page has no key points. */
  summaryHtml: string;
  /** The lead media figure, or "" when none. */
  leadMediaHtml: string;
}

/** The coverage went live, paused or ended. */
export interface StatusChangedLiveEvent extends LiveEventBase {
  kind: 'page.status_changed';
  status: 'scheduled' | 'live' | 'paused' | 'ended';
  /** The badge element for `#page-status`. */
  badgeHtml: string;
  /** The pause or wrap-up notice for `#coverage-notice`, or "" while live. */
  noticeHtml: string;
}

/**
 * The page as it is at `seq`, sent instead of history to a reader too far behind: the
 * browser replaces its first page of posts and the page furniture with it.
 */
export interface SnapshotLiveEvent extends LiveEventBase {
  kind: 'snapshot';
  /** The articles of page 1, exactly as the page renders them. */
  postsHtml: string;
  title: string;
  documentTitle: string;
  summaryHtml: string;
  leadMediaHtml: string;
  badgeHtml: string;
  noticeHtml: string;
}

/** One live update, discriminated by `kind` (the change-log kind it comes from). */
export type LiveEvent =
  | PostLiveEvent
  | PostDeletedLiveEvent
  | PostSupersededLiveEvent
  | PageUpdatedLiveEvent
  | StatusChangedLiveEvent
  | SnapshotLiveEvent;

/**
 * The first event of every connection to a page's stream (`event: clock`), written to this
 * reader alone before any catch-up: the server's clock, for the page to correct its own by,
 * and how to report the delays it sees (ADR 0017). Change events stay shared: their `at` is
 * the server time the change was logged, in milliseconds.
 */
export interface StreamClockEvent {
  /** Server time (ms since the epoch; the clock that stamps `at`) as this frame was written. */
  now: number;
  /** Server time as the request was taken up: no later than the browser's open + offset. */
  received: number;
  /** The page's position when the reader connected: events up to it are catch-up, not live. */
  seq: number;
  /** The chance that a live event's delay is reported; 0 turns reporting off. */
  sampleRate: number;
  /** The least time between two reports from one reader. */
  reportEveryMs: number;
  /** Where reports go (POST, JSON `[{seq, ms}]`, no cookies). */
  reportUrl: string;
}
