import type { StepActor } from '../domain/history.ts';
import type { LivePage } from '../domain/page.ts';
import { commitOnPage, valueOf, type Work } from './commit.ts';
import type { ServiceDeps } from './deps.ts';
import { onPageClock } from '../domain/zoned-time.ts';
import { recordMove, unpinOthers, type MovePlan } from './review.ts';

/** Who publishes a scheduled post, as its history says. */
export const SCHEDULER: StepActor = { kind: 'system', name: 'scheduler' };

/**
 * A scheduled post published within this long of its time is on time: it shows its
 * scheduled time. Later (every instance was down, or the database was), it shows the time
 * it really went out, and its history says how late it was and why.
 */
export const ON_TIME_MS = 5_000;

/**
 * Publishes a scheduled post whose time has come. Inside the page's lock it reads the post
 * again: if it is no longer scheduled (another instance published it, an editor unscheduled
 * it) or not yet due (rescheduled), it does nothing. That is what makes publishing exactly
 * once across instances: PostgreSQL's row lock makes them take turns and the second finds
 * the post published; SQLite has one writer. True when this call published it.
 */
export async function publishScheduledPost(
  deps: ServiceDeps,
  slug: string,
  postId: string,
  context: LateContext = {},
): Promise<boolean> {
  const write = async (w: Work, page: LivePage) => {
    const current = await w.tx.getPost(page.id, postId);
    const now = deps.now();
    if (!current || current.status !== 'scheduled' || current.scheduledFor === null) return false;
    const due = new Date(current.scheduledFor);
    if (due.getTime() > now.getTime()) return false;
    const lateMs = now.getTime() - due.getTime();
    const onTime = lateMs <= ON_TIME_MS;
    const plan: MovePlan = {
      from: 'scheduled',
      to: 'published',
      action: 'published',
      changes: {
        status: 'published',
        scheduledFor: null,
        publishedAt: (onTime ? due : now).toISOString(),
      },
      note: onTime ? null : lateNote(current.scheduledFor, page.timeZone, lateMs, context),
    };
    if (current.pinned) await unpinOthers(w, SCHEDULER, page.id, current.id);
    const updated = await w.tx.updatePost(page.id, current.id, current.revision, plan.changes);
    if (!updated) return false;
    await recordMove(w, SCHEDULER, updated, plan);
    return true;
  };
  return valueOf(await commitOnPage(deps, slug, write));
}

/** What the scheduler knows about why it may be late. */
export interface LateContext {
  /** Since when its ticks have been failing (the database was away). */
  downSince?: Date;
  /** When this scheduler started: a time before that found no instance of ours running. */
  runningSince?: Date;
}

/** "Scheduled for 09:00 GMT...; published 12 minutes late (no instance was running)". */
function lateNote(
  scheduledFor: string,
  zone: string,
  lateMs: number,
  context: LateContext,
): string {
  const due = new Date(scheduledFor).getTime();
  const why = context.downSince
    ? 'the database could not be reached'
    : context.runningSince === undefined || due < context.runningSince.getTime()
      ? 'no instance was running'
      : 'the scheduler was behind';
  return `Scheduled for ${onPageClock(scheduledFor, zone)}; published ${duration(lateMs)} late (${why})`;
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} seconds`;
  if (minutes < 120) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return `${hours} hours`;
}
