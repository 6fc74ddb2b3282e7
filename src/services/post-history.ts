import { LivelineError } from '../domain/errors.ts';
import type { HistoryEntry } from '../domain/history.ts';
import { authorize } from '../domain/permissions.ts';
import type { Post } from '../domain/post.ts';
import type { User } from '../domain/user.ts';
import type { ServiceDeps } from './deps.ts';
import { findPage } from './pages.ts';

/** Who took a step, by name: a person as the desk knows them, or Liveline itself. */
export interface StepActorJson {
  kind: 'user' | 'system';
  id: string | null;
  name: string;
}

/** One step of a post's history as the desk reads it. */
export function presentStep(step: HistoryEntry, actor: StepActorJson) {
  return {
    id: step.id,
    at: step.at,
    actor,
    action: step.action,
    revision: step.revision,
    fields: step.fields,
    note: step.note,
    content: step.content,
    removal: step.removal,
  };
}

/** A post's history for the desk: never public (docs/corrections.md). */
export function presentHistory(post: Post, steps: ReturnType<typeof presentStep>[]) {
  return {
    post: {
      id: post.id,
      status: post.status,
      revision: post.revision,
      corrections: post.corrections,
      removal: post.removal,
    },
    steps,
  };
}

export type StepJson = ReturnType<typeof presentStep>;
export type HistoryJson = ReturnType<typeof presentHistory>;

/**
 * Every step of a post, oldest first, with who took it by name: for editors and admins, and
 * for a contributor on their own post. Removed and deleted posts keep their history (with
 * their tombstone); posts imported from captures have none before their import.
 */
export async function readPostHistory(
  deps: ServiceDeps,
  viewer: User,
  slug: string,
  postId: string,
): Promise<HistoryJson> {
  const page = await findPage(deps.store, slug);
  const post = await deps.store.getPost(page.id, postId);
  if (!post) throw new LivelineError('POST_NOT_FOUND', `No post "${postId}" on "${slug}".`);
  authorize(viewer, 'post.edit', post);
  const steps = await deps.store.listHistory(page.id, post.id);
  // A user step's actor_id references users.id (migration-workflow.ts) and no route or CLI
  // command deletes a user, so every user step's name is found: no fallback for a former user.
  // One read of the authors, not one per step.
  const authors = new Set(steps.flatMap(({ actor }) => (actor.kind === 'user' ? [actor.id] : [])));
  const names = new Map<string, string>(
    (await deps.store.listUsers([...authors])).map((user) => [user.id, user.name]),
  );
  return presentHistory(
    post,
    steps.map((step) =>
      presentStep(
        step,
        step.actor.kind === 'user'
          ? { kind: 'user', id: step.actor.id, name: names.get(step.actor.id)! }
          : { kind: 'system', id: null, name: step.actor.name },
      ),
    ),
  );
}
