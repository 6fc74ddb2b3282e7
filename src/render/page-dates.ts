import type { LivePage } from '../domain/page.ts';
import type { Post } from '../domain/post.ts';
import { latestInstant } from './time.ts';

/**
 * The dates a reader is told about a live page. They tell the story's time and so come from
 * the posts: a row's `createdAt`/`updatedAt` say when Liveline wrote it, which for an imported
 * capture is the day of the import, months after the events.
 */
export interface PageDates {
  /** "Last updated" and "The last update came at": the newest post's time. */
  lastUpdated: string;
  /** When coverage began: the earliest post, or the page's start if earlier; null if neither. */
  coverageStart: string | null;
  /** When an ended page's coverage ended; null while it has not. */
  coverageEnd: string | null;
}

/** A post's time for readers: when it was published, or when its text was last edited. */
export function postTime(post: Post): string {
  // revision 1 = never edited: its updatedAt is only when the row was written.
  return post.revision > 1 ? latestInstant(post.publishedAt, post.updatedAt) : post.publishedAt;
}

function earliestInstant(instants: readonly string[]): string | null {
  let best: string | null = null;
  for (const iso of instants) {
    if (best === null || Date.parse(iso) < Date.parse(best)) best = iso;
  }
  return best;
}

/**
 * The page's dates from the posts the caller has read: at least its newest (page 1) for
 * "Last updated", and its oldest (the last page) for the coverage start. A page with no posts
 * was last updated when it started (or was created).
 */
export function pageDates(page: LivePage, posts: readonly Post[]): PageDates {
  const [first, ...rest] = posts.map(postTime);
  const lastUpdated =
    first === undefined ? (page.startedAt ?? page.createdAt) : latestInstant(first, ...rest);
  const starts = posts.map((post) => post.publishedAt);
  if (page.startedAt !== null) starts.push(page.startedAt);
  // A page created already ended (an imported record) never ended in Liveline: its coverage
  // ended with its last post. Otherwise it ended when an editor ended it.
  const endedAtCreation = page.endedAt !== null && page.endedAt === page.createdAt;
  const coverageEnd =
    page.status !== 'ended' ? null : endedAtCreation ? lastUpdated : (page.endedAt ?? lastUpdated);
  return { lastUpdated, coverageStart: earliestInstant(starts), coverageEnd };
}
