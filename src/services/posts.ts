import { isDeepStrictEqual } from 'node:util';
import type { Body } from '../domain/blocks.ts';
import { LivelineError } from '../domain/errors.ts';
import type { LivePage } from '../domain/page.ts';
import { authorize } from '../domain/permissions.ts';
import {
  normaliseLabels,
  POSTS_PER_PAGE,
  type Contributor,
  type Label,
  type Post,
} from '../domain/post.ts';
import type { User } from '../domain/user.ts';
import { checkLiveEdit, isCleared, type WorkflowStatus } from '../domain/workflow.ts';
import type { PostChanges } from '../store/store.ts';
import { commitOnPage, valueOf, type Committed, type Work } from './commit.ts';
import type { ServiceDeps } from './deps.ts';
import type { IdempotencyRequest } from './idempotency.ts';
import { correctionOf, type CorrectionRequest } from './corrections.ts';
import { CONTENT_FIELDS, recordStep } from './history.ts';
import { checkScheduleTime, checkShownTime, planMove, recordMove, unpinOthers } from './review.ts';
import { findPage } from './pages.ts';
import { checkMediaBlocks, describeEmbeds } from '../embeds/publish-check.ts';

/** The fields of a post that its writers set. */
interface PostFields {
  labels?: Label[];
  contributors?: Contributor[];
  pinned?: boolean;
  status?: WorkflowStatus;
  /** Any ISO 8601 instant; stored in UTC. Never in the future when published. */
  publishedAt?: string;
  /** With status `scheduled`: when the post publishes itself. */
  scheduledFor?: string;
}

export interface NewPostInput extends PostFields {
  headline: string;
  body: Body;
}

export interface PostEditInput extends PostFields {
  /** The revision the editor read: a stale one is an EDIT_CONFLICT. */
  revision: number;
  headline?: string;
  body?: Body;
  /** A public correction note; without one an edit is a silent fix (corrections.ts). */
  correction?: CorrectionRequest;
}

/** One form for every stored instant, so that they sort as text in either database. */
function utc(instant: string): string {
  return new Date(instant).toISOString();
}

/** A post as a reader may see it: drafts only for signed-in newsroom users. */
export async function findPost(
  deps: ServiceDeps,
  slug: string,
  postId: string,
  viewer: User | null,
): Promise<Post> {
  const page = await findPage(deps.store, slug);
  const post = await deps.store.getPost(page.id, postId);
  if (!post || post.status === 'deleted' || (post.status !== 'published' && viewer === null)) {
    throw new LivelineError('POST_NOT_FOUND', `No post "${postId}" on the live page "${slug}".`);
  }
  return post;
}

async function findLivePost(
  tx: Pick<Work['tx'], 'getPost'>,
  pageId: string,
  slug: string,
  postId: string,
): Promise<Post> {
  const post = await tx.getPost(pageId, postId);
  if (!post || post.status === 'deleted') {
    throw new LivelineError('POST_NOT_FOUND', `No post "${postId}" on the live page "${slug}".`);
  }
  return post;
}

/** Writes a post, published at once unless it is a draft. A repeated Idempotency-Key makes nothing new. */
export async function publishPost(
  deps: ServiceDeps,
  actor: User,
  slug: string,
  input: NewPostInput,
  idempotency?: IdempotencyRequest<Post>,
): Promise<Committed<Post>> {
  authorize(actor, 'post.create');
  if (input.pinned) authorize(actor, 'post.pin');
  checkMediaBlocks(input.body, { origins: deps.remoteOrigins });
  const body = await describeEmbeds(deps.oembed, input.body);
  const write = async (w: Work, page: LivePage) => {
    const status = input.status ?? 'published';
    const plan = planMove(deps.now(), actor, page, null, status, {
      at: input.scheduledFor,
      publishedAt: input.publishedAt,
    });
    if (input.pinned && status === 'published') await unpinOthers(w, actor, page.id, null);
    const post = await w.tx.insertPost({
      pageId: page.id,
      status,
      headline: input.headline,
      publishedAt:
        plan.changes.publishedAt ??
        (input.publishedAt ? utc(input.publishedAt) : deps.now().toISOString()),
      labels: normaliseLabels(input.labels ?? []),
      pinned: input.pinned ?? false,
      contributors: input.contributors ?? [],
      body,
      authorId: actor.id,
      scheduledFor: plan.changes.scheduledFor ?? null,
    });
    await recordMove(w, actor, post, plan, CONTENT_FIELDS);
    return post;
  };
  return commitOnPage(deps, slug, write, {
    idempotency: idempotency && { ...idempotency, userId: actor.id },
  });
}

/** The content fields of an edit that differ from the post as it is. */
function contentChanges(current: Post, input: PostEditInput): PostChanges {
  const wanted: PostChanges = {
    ...(input.headline !== undefined && { headline: input.headline }),
    ...(input.body !== undefined && { body: input.body }),
    ...(input.labels !== undefined && { labels: normaliseLabels(input.labels) }),
    ...(input.contributors !== undefined && { contributors: input.contributors }),
    ...(input.publishedAt !== undefined && { publishedAt: utc(input.publishedAt) }),
  };
  const changed = Object.entries(wanted).filter(
    ([field, value]) => !isDeepStrictEqual(current[field as keyof PostChanges & keyof Post], value),
  );
  return Object.fromEntries(changed) as PostChanges;
}

/**
 * The edit with its new embeds described by their providers (not those the post already has).
 * Nothing is asked of a provider for an edit that will be refused: the post must exist, the
 * actor may edit it (a body is content), review mode must allow changing it while it is
 * published, and its blocks must pass, all checked first. The
 * commit checks them again on the post as it is then.
 */
async function describeEditedEmbeds(
  deps: ServiceDeps,
  actor: User,
  slug: string,
  postId: string,
  edit: PostEditInput,
): Promise<PostEditInput> {
  if (deps.oembed === undefined || !edit.body?.some((b) => b.type === 'embed')) return edit;
  const page = await findPage(deps.store, slug);
  const before = await findLivePost(deps.store, page.id, slug, postId);
  authorize(actor, 'post.edit', before);
  // New words on a published or scheduled post that stays so: review mode may forbid them.
  const staying = (edit.status ?? before.status) === before.status && !edit.scheduledFor;
  if (isCleared(before.status) && staying)
    checkLiveEdit({ role: actor.role, own: true, reviewMode: page.reviewMode }, slug);
  checkMediaBlocks(edit.body, { kept: before.body, origins: deps.remoteOrigins });
  return { ...edit, body: await describeEmbeds(deps.oembed, edit.body, before.body) };
}

/**
 * Edits a post at the revision the editor read; a stale revision is an EDIT_CONFLICT. An edit
 * that changes nothing writes nothing: no new revision, no change-log entry.
 */
export async function editPost(
  deps: ServiceDeps,
  actor: User,
  slug: string,
  postId: string,
  edit: PostEditInput,
): Promise<Post> {
  const input = await describeEditedEmbeds(deps, actor, slug, postId, edit);
  const write = async (w: Work, page: LivePage) => {
    const { tx, log } = w;
    const current = await findLivePost(tx, page.id, slug, postId);
    if (input.body !== undefined)
      checkMediaBlocks(input.body, { kept: current.body, origins: deps.remoteOrigins });
    const { revision, pinned, status, scheduledFor, ...content } = input;
    const pinChanged = pinned !== undefined && pinned !== current.pinned;
    // A new time alone reschedules a scheduled post.
    const target = status ?? (scheduledFor !== undefined ? 'scheduled' : undefined);
    if (Object.keys(content).length > 0 || target !== undefined || !pinChanged)
      authorize(actor, 'post.edit', current);
    if (pinChanged) authorize(actor, 'post.pin', current);
    if (revision !== current.revision) {
      throw new LivelineError(
        'EDIT_CONFLICT',
        `The post is at revision ${current.revision}, not ${revision}.`,
        { extra: { currentRevision: current.revision } },
      );
    }
    const changed = contentChanges(current, input);
    const correction = correctionOf(current, input.correction, target, deps.now());
    const contentChanged = Object.keys(changed).length > 0 || correction !== null;
    checkScheduleTime(target, scheduledFor);
    // So a time given is a schedule's: a new one moves a scheduled post (else it schedules one).
    const rescheduling = scheduledFor !== undefined && utc(scheduledFor) !== current.scheduledFor;
    const moving = target !== undefined && (target !== current.status || rescheduling);
    if (!contentChanged && !pinChanged && !moving) return current;
    const now = deps.now();
    const plan = moving
      ? planMove(now, actor, page, current, target, {
          at: scheduledFor,
          publishedAt: input.publishedAt,
        })
      : null;
    if (contentChanged && isCleared(current.status) && plan === null) {
      checkLiveEdit({ role: actor.role, own: true, reviewMode: page.reviewMode }, slug);
    }
    const publishing = plan?.to === 'published';
    const willBePublished = plan ? plan.to === 'published' : current.status === 'published';
    if (willBePublished && changed.publishedAt !== undefined)
      checkShownTime(now, changed.publishedAt);

    const changes: PostChanges = {
      ...changed,
      ...(pinChanged && { pinned }),
      ...plan?.changes,
      // Pinning is not an edit of the text: only content changes make a new revision.
      ...(contentChanged && { revision: current.revision + 1, updatedAt: now.toISOString() }),
      ...(correction && { corrections: correction.corrections }),
    };
    const willBePinned = pinChanged ? pinned : current.pinned;
    if (willBePinned && willBePublished) await unpinOthers(w, actor, page.id, current.id);

    const updated = await tx.updatePost(page.id, current.id, current.revision, changes);
    if (!updated)
      throw new LivelineError('EDIT_CONFLICT', 'The post changed while it was being saved.');

    const fields = [...Object.keys(changed), ...(correction ? ['corrections'] : [])];
    if (contentChanged) {
      const edit = updated.status === 'published' && !publishing ? 'edited' : 'saved';
      const action = correction ? 'corrected' : edit;
      await recordStep(tx, { post: updated, actor, action, fields, note: correction?.note });
    }
    // The move's step, and the log when the post comes into or leaves readers' view.
    if (plan) await recordMove(w, actor, updated, plan);
    if (pinChanged) {
      const action = updated.pinned ? 'pinned' : 'unpinned';
      await recordStep(tx, { post: updated, actor, action, fields: ['pinned'] });
    }
    if (plan === null && updated.status === 'published') {
      if (contentChanged) await log(page.id, updated.id, { kind: 'post.edited', post: updated });
      if (pinChanged) {
        const kind = updated.pinned ? 'post.pinned' : 'post.unpinned';
        await log(page.id, updated.id, { kind, post: updated });
      }
    }
    return updated;
  };
  return valueOf(await commitOnPage(deps, slug, write));
}

/**
 * Deletes a post: it leaves every reader's screen and the page's count, and the change log
 * keeps only a tombstone of it.
 */
export async function deletePost(
  deps: ServiceDeps,
  actor: User,
  slug: string,
  postId: string,
): Promise<void> {
  const write = async ({ tx, log }: Work, page: LivePage) => {
    const current = await findLivePost(tx, page.id, slug, postId);
    authorize(actor, 'post.delete', current);
    const deleted = await tx.updatePost(page.id, current.id, current.revision, {
      status: 'deleted',
      pinned: false,
    });
    if (!deleted)
      throw new LivelineError('EDIT_CONFLICT', 'The post changed while it was being deleted.');
    await recordStep(tx, { post: deleted, actor, action: 'deleted' });
    if (current.status !== 'published') return;
    await tx.adjustPostCount(page.id, -1);
    await log(page.id, current.id, { kind: 'post.deleted', postId: current.id });
  };
  valueOf(await commitOnPage(deps, slug, write));
}

export interface PostListing {
  posts: Post[];
  pageNumber: number;
  pageCount: number;
  total: number;
}

/** Page N of a live page's published posts: 20 a page, the pinned post first, then newest first. */
export async function listPostPage(
  deps: ServiceDeps,
  slug: string,
  pageNumber: number,
): Promise<PostListing> {
  return listPostsOf(deps, await findPage(deps.store, slug), pageNumber);
}

/** Page N of the posts of a live page already in hand. */
export async function listPostsOf(
  deps: ServiceDeps,
  page: LivePage,
  pageNumber: number,
): Promise<PostListing> {
  const total = page.postCount;
  const pageCount = Math.max(1, Math.ceil(total / POSTS_PER_PAGE));
  if (pageNumber > pageCount) {
    throw new LivelineError(
      'PAGE_OUT_OF_RANGE',
      `The live page "${page.slug}" has ${pageCount} page(s) of posts, not ${pageNumber}.`,
    );
  }
  const posts = await deps.store.listPosts(
    page.id,
    (pageNumber - 1) * POSTS_PER_PAGE,
    POSTS_PER_PAGE,
  );
  return { posts, pageNumber, pageCount, total };
}
