import { LivelineError } from './errors.ts';
import type { HistoryAction } from './history.ts';
import type { ReviewMode } from './page.ts';
import type { PostStatus } from './post.ts';
import type { Role } from './user.ts';

/** The statuses a post moves between; `deleted` is the delete route's, never a move. */
export type WorkflowStatus = Exclude<PostStatus, 'deleted'>;

/** Who is moving the post, and on what kind of page. */
export interface Mover {
  role: Role;
  /** Whether the mover wrote the post (always true for a new one). */
  own: boolean;
  reviewMode: ReviewMode;
}

/** Whether this person may put posts in front of readers (publish or schedule) on this page. */
export function mayPublish(mover: Mover): boolean {
  return mover.role !== 'contributor' || mover.reviewMode === 'direct';
}

type Rule = {
  /** The history step the move records. */
  action: HistoryAction;
  /** Who may make it, beyond being allowed to edit the post at all. */
  who: 'author' | 'editor' | 'publisher';
};

/**
 * The transition table: from which status to which a post may move, who may move it, and
 * the step its history records. `new` is a post being written. Moves not in the table are
 * INVALID_TRANSITION; a move the table allows but the person may not make is REVIEW_REQUIRED
 * (a contributor publishing on a review page) or FORBIDDEN.
 */
const MOVES: Record<WorkflowStatus | 'new', Partial<Record<WorkflowStatus, Rule>>> = {
  new: {
    draft: { action: 'created', who: 'author' },
    submitted: { action: 'submitted', who: 'author' },
    scheduled: { action: 'scheduled', who: 'publisher' },
    published: { action: 'published', who: 'publisher' },
  },
  draft: {
    submitted: { action: 'submitted', who: 'author' },
    scheduled: { action: 'scheduled', who: 'publisher' },
    published: { action: 'published', who: 'publisher' },
  },
  submitted: {
    draft: { action: 'returned', who: 'editor' },
    scheduled: { action: 'scheduled', who: 'editor' },
    published: { action: 'approved', who: 'editor' },
  },
  scheduled: {
    draft: { action: 'unscheduled', who: 'publisher' },
    scheduled: { action: 'scheduled', who: 'publisher' },
    published: { action: 'published', who: 'publisher' },
  },
  published: {
    draft: { action: 'unpublished', who: 'author' },
  },
};

/**
 * The history step of moving a post from `from` to `to`, or the error that refuses it. The
 * post-level permission (a contributor touches only their own posts) is checked elsewhere
 * (src/domain/permissions.ts); this adds what depends on the status and the page's mode.
 */
export function checkMove(
  mover: Mover,
  from: WorkflowStatus | 'new',
  to: WorkflowStatus,
  slug: string,
): HistoryAction {
  const rule = MOVES[from][to];
  if (!rule) {
    throw new LivelineError('INVALID_TRANSITION', `A ${from} post cannot become ${to}.`, {
      extra: { from, to },
    });
  }
  const editor = mover.role !== 'contributor';
  if (rule.who === 'editor' && !editor) {
    throw new LivelineError(
      'FORBIDDEN',
      `Only editors may ${to === 'draft' ? 'return' : 'approve or schedule'} a submission.`,
    );
  }
  // On a review page a contributor hears about review first, even for someone else's post.
  if (rule.who === 'publisher' && !mayPublish(mover)) {
    throw new LivelineError(
      'REVIEW_REQUIRED',
      `The live page "${slug}" is in review mode: contributors submit posts for review.`,
    );
  }
  if (!editor && !mover.own) {
    throw new LivelineError('FORBIDDEN', "The contributor role may not move someone else's post.");
  }
  return rule.action;
}

/**
 * Whether a post's words are already settled for readers: published, or scheduled by someone
 * who may publish, to go out by itself.
 */
export function isCleared(status: PostStatus): boolean {
  return status === 'published' || status === 'scheduled';
}

/**
 * A contributor on a review page may not change a published or scheduled post's text either:
 * that would put unreviewed words in front of readers, now or at its time. They ask an
 * editor (or submit a new post).
 */
export function checkLiveEdit(mover: Mover, slug: string): void {
  if (!mayPublish(mover)) {
    throw new LivelineError(
      'REVIEW_REQUIRED',
      `The live page "${slug}" is in review mode: contributors cannot change published or scheduled posts; ask an editor.`,
    );
  }
}
