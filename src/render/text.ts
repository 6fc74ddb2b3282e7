import { blockText } from '../domain/blocks.ts';
import type { Post } from '../domain/post.ts';

/** The plain text of a post's body, one block per paragraph. */
export function postPlainText(post: Post): string {
  return post.body
    .map((block) => blockText(block))
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}

/** Collapse whitespace and cut at a word boundary, adding an ellipsis when cut. */
export function truncateText(text: string, maxLength: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxLength) return flat;
  const cut = flat.slice(0, maxLength - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A short description of a post: its first words, or its headline when it has no text. */
export function postSummary(post: Post, maxLength = 200): string {
  const text = postPlainText(post);
  return truncateText(text === '' ? post.headline : text, maxLength);
}
