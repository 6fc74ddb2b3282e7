import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countNodes, findBadText, textProblem, totalTextLength } from './text-rule.ts';

/**
 * The text rule at its edges: the HTTP suite (test/http/hostile-input.test.ts) sends a handful
 * of hostile strings through every route and uses textProblem itself as the oracle of its
 * property test, so the exact boundaries of the rule are pinned here.
 */
describe('the text rule: XML 1.0 characters only', { timeout: 10_000 }, () => {
  test('accepts tab, line feed, carriage return and every character from U+0020', () => {
    for (const text of [
      '',
      'plain text',
      '\t\n\r',
      ' ',
      '\u00a0\u20ac\ud7ff',
      '\ue000\ufeff\ufffd',
      // A surrogate pair is one character (an emoji), at the start, middle and end.
      '\ud83d\udcf0',
      'a\ud83d\udcf0b',
      'news \ud800\udc00',
      '\udbff\udfff',
    ]) {
      assert.equal(textProblem(text), null, JSON.stringify(text));
    }
  });

  test('refuses the other C0 controls, naming the character and where it is', () => {
    assert.equal(
      textProblem('\u0000'),
      'has a character that is not allowed in text (U+0000) at character 1',
    );
    assert.equal(
      textProblem('ab\u001f'),
      'has a character that is not allowed in text (U+001F) at character 3',
    );
    assert.equal(
      textProblem('a\u0008'),
      'has a character that is not allowed in text (U+0008) at character 2',
    );
    assert.equal(
      textProblem('\u000b'),
      'has a character that is not allowed in text (U+000B) at character 1',
    );
    assert.equal(
      textProblem('\u000e'),
      'has a character that is not allowed in text (U+000E) at character 1',
    );
  });

  test('refuses U+FFFE and U+FFFF, which XML cannot carry even escaped', () => {
    assert.equal(
      textProblem('x\ufffe'),
      'has a character that is not allowed in text (U+FFFE) at character 2',
    );
    assert.equal(
      textProblem('\uffff'),
      'has a character that is not allowed in text (U+FFFF) at character 1',
    );
  });

  test('refuses lone surrogates, high or low, wherever they are', () => {
    assert.equal(textProblem('\ud800'), 'has a lone surrogate (U+D800) at character 1');
    assert.equal(textProblem('ab\udbff'), 'has a lone surrogate (U+DBFF) at character 3');
    assert.equal(textProblem('\ud800x'), 'has a lone surrogate (U+D800) at character 1');
    // A high surrogate followed by another high one: the first is alone.
    assert.equal(textProblem('\ud800\ud800'), 'has a lone surrogate (U+D800) at character 1');
    // A high surrogate followed by a character past the low range.
    assert.equal(textProblem('\udbff\ue000'), 'has a lone surrogate (U+DBFF) at character 1');
    assert.equal(textProblem('\udc00'), 'has a lone surrogate (U+DC00) at character 1');
    assert.equal(textProblem('a\udfff'), 'has a lone surrogate (U+DFFF) at character 2');
    // A low surrogate right after a complete pair is alone, counted in UTF-16 units.
    assert.equal(textProblem('\ud83d\udcf0\udcf0'), 'has a lone surrogate (U+DCF0) at character 3');
  });
});

describe('the first bad string in a JSON value, with its JSON pointer', { timeout: 10_000 }, () => {
  test('finds nothing in good text, numbers, booleans and null', () => {
    assert.equal(findBadText({ a: ['x', 1, true, null, { b: 'y' }] }), null);
    assert.equal(findBadText(null), null);
    assert.equal(findBadText(42), null);
  });

  test('names a string at the top, in an array and in an object', () => {
    assert.deepEqual(findBadText('\u0000'), {
      field: '',
      reason: 'has a character that is not allowed in text (U+0000) at character 1',
    });
    assert.deepEqual(findBadText(['ok', 'also ok', 'bad\uffff']), {
      field: '/2',
      reason: 'has a character that is not allowed in text (U+FFFF) at character 4',
    });
    assert.deepEqual(
      findBadText({
        body: [{ type: 'paragraph', content: [{ text: 'fine' }, { text: '\ud800' }] }],
      }),
      { field: '/body/0/content/1/text', reason: 'has a lone surrogate (U+D800) at character 1' },
    );
  });

  test('reports the first of several, in order', () => {
    assert.equal(findBadText({ a: 'x\u0001', b: '\u0002' })?.field, '/a');
    assert.equal(findBadText(['\u0001', '\u0002'])?.field, '/0');
  });

  test('checks keys too, escaping ~ and / in the pointer (RFC 6901)', () => {
    assert.deepEqual(findBadText({ 'k\u0000': 'fine' }), {
      field: '/k\u0000',
      reason: 'has a character that is not allowed in text (U+0000) at character 2',
    });
    assert.equal(findBadText({ 'a/b~c': { 'd~/e': 'x\u0007' } })?.field, '/a~1b~0c/d~0~1e');
  });
});

describe('what a post costs to render', { timeout: 10_000 }, () => {
  test('total text: every string but the kinds (type, provider)', () => {
    assert.equal(totalTextLength('hello'), 5);
    assert.equal(totalTextLength(['ab', 'cde']), 5);
    assert.equal(totalTextLength(7), 0);
    assert.equal(totalTextLength(null), 0);
    assert.equal(
      totalTextLength([
        { type: 'paragraph', content: [{ type: 'text', text: 'four' }] },
        { type: 'embed', provider: 'youtube', url: 'https://x', text: 'abc' },
      ]),
      4 + 'https://x'.length + 3,
    );
  });

  test('nodes: every array and object, itself included; strings and numbers are not nodes', () => {
    assert.equal(countNodes('text'), 0);
    assert.equal(countNodes(3), 0);
    assert.equal(countNodes(null), 0);
    assert.equal(countNodes([]), 1);
    assert.equal(countNodes({}), 1);
    assert.equal(countNodes(['a', 'b']), 1);
    // The body, two blocks, one content array, one run, one list's items and its one item.
    assert.equal(
      countNodes([
        { type: 'paragraph', content: [{ type: 'text', text: 'x' }] },
        { type: 'list', items: [[]] },
      ]),
      7,
    );
  });
});
