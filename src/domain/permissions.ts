import { LivelineError } from './errors.ts';
import type { Post } from './post.ts';
import type { User } from './user.ts';

/**
 * Who may do what. Admins do everything; editors run pages and any post; contributors write
 * posts and change only their own, and never pin or touch a page.
 */
export type Action =
  | 'page.create'
  | 'page.edit'
  | 'post.create'
  | 'post.pin'
  | 'post.edit'
  | 'post.delete'
  | 'post.remove'
  | 'page.import'
  | 'people.manage'
  | 'audit.read'
  // Webhooks (docs/webhooks.md): admins only.
  | 'webhooks.manage'
  // The file a picture was uploaded as (editors and admins; ADR 0020).
  | 'media.original';

export function may(user: User, action: Action, post?: Pick<Post, 'authorId'>): boolean {
  if (user.role === 'admin') return true;
  // Only admins invite people, change roles and disable accounts, and read the audit log.
  if (action === 'people.manage' || action === 'audit.read' || action === 'webhooks.manage')
    return false;
  if (user.role === 'editor') return true;
  switch (action) {
    case 'post.create':
      return true;
    case 'post.edit':
    case 'post.delete':
      return post !== undefined && post.authorId === user.id;
    default:
      return false;
  }
}

/** Throws FORBIDDEN unless the user may take the action. */
export function authorize(user: User, action: Action, post?: Pick<Post, 'authorId'>): void {
  if (!may(user, action, post)) {
    throw new LivelineError(
      'FORBIDDEN',
      `The ${user.role} role may not ${describe(action, post, user)}.`,
    );
  }
}

function describe(action: Action, post: Pick<Post, 'authorId'> | undefined, user: User): string {
  const own = post && post.authorId !== user.id ? "someone else's post" : 'this post';
  switch (action) {
    case 'page.create':
      return 'create live pages';
    case 'page.edit':
      return 'change a live page';
    case 'page.import':
      return 'import live pages';
    case 'post.create':
      return 'write posts';
    case 'people.manage':
      return "manage the newsroom's people";
    case 'audit.read':
      return 'read the audit log';
    case 'post.pin':
      return 'pin or unpin posts';
    case 'post.edit':
      return `edit ${own}`;
    case 'post.delete':
      return `delete ${own}`;
    case 'post.remove':
      return 'remove posts for legal reasons';
    case 'webhooks.manage':
      return 'manage webhooks';
    case 'media.original':
      return 'download the original file of a picture';
  }
}
