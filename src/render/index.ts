/** The reader-facing HTML of Liveline: pages, fragments, live events and feeds. */
export { renderReaderPage, type ReaderPageInput } from './reader-page.tsx';
export { renderPostPage, type PostPageInput } from './post-page.tsx';
export { renderPostArticle } from './post-article.tsx';
export { renderIndexPage, type IndexPageInput } from './index-page.tsx';
export { renderNotFoundPage, type NotFoundPageInput } from './not-found-page.tsx';
export { renderErrorPage, type ErrorPageInput } from './error-page.tsx';
export { renderLiveEvent, renderSnapshotEvent } from './live-event.tsx';
export type * from './live-event-types.ts';
export { renderAtomFeed, type AtomFeedInput } from './feed.tsx';
export type { Assets } from './layout.tsx';
export { formatPostTime, formatClockTime, formatUpdatedTime, zoneAbbreviation } from './time.ts';
