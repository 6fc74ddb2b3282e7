import type { Contributor, Label } from '../../src/domain/post.ts';
import type { EditorNode } from './body-mapping.ts';
import type { DeskPost } from './api.ts';

/**
 * What the composer holds, kept in localStorage per (page, post) on every keystroke until
 * the server has it: a reload, a crash or a dropped connection loses nothing typed.
 */
export interface Composition {
  headline: string;
  labels: Label[];
  contributors: Contributor[];
  doc: EditorNode;
  /** The post as it was when editing began (null for a new post): the base of a merge. */
  base: DeskPost | null;
  /** One per composition: a repeated publish of the same text makes one post. */
  idempotencyKey: string;
}

const PREFIX = 'liveline:draft:';

export const draftKey = (slug: string, postId: string | null) =>
  `${PREFIX}${slug}:${postId ?? 'new'}`;

export function loadDraft(key: string): Composition | null {
  try {
    const raw = localStorage.getItem(key);
    if (!raw) return null;
    const value = JSON.parse(raw) as Composition;
    return value && typeof value.headline === 'string' && value.doc ? value : null;
  } catch {
    return null;
  }
}

export function saveDraft(key: string, composition: Composition): void {
  try {
    localStorage.setItem(key, JSON.stringify(composition));
  } catch {
    // Storage full or disabled: the composer still works, it just cannot survive a reload.
  }
}

export function dropDraft(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // As above.
  }
}

/** The posts of a page with an unsaved edit kept in this browser. */
export function postsWithDrafts(slug: string): Set<string> {
  const found = new Set<string>();
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i) ?? '';
      const prefix = `${PREFIX}${slug}:`;
      if (key.startsWith(prefix) && !key.endsWith(':new')) found.add(key.slice(prefix.length));
    }
  } catch {
    // As above.
  }
  return found;
}
