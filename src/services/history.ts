import type { HistoryAction, PostContent, StepActor } from '../domain/history.ts';
import type { Post } from '../domain/post.ts';
import type { User } from '../domain/user.ts';
import type { Work } from './commit.ts';

/** The fields whose change makes a new version of a post's text. */
export const CONTENT_FIELDS = [
  'headline',
  'body',
  'labels',
  'contributors',
  'publishedAt',
] as const;

/** The content of a post as its history keeps it. */
export function contentOf(post: Post): PostContent {
  const { headline, body, labels, contributors, publishedAt } = post;
  return { headline, body, labels, contributors, publishedAt };
}

/** A person (by their user), or Liveline itself, as the history names who took a step. */
export function stepActor(actor: User | StepActor): StepActor {
  return 'kind' in actor ? actor : { kind: 'user', id: actor.id };
}

/**
 * Records a step of `post`'s life in its history, inside the write's transaction: steps that
 * change the text (`fields` names content fields) keep the post's content at that revision.
 */
export async function recordStep(
  tx: Work['tx'],
  step: {
    post: Post;
    actor: User | StepActor;
    action: HistoryAction;
    fields?: readonly string[];
    note?: string | null;
    /** Keep the content even when no content field changed (a first version). */
    withContent?: boolean;
  },
): Promise<void> {
  const fields = [...(step.fields ?? [])];
  const writesContent =
    step.withContent === true ||
    fields.some((f) => (CONTENT_FIELDS as readonly string[]).includes(f));
  await tx.appendHistory({
    pageId: step.post.pageId,
    postId: step.post.id,
    actor: stepActor(step.actor),
    action: step.action,
    revision: step.post.revision,
    fields,
    content: writesContent ? contentOf(step.post) : null,
    note: step.note ?? null,
  });
}
