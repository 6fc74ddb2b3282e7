import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Block } from '../../src/domain/blocks.ts';
import { mergeEdits, type Mergeable } from '../../web/desk/merge.ts';

const p = (text: string): Block => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const post = (headline: string, ...body: Block[]): Mergeable => ({
  headline,
  labels: [],
  contributors: [],
  body,
});

describe('reapplying my edit on a newer version (three-way merge)', () => {
  it('keeps both texts when we changed different parts', () => {
    const base = post('Bridge reopens', p('First.'), p('Second.'));
    const theirs = post('Bridge reopens at dawn', p('First.'), p('Second.'));
    const mine = post('Bridge reopens', p('First.'), p('Second, corrected.'));
    const merged = mergeEdits(base, theirs, mine);
    assert.deepEqual(
      merged.value,
      post('Bridge reopens at dawn', p('First.'), p('Second, corrected.')),
    );
    assert.deepEqual(merged.clashes, []);
  });

  it('keeps my version and names the part when we both changed it', () => {
    const base = post('A', p('x'));
    const merged = mergeEdits(base, post('B', p('x')), post('C', p('x')));
    assert.equal(merged.value.headline, 'C');
    assert.deepEqual(merged.clashes, ['headline']);
  });

  it('merges whole bodies when the block count changed', () => {
    const base = post('A', p('x'));
    const theirs = post('A', p('x'), p('added by them'));
    assert.deepEqual(mergeEdits(base, theirs, post('A', p('x'))).value.body, theirs.body);
    const mine = post('A', p('y'), p('z'));
    const both = mergeEdits(base, theirs, mine);
    assert.deepEqual(both.value.body, mine.body);
    assert.deepEqual(both.clashes, ['body']);
  });
});
