import { ERRORS, LivelineError } from '../domain/errors.ts';
import type { HistoryEntry } from '../domain/history.ts';
import type { LivePage } from '../domain/page.ts';
import { authorize } from '../domain/permissions.ts';
import type { Post, Removal } from '../domain/post.ts';
import type { User } from '../domain/user.ts';
import { commitOnPage, valueOf, type Work } from './commit.ts';
import type { ServiceDeps } from './deps.ts';
import { recordStep } from './history.ts';
import { presentPost } from './present.ts';
import { scrubWebhookJobs } from '../webhooks/jobs.ts';

/**
 * Legal removal (docs/corrections.md): an editor takes a post, or one earlier version of it,
 * out of Liveline for legal reasons. The text goes from every public surface and from the
 * stored history in the one commit; what stays is a tombstone (who, when, why) for editors.
 */

function removalBy(actor: User, at: Date, reason: string): Removal {
  return { byId: actor.id, byName: actor.name, at: at.toISOString(), reason: reason.trim() };
}

async function findAnyPost(tx: Work['tx'], page: LivePage, postId: string): Promise<Post> {
  const post = await tx.getPost(page.id, postId);
  if (!post)
    throw new LivelineError(
      'POST_NOT_FOUND',
      `No post "${postId}" on the live page "${page.slug}".`,
    );
  return post;
}

/** What a replayed Idempotency-Key answers once the post it created is removed. */
function goneAnswer(postId: string) {
  return {
    status: 410,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    body: {
      type: '/docs/errors#POST_REMOVED',
      title: 'Gone',
      status: 410,
      code: 'POST_REMOVED',
      detail: ERRORS.POST_REMOVED,
      postId,
    },
  };
}

/**
 * Removes a post for legal reasons, in one commit: it leaves the page (count, pin, change
 * log: a `post.deleted` tombstone supersedes every earlier entry), its text fields and
 * correction notes are blanked in its row, every step of its history loses its content and
 * notes, and stored Idempotency-Key answers that carried it answer 410 instead. A post that
 * is already removed is left as it is. Deleted posts can be removed too: deleting keeps text.
 */
export async function removePost(
  deps: ServiceDeps,
  actor: User,
  slug: string,
  postId: string,
  reason: string,
): Promise<Post> {
  authorize(actor, 'post.remove');
  const write = async ({ tx, log }: Work, page: LivePage) => {
    const current = await findAnyPost(tx, page, postId);
    if (current.removal) return current;
    const removal = removalBy(actor, deps.now(), reason);
    const removed = await tx.updatePost(page.id, current.id, current.revision, {
      status: 'deleted',
      pinned: false,
      headline: '',
      body: [],
      labels: [],
      contributors: [],
      corrections: [],
      reviewNote: null,
      scheduledFor: null,
      removal,
    });
    if (!removed)
      throw new LivelineError('EDIT_CONFLICT', 'The post changed while it was being removed.');
    await tx.scrubHistory(page.id, current.id, removal);
    await recordStep(tx, { post: removed, actor, action: 'removed', note: removal.reason });
    await tx.rewriteIdempotentAnswers(current.id, goneAnswer(current.id));
    await scrubWebhookJobs(tx, current.id);
    if (current.status === 'published') {
      await tx.adjustPostCount(page.id, -1);
      await log(page.id, current.id, { kind: 'post.deleted', postId: current.id });
    }
    return removed;
  };
  return valueOf(await commitOnPage(deps, slug, write));
}

/**
 * Removes the text of one earlier version of a post: the step's content (and any other step
 * that kept the same revision's content) is blanked and the removal recorded on it. The
 * current version is refused: edit the post, or remove it whole. Idempotency-Key answers
 * that carried that version now answer with the post as it is.
 */
export async function removeVersion(
  deps: ServiceDeps,
  actor: User,
  slug: string,
  postId: string,
  entryId: string,
  reason: string,
): Promise<HistoryEntry> {
  authorize(actor, 'post.remove');
  const write = async ({ tx }: Work, page: LivePage) => {
    const post = await findAnyPost(tx, page, postId);
    const history = await tx.listHistory(page.id, post.id);
    const entry = history.find((step) => step.id === entryId);
    if (!entry)
      throw new LivelineError('VERSION_NOT_FOUND', `No step "${entryId}" in this post's history.`);
    if (entry.removal) return entry;
    // The current revision's text is in the post's own row, deleted or not (deleting keeps
    // it): blanking its steps alone would leave it there. A removed post has no text left.
    if (!post.removal && entry.revision === post.revision)
      throw new LivelineError(
        'VERSION_IS_CURRENT',
        post.status === 'deleted'
          ? `Revision ${entry.revision} is the deleted post's own text: remove the post whole.`
          : `Revision ${entry.revision} is what readers see now: edit the post, or remove it whole.`,
      );
    if (entry.content === null)
      throw new LivelineError('VERSION_NOT_FOUND', `The step "${entryId}" kept no text to remove.`);
    const removal = removalBy(actor, deps.now(), reason);
    await tx.removeVersionContent(page.id, post.id, entry.revision, removal);
    await recordStep(tx, { post, actor, action: 'version_removed', note: removal.reason });
    // The answer to the post's first request showed revision 1: only the present text stays.
    if (entry.revision === 1)
      await tx.rewriteIdempotentAnswers(post.id, {
        status: 201,
        headers: { location: `/api/pages/${page.slug}/posts/${post.id}` },
        body: presentPost(post),
      });
    return { ...entry, content: null, removal };
  };
  return valueOf(await commitOnPage(deps, slug, write));
}
