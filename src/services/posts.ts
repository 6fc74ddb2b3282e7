import type { Body } from '../domain/blocks.ts';
import type { Change } from '../domain/change.ts';
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
import type { PostChanges, StoreWriter } from '../store/store.ts';
import { announce, type ServiceDeps } from './deps.ts';
import { once, type IdempotencyRequest, type Once } from './idempotency.ts';
import { findPage } from './pages.ts';
import { presentPost } from './present.ts';

/** The fields of a post that its writers set. */
interface PostFields {
  labels?: Label[];
  contributors?: Contributor[];
  pinned?: boolean;
  status?: 'draft' | 'published';
  /** Any ISO 8601 instant; stored in UTC. */
  publishedAt?: string;
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
  if (!post || post.status === 'deleted' || (post.status === 'draft' && viewer === null)) {
    throw new LivelineError('POST_NOT_FOUND', `No post "${postId}" on the live page "${slug}".`);
  }
  return post;
}

async function findLivePost(
  tx: StoreWriter,
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

/** Unpins whatever else is pinned on the page, logging it when readers could see it. */
async function unpinOthers(
  tx: StoreWriter,
  pageId: string,
  keep: string | null,
): Promise<Change[]> {
  const pinned = await tx.getPinnedPost(pageId);
  if (!pinned || pinned.id === keep) return [];
  const unpinned = await tx.updatePost(pageId, pinned.id, pinned.revision, { pinned: false });
  if (!unpinned) return [];
  return [await tx.appendChange(pageId, unpinned.id, { kind: 'post.unpinned', post: unpinned })];
}

/** Writes a post, published at once unless it is a draft. A repeated Idempotency-Key makes nothing new. */
export async function publishPost(
  deps: ServiceDeps,
  actor: User,
  slug: string,
  input: NewPostInput,
  idempotency?: IdempotencyRequest,
): Promise<Once<Post>> {
  authorize(actor, 'post.create');
  if (input.pinned) authorize(actor, 'post.pin');
  let logged: Change[] = [];
  const result = await once(deps, actor, idempotency, async (tx) => {
    const page = await findPage(tx, slug);
    const status = input.status ?? 'published';
    const changes: Change[] = [];
    if (input.pinned && status === 'published')
      changes.push(...(await unpinOthers(tx, page.id, null)));
    const post = await tx.insertPost({
      pageId: page.id,
      status,
      headline: input.headline,
      publishedAt: input.publishedAt ? utc(input.publishedAt) : deps.now().toISOString(),
      labels: normaliseLabels(input.labels ?? []),
      pinned: input.pinned ?? false,
      contributors: input.contributors ?? [],
      body: input.body,
      authorId: actor.id,
    });
    if (status === 'published') {
      await tx.adjustPostCount(page.id, 1);
      changes.push(await tx.appendChange(page.id, post.id, { kind: 'post.published', post }));
    }
    logged = changes;
    return { value: post, status: 201, body: presentPost(post) };
  });
  if (!result.replayed) await announce(deps, logged);
  return result;
}

/** Edits a post at the revision the editor read; a stale revision is an EDIT_CONFLICT. */
export async function editPost(
  deps: ServiceDeps,
  actor: User,
  slug: string,
  postId: string,
  input: PostEditInput,
): Promise<Post> {
  const { post, changes } = await deps.store.transaction(async (tx) => {
    const page = await findPage(tx, slug);
    const current = await findLivePost(tx, page.id, slug, postId);
    const { revision, pinned, status, ...content } = input;
    const contentChanged = Object.keys(content).length > 0;
    const pinChanged = pinned !== undefined && pinned !== current.pinned;
    const publishing = status === 'published' && current.status === 'draft';
    const unpublishing = status === 'draft' && current.status === 'published';
    if (contentChanged || status !== undefined || !pinChanged)
      authorize(actor, 'post.edit', current);
    if (pinChanged) authorize(actor, 'post.pin', current);
    if (revision !== current.revision) {
      throw new LivelineError(
        'EDIT_CONFLICT',
        `The post is at revision ${current.revision}, not ${revision}.`,
        {
          extra: { currentRevision: current.revision },
        },
      );
    }

    const now = deps.now().toISOString();
    const changes: PostChanges = {
      ...content,
      ...(content.labels && { labels: normaliseLabels(content.labels) }),
      ...(content.publishedAt && { publishedAt: utc(content.publishedAt) }),
      ...(pinChanged && { pinned }),
      ...(status !== undefined && { status }),
      ...(publishing && content.publishedAt === undefined && { publishedAt: now }),
      // Pinning is not an edit of the text: only content changes make a new revision.
      ...(contentChanged && { revision: current.revision + 1, updatedAt: now }),
    };
    const logged: Change[] = [];
    const willBePinned = pinChanged ? pinned : current.pinned;
    const willBePublished =
      status === undefined ? current.status === 'published' : status === 'published';
    if (willBePinned && willBePublished)
      logged.push(...(await unpinOthers(tx, page.id, current.id)));

    const updated = await tx.updatePost(page.id, current.id, current.revision, changes);
    if (!updated)
      throw new LivelineError('EDIT_CONFLICT', 'The post changed while it was being saved.');

    if (publishing) {
      await tx.adjustPostCount(page.id, 1);
      logged.push(
        await tx.appendChange(page.id, updated.id, { kind: 'post.published', post: updated }),
      );
    } else if (unpublishing) {
      await tx.adjustPostCount(page.id, -1);
      logged.push(
        await tx.appendChange(page.id, updated.id, { kind: 'post.deleted', postId: updated.id }),
      );
    } else if (updated.status === 'published') {
      if (contentChanged)
        logged.push(
          await tx.appendChange(page.id, updated.id, { kind: 'post.edited', post: updated }),
        );
      if (pinChanged) {
        const kind = updated.pinned ? 'post.pinned' : 'post.unpinned';
        logged.push(await tx.appendChange(page.id, updated.id, { kind, post: updated }));
      }
    }
    return { post: updated, changes: logged };
  });
  await announce(deps, changes);
  return post;
}

/** Deletes a post: it leaves every reader's screen and the page's count. */
export async function deletePost(
  deps: ServiceDeps,
  actor: User,
  slug: string,
  postId: string,
): Promise<void> {
  const changes = await deps.store.transaction(async (tx) => {
    const page = await findPage(tx, slug);
    const current = await findLivePost(tx, page.id, slug, postId);
    authorize(actor, 'post.delete', current);
    const deleted = await tx.updatePost(page.id, current.id, current.revision, {
      status: 'deleted',
      pinned: false,
    });
    if (!deleted)
      throw new LivelineError('EDIT_CONFLICT', 'The post changed while it was being deleted.');
    if (current.status !== 'published') return [];
    await tx.adjustPostCount(page.id, -1);
    return [
      await tx.appendChange(page.id, current.id, { kind: 'post.deleted', postId: current.id }),
    ];
  });
  await announce(deps, changes);
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
