import { invalid, LivelineError } from '../domain/errors.ts';
import type { HistoryAction, StepActor } from '../domain/history.ts';
import type { LivePage } from '../domain/page.ts';
import type { Post } from '../domain/post.ts';
import type { User } from '../domain/user.ts';
import { checkMove, type WorkflowStatus } from '../domain/workflow.ts';
import { onPageClock } from '../domain/zoned-time.ts';
import type { PostChanges } from '../store/store.ts';
import { commitOnPage, valueOf, type Work } from './commit.ts';
import type { ServiceDeps } from './deps.ts';
import { recordStep } from './history.ts';

/**
 * A plain publish may carry a `publishedAt` up to this far ahead of the server's clock (a
 * writer's clock runs a little fast); later is a schedule, not a publish.
 */
export const CLOCK_SKEW_MS = 60_000;

/** What moving a post to another status writes: the plan is pure, `recordMove` logs it. */
export interface MovePlan {
  from: WorkflowStatus | 'new';
  to: WorkflowStatus;
  action: HistoryAction;
  changes: PostChanges;
  note: string | null;
}

export interface MoveOptions {
  /** With `scheduled`: when the post publishes itself. */
  at?: string | undefined;
  /** With a return: what the author should change. */
  note?: string | undefined;
  /** With `published`: the time it shows (never in the future). */
  publishedAt?: string | undefined;
}

/** Checks a move of `current` (null: a post being written) to `to` and says what it writes. */
export function planMove(
  now: Date,
  actor: User,
  page: LivePage,
  current: Post | null,
  to: WorkflowStatus,
  options: MoveOptions = {},
): MovePlan {
  const from = current ? (current.status as WorkflowStatus) : 'new';
  const own = current === null || current.authorId === actor.id;
  const action = checkMove(
    { role: actor.role, own, reviewMode: page.reviewMode },
    from,
    to,
    page.slug,
  );
  checkScheduleTime(to, options.at);
  const changes: PostChanges = { status: to };
  let note: string | null = null;
  if (from === 'scheduled' && to !== 'scheduled') changes.scheduledFor = null;
  // A pin is an editor's choice for the live page: it goes with the post off the page, or a
  // contributor publishing it again would pin it, and unpin another, without being allowed to.
  if (from === 'published' && current?.pinned) changes.pinned = false;
  if (to === 'scheduled') {
    if (options.at === undefined) throw invalid('/scheduledFor', 'a scheduled post needs a time');
    const at = new Date(options.at);
    if (at.getTime() <= now.getTime()) {
      throw invalid('/scheduledFor', 'this time has passed: publish the post instead');
    }
    changes.scheduledFor = at.toISOString();
    changes.publishedAt = at.toISOString();
    note = `Scheduled for ${onPageClock(at.toISOString(), page.timeZone)}`;
  }
  if (to === 'published') {
    const shown = options.publishedAt === undefined ? null : new Date(options.publishedAt);
    if (shown) checkShownTime(now, shown.toISOString());
    // A draft, a submission or a scheduled post goes out under the time it goes out.
    changes.publishedAt = (shown ?? now).toISOString();
  }
  if (action === 'returned') {
    note = options.note?.trim() || null;
    if (note === null) throw invalid('/note', 'a returned post needs a note saying what to change');
    changes.reviewNote = note;
  }
  // The note was for the version that was returned.
  if (to === 'submitted') changes.reviewNote = null;
  return { from, to, action, changes, note };
}

/** Refuses a time to publish given with any status but `scheduled`: refused, never ignored. */
export function checkScheduleTime(to: WorkflowStatus | undefined, at: string | undefined): void {
  if (at !== undefined && to !== 'scheduled') {
    throw invalid('/scheduledFor', 'only a post with status "scheduled" has a time to publish');
  }
}

/** Refuses a published time in the future: such a post is scheduled, not published. */
export function checkShownTime(now: Date, publishedAt: string): void {
  if (new Date(publishedAt).getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw invalid(
      '/publishedAt',
      'is in the future: a post that should appear later is scheduled (status "scheduled" with scheduledFor), not published',
    );
  }
}

/**
 * Records a move that has been written: its history step(s) and, when the post comes into
 * or leaves readers' view, the page's count and the public change log.
 */
export async function recordMove(
  { tx, log }: Work,
  actor: User | StepActor,
  post: Post,
  plan: MovePlan,
  fields: readonly string[] = [],
): Promise<void> {
  await recordStep(tx, { post, actor, action: plan.action, fields, note: plan.note });
  // An approval is two steps: an editor approved it, and it was published.
  if (plan.action === 'approved') await recordStep(tx, { post, actor, action: 'published' });
  const wasPublic = plan.from === 'published';
  const isPublic = plan.to === 'published';
  if (isPublic && !wasPublic) {
    await tx.adjustPostCount(post.pageId, 1);
    await log(post.pageId, post.id, { kind: 'post.published', post });
  } else if (wasPublic && !isPublic) {
    await tx.adjustPostCount(post.pageId, -1);
    await log(post.pageId, post.id, { kind: 'post.deleted', postId: post.id });
  }
}

/** The explicit moves the desk offers, each from the statuses it applies to. */
const ACTIONS = {
  submit: { from: ['draft'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'published' },
  return: { from: ['submitted'], to: 'draft' },
  schedule: { from: ['draft', 'submitted', 'scheduled'], to: 'scheduled' },
  unschedule: { from: ['scheduled'], to: 'draft' },
} as const satisfies Record<string, { from: readonly WorkflowStatus[]; to: WorkflowStatus }>;
export type WorkflowAction = keyof typeof ACTIONS;

/**
 * Submits, approves, returns, schedules or unschedules a post at the revision the person
 * read (a stale one is an EDIT_CONFLICT), through the one write path: the post, its history
 * step and, when it reaches readers, the change log commit together.
 */
export async function movePost(
  deps: ServiceDeps,
  actor: User,
  slug: string,
  postId: string,
  what: WorkflowAction,
  input: { revision: number; note?: string; at?: string },
): Promise<Post> {
  const write = async (w: Work, page: LivePage) => {
    const current = await w.tx.getPost(page.id, postId);
    if (!current || current.status === 'deleted') {
      throw new LivelineError('POST_NOT_FOUND', `No post "${postId}" on the live page "${slug}".`);
    }
    if (input.revision !== current.revision) {
      throw new LivelineError(
        'EDIT_CONFLICT',
        `The post is at revision ${current.revision}, not ${input.revision}.`,
        { extra: { currentRevision: current.revision } },
      );
    }
    const { from, to } = ACTIONS[what];
    if (!(from as readonly string[]).includes(current.status)) {
      throw new LivelineError(
        'INVALID_TRANSITION',
        `Only a ${from.join(' or ')} post can be ${pastTense[what]}; this one is ${current.status}.`,
        { extra: { from: current.status, to } },
      );
    }
    const plan = planMove(deps.now(), actor, page, current, to, input);
    if (to === 'published' && current.pinned) await unpinOthers(w, actor, page.id, current.id);
    const updated = await w.tx.updatePost(page.id, current.id, current.revision, plan.changes);
    if (!updated)
      throw new LivelineError('EDIT_CONFLICT', 'The post changed while it was being saved.');
    await recordMove(w, actor, updated, plan);
    return updated;
  };
  return valueOf(await commitOnPage(deps, slug, write));
}

const pastTense: Record<WorkflowAction, string> = {
  submit: 'submitted',
  approve: 'approved',
  return: 'returned',
  schedule: 'scheduled',
  unschedule: 'unscheduled',
};

/** Unpins whatever else is pinned on the page, logging it when readers could see it. */
export async function unpinOthers(
  { tx, log }: Work,
  actor: User | StepActor,
  pageId: string,
  keep: string | null,
): Promise<void> {
  const pinned = await tx.getPinnedPost(pageId);
  if (!pinned || pinned.id === keep) return;
  const unpinned = await tx.updatePost(pageId, pinned.id, pinned.revision, { pinned: false });
  if (!unpinned) throw new LivelineError('EDIT_CONFLICT', 'The pinned post changed meanwhile.');
  await log(pageId, unpinned.id, { kind: 'post.unpinned', post: unpinned });
  await recordStep(tx, { post: unpinned, actor, action: 'unpinned', fields: ['pinned'] });
}
