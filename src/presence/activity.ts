import { randomBytes } from 'node:crypto';
import { invalid, LivelineError } from '../domain/errors.ts';
import type { LivePage } from '../domain/page.ts';
import { authorize } from '../domain/permissions.ts';
import type { User } from '../domain/user.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { findPage } from '../services/pages.ts';
import type { Activity, PresenceBoard, PresenceEntry, PutResult } from './presence.ts';

/** What a desk reports about its tab (PUT /desk/api/pages/{slug}/presence). */
export interface ActivityReport {
  connection: string;
  activity: Activity;
  postId?: string | undefined;
}

/** A colleague's tab as another desk sees it: no connection id (it is the tab's own key). */
export interface PresenceJson {
  userId: string;
  name: string;
  activity: Activity;
  postId: string | null;
  since: string;
}

/** A fresh id for one desk tab's event stream: 144 random bits. */
export function newConnectionId(): string {
  return randomBytes(18).toString('base64url');
}

/** At most this many colleagues go in one `presence` event; locks and writers come first. */
export const MAX_LISTED = 100;

const RANK: Record<Activity, number> = { editing: 0, writing: 1, viewing: 2 };

/**
 * The entries of a page as one tab sees them: everyone else, its own entry left out, oldest
 * activity first. On a crowded page the viewers beyond MAX_LISTED are left out, never a lock.
 */
export function presentOthers(entries: PresenceEntry[], own: string | null): PresenceJson[] {
  let others = entries.filter((entry) => entry.connection !== own);
  if (others.length > MAX_LISTED) {
    const kept = new Set(
      [...others].sort((a, b) => RANK[a.activity] - RANK[b.activity]).slice(0, MAX_LISTED),
    );
    others = others.filter((entry) => kept.has(entry));
  }
  return others.map(({ userId, name, activity, postId, since }) => ({
    userId,
    name,
    activity,
    postId,
    since,
  }));
}

/** A tab whose event stream opened: it is `viewing` the page. */
export function joinPage(
  board: PresenceBoard,
  page: LivePage,
  user: User,
  connection: string,
): Promise<PutResult> {
  return board.put(
    {
      connection,
      pageId: page.id,
      userId: user.id,
      name: user.name,
      activity: 'viewing',
      postId: null,
    },
    'join',
  );
}

/**
 * Records what a tab is doing now; every report is also its heartbeat. Editing names a post
 * of the page the user may edit (that is the soft lock); writing and viewing name none. The
 * tab must still have its entry: one whose stream closed or expired is PRESENCE_NOT_FOUND,
 * and the desk opens its stream again.
 */
export async function reportActivity(
  deps: ServiceDeps,
  board: PresenceBoard,
  user: User,
  slug: string,
  report: ActivityReport,
): Promise<void> {
  const page = await findPage(deps.store, slug);
  const postId = report.postId ?? null;
  if (report.activity === 'editing') {
    if (postId === null) throw invalid('/postId', 'is required when editing');
    const post = await deps.store.getPost(page.id, postId);
    if (!post || post.status === 'deleted') {
      throw new LivelineError('POST_NOT_FOUND', `No post "${postId}" on the live page "${slug}".`);
    }
    authorize(user, 'post.edit', post);
  } else if (postId !== null) {
    throw invalid('/postId', 'is only sent when editing');
  }
  if (report.activity === 'writing') authorize(user, 'post.create');
  let result: PutResult;
  try {
    result = await board.put(
      {
        connection: report.connection,
        pageId: page.id,
        userId: user.id,
        name: user.name,
        activity: report.activity,
        postId,
      },
      'update',
    );
  } catch {
    // The board logs its own outage (Redis away, the cluster primary gone).
    throw new LivelineError('PRESENCE_UNAVAILABLE');
  }
  if (result === 'missing') throw new LivelineError('PRESENCE_NOT_FOUND');
}
