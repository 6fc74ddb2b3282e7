import { diffWords } from 'diff';
import type { Block, Body } from '../../src/domain/blocks.ts';
import { plainText } from './body-mapping.ts';

/** One run of a word-level diff: kept, added or removed text. */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

function blockText(block: Block): string {
  switch (block.type) {
    case 'paragraph':
    case 'quote':
      return plainText(block.content);
    case 'list':
      return block.items.map(plainText).join('\n');
    case 'image':
      return `[Image: ${block.alt}] ${block.caption ?? ''}`.trim();
    case 'video':
      return `[Video] ${block.caption ?? ''}`.trim();
    case 'embed':
      return `[${block.provider}] ${block.text ?? block.url}`;
  }
}

/** A body as plain text, one block a paragraph: what the history's diff compares. */
export function bodyText(body: Body): string {
  return body.map(blockText).join('\n\n');
}

/**
 * The word-level differences between two texts (jsdiff's diffWords, which keeps whitespace
 * with the words so the runs join back into either text).
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWords(before, after).map((part) => ({
    kind: part.added ? 'added' : part.removed ? 'removed' : 'same',
    text: part.value,
  }));
}
