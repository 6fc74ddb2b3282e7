import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyText, wordDiff } from '../../web/desk/history-diff.ts';
import { aParagraph } from '../support/factories.ts';

describe("the history's word diff", () => {
  it('marks whole words, numbers with their commas, and loses no word of either text', () => {
    const before = 'Police said 24,000 people came.';
    const after = 'Police said 2,400 people came to the square.';
    const parts = wordDiff(before, after);
    assert.deepEqual(
      parts.filter((p) => p.kind !== 'same').map((p) => [p.kind, p.text]),
      [
        ['removed', '24,000'],
        ['added', '2,400'],
        ['added', 'to the square'],
      ],
    );
    const join = (kind: 'added' | 'removed') =>
      parts
        .filter((p) => p.kind !== kind)
        .map((p) => p.text)
        .join('');
    assert.equal(join('removed'), after);
    // diffWords keeps the new text's spacing: the old text comes back word for word.
    const words = (text: string) => text.replace(/\s+/g, '');
    assert.equal(words(join('added')), words(before));
  });

  it('renders every kind of block as text, one block a paragraph', () => {
    const text = bodyText([
      aParagraph('First.'),
      { type: 'quote', content: [{ type: 'text', text: 'Quoted.' }] },
      { type: 'list', items: [[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two' }]] },
      { type: 'image', src: 'https://example.org/a.jpg', alt: 'A bridge', caption: 'At dawn' },
    ]);
    assert.equal(text, 'First.\n\nQuoted.\n\none\ntwo\n\n[Image: A bridge] At dawn');
  });
});
