import type { LivePage } from '../domain/page.ts';
import { normaliseLabels, type Post } from '../domain/post.ts';
import type { ServiceDeps } from './deps.ts';
import type { NewPostInput } from './posts.ts';
import { findPage } from './pages.ts';

/** How many posts the desk's stream shows. */
export const DESK_POSTS = 200;

/** A page's published posts and drafts, newest first: what the desk shows and edits. */
export async function listDeskPosts(deps: ServiceDeps, slug: string): Promise<Post[]> {
  const page = await findPage(deps.store, slug);
  return deps.store.listDeskPosts(page.id, DESK_POSTS);
}

/**
 * The post a new-post body would make, not stored: the preview renders it with the reader's
 * own component. It gets the id and times a new post would, so nothing but its id differs
 * from what readers will see.
 */
export async function previewPost(
  deps: ServiceDeps,
  slug: string,
  input: NewPostInput,
): Promise<{ page: LivePage; post: Post }> {
  const page = await findPage(deps.store, slug);
  const now = deps.now().toISOString();
  const post: Post = {
    id: 'preview',
    pageId: page.id,
    // The reader's component never reads a post's status (it is given published posts only),
    // so the mutation tester's changed status is equivalent (docs/TESTING.md).
    // Stryker disable next-line StringLiteral
    status: 'published',
    headline: input.headline,
    publishedAt: input.publishedAt ? new Date(input.publishedAt).toISOString() : now,
    // normaliseLabels keeps only known labels, so a made-up fallback is equivalent too.
    // Stryker disable next-line ArrayDeclaration
    labels: normaliseLabels(input.labels ?? []),
    pinned: input.pinned ?? false,
    contributors: input.contributors ?? [],
    body: input.body,
    revision: 1,
    createdAt: now,
    updatedAt: now,
    authorId: null,
    scheduledFor: null,
    reviewNote: null,
    corrections: [],
    removal: null,
  };
  return { page, post };
}
