import { LivelineError } from '../domain/errors.ts';
import { ID_PATTERN } from '../domain/ids.ts';
import type { LivePage } from '../domain/page.ts';
import { POSTS_PER_PAGE, type Post } from '../domain/post.ts';
import type { PostKey } from '../store/store.ts';
import type { ServiceDeps } from './deps.ts';

/**
 * Keyset paging of a live page's posts (issue 13): a page of posts ends with the cursor of
 * its last post, and the next page is read from there by one seek of the index, so the
 * thousandth page costs what the first does. `?page=N` stays for links and old clients.
 */

/** The opaque cursor of "the posts after this one". */
export function postCursor(post: Post): string {
  return Buffer.from(JSON.stringify([post.pinned ? 1 : 0, post.publishedAt, post.id])).toString(
    'base64url',
  );
}

function readCursor(cursor: string): PostKey {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      (value[0] === 0 || value[0] === 1) &&
      typeof value[1] === 'string' &&
      !Number.isNaN(Date.parse(value[1])) &&
      typeof value[2] === 'string' &&
      new RegExp(ID_PATTERN).test(value[2])
    )
      return {
        pinned: value[0] === 1,
        publishedAt: new Date(value[1]).toISOString(),
        id: value[2],
      };
  } catch {
    // Reported below, like any other cursor this server did not give.
  }
  throw new LivelineError('VALIDATION_FAILED', 'after: not a cursor this server gave', {
    problems: [{ field: '/after', reason: 'is not the next of an earlier page of posts' }],
  });
}

/** The cursor after a page of posts, or null when no post follows them. */
export function nextCursor(posts: readonly Post[], more: boolean): string | null {
  const last = posts.at(-1);
  return more && last ? postCursor(last) : null;
}

export interface PostsAfter {
  posts: Post[];
  /** The cursor of the page after these, or null at the end. */
  next: string | null;
  pageCount: number;
  total: number;
}

/** The page of posts after `cursor` (the `next` of the page before it). */
export async function listPostsAfter(
  deps: ServiceDeps,
  page: LivePage,
  cursor: string,
): Promise<PostsAfter> {
  const after = readCursor(cursor);
  // One more than a page says whether another page follows.
  const found = await deps.store.listPostsAfter(page.id, after, POSTS_PER_PAGE + 1);
  const posts = found.slice(0, POSTS_PER_PAGE);
  return {
    posts,
    next: nextCursor(posts, found.length > POSTS_PER_PAGE),
    pageCount: Math.max(1, Math.ceil(page.postCount / POSTS_PER_PAGE)),
    total: page.postCount,
  };
}
