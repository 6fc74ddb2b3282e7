import type { LivePage } from './page.ts';
import type { Post } from './post.ts';

/**
 * The change log: every public change to a live page, numbered 1, 2, 3... per page with no
 * gaps. The number is the event id readers resume from. Drafts are not public and are not
 * logged until they are published. Every post entry that remains carries the post's full
 * current state: a reader replaying the log upserts posts by id.
 */
export const CHANGE_KINDS = [
  'post.published',
  'post.edited',
  'post.deleted',
  'post.pinned',
  'post.unpinned',
  'post.superseded',
  'page.updated',
  'page.status_changed',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What a change carries: enough for a reader to apply it without asking again. */
export type ChangeData =
  | { kind: 'post.published' | 'post.edited' | 'post.pinned' | 'post.unpinned'; post: Post }
  | { kind: 'post.deleted'; postId: string }
  /**
   * An earlier entry of a post that a newer entry (`supersededBy`, its seq) replaced: the
   * log keeps no superseded or deleted text, only the newest entry of each post does.
   */
  | { kind: 'post.superseded'; postId: string; supersededBy: number }
  | { kind: 'page.updated' | 'page.status_changed'; page: LivePage };

export interface Change {
  pageId: string;
  seq: number;
  kind: ChangeKind;
  postId: string | null;
  at: string;
  data: ChangeData;
}
