import { diffWords } from 'diff';
import { blockText } from '../../src/domain/block-text.ts';
import type { Body } from '../../src/domain/blocks.ts';

/** One run of a word-level diff: kept, added or removed text. */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** A body as plain text, one block a paragraph: what the history's diff compares. */
export function bodyText(body: Body): string {
  return body.map((block) => blockText(block, 'described')).join('\n\n');
}

/**
 * Words as the browser's Intl.Segmenter finds them: "24,000" and "don't" stay one word (the
 * default splitter breaks at punctuation and shows "24,000" -> "2,400" as four runs).
 */
const WORDS = new Intl.Segmenter('en', { granularity: 'word' });

/**
 * The word-level differences between two texts (jsdiff's diffWords): the runs without the
 * removed ones are the new text exactly; without the added ones, the old text's words (its
 * spacing may differ, which a reader of the diff does not miss).
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWords(before, after, { intlSegmenter: WORDS }).map((part) => ({
    kind: part.added ? 'added' : part.removed ? 'removed' : 'same',
    text: part.value,
  }));
}
