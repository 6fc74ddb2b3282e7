import { blockText } from '../domain/block-text.ts';
import type { Change } from '../domain/change.ts';
import type { LivePage } from '../domain/page.ts';
import type { Post } from '../domain/post.ts';
import { absoluteUrl, postPath } from '../render/urls.ts';

/** What the service worker shows: small, so it fits a push message (4 KiB) many times over. */
export interface AlertPayload {
  /** The notification's title: the post's headline, or the page's title without one. */
  title: string;
  /** The first words of the post. */
  body: string;
  /** The post's permalink, opened on click. */
  url: string;
  /** One notification per post: a later one with the same tag replaces it. */
  tag: string;
  postId: string;
}

const TITLE_CHARS = 120;
/**
 * Only news alerts: a post published (by its publishedAt) more than this before the change
 * is old news, so an import of an old capture, or a fix to a post of last week, alerts no one.
 */
export const FRESH_FOR_MS = 60 * 60 * 1000;
const BODY_CHARS = 200;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The post a logged change makes an alert of, or null. A published post carrying the Breaking
 * label alerts, whether it was published so or an edit added the label later; every other
 * change does not, nor does a post that is no longer fresh (FRESH_FOR_MS). Whether the post
 * was alerted already is not decided here: the commit claims each post's alert once
 * (push_alerts, src/push/jobs.ts), so an edit of a Breaking post never alerts again.
 */
export function alertedPost(change: Change): Post | null {
  const { data } = change;
  if (data.kind !== 'post.published' && data.kind !== 'post.edited') return null;
  return isFresh(data.post, new Date(change.at)) && isAlertable(data.post) ? data.post : null;
}

/** Whether the post is still news at `at` (published at most FRESH_FOR_MS before). */
export function isFresh(post: Pick<Post, 'publishedAt'>, at: Date): boolean {
  return at.getTime() - Date.parse(post.publishedAt) <= FRESH_FOR_MS;
}

/** Whether a post, as it is, may alert: published, not removed, and Breaking. */
export function isAlertable(post: Post): boolean {
  return post.status === 'published' && !post.removal && post.labels.includes('breaking');
}

/** What the service worker shows of an alertable post. */
export function alertPayload(post: Post, page: LivePage, baseUrl: string): AlertPayload {
  const words = post.body
    .map((block) => blockText(block))
    .filter(Boolean)
    .join(' ');
  return {
    title: clip(post.headline || page.title, TITLE_CHARS),
    body: clip(words || page.title, BODY_CHARS),
    url: absoluteUrl(baseUrl, postPath(page.slug, post.id)),
    tag: `liveline-${post.id}`,
    postId: post.id,
  };
}
