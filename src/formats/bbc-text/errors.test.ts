import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LivelineError } from '../../domain/errors.ts';
import { parse, ParseError } from './index.ts';
import { SAMPLE_20_MARCH, capture, loadSample } from '../../../test/support/bbc-text.ts';

/** The ParseError that parsing throws (failing the test when it does not). */
function parseError(text: string, options = {}): ParseError {
  try {
    parse(text, { year: 2025, ...options });
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  assert.fail('expected a ParseError');
}

/** 1-based number of the first line starting with `prefix`. */
function lineOf(text: string, prefix: string): number {
  const index = text.split('\n').findIndex((line) => line.startsWith(prefix));
  assert.ok(index >= 0, `no line starts with ${prefix}`);
  return index + 1;
}

describe('not a capture', () => {
  test('anything else fails on line 1, even in partial mode', () => {
    for (const text of ['Hello, world', '', '<html><body>', '{"posts": []}']) {
      const error = parseError(text, { partial: true });
      assert.equal(error.line, 1);
      assert.match(
        error.message,
        /^line 1: expected "Summary", the first line of a BBC live page capture/,
      );
    }
  });

  test('an empty file, or one of blank lines, is refused quoting its first line', () => {
    for (const [text, first] of [
      ['', ''],
      ['\n\n', ''],
      [' \n', ' '],
    ] as const) {
      const error = parseError(text);
      assert.equal(
        error.message,
        `line 1: expected "Summary", the first line of a BBC live page capture, found "${first}"`,
      );
      assert.equal(error.lineText, first);
    }
  });

  test('a ParseError is a validation error naming the line', () => {
    const error = parseError('Nope');
    assert.ok(error instanceof LivelineError);
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.equal(error.lineText, 'Nope');
    assert.deepEqual(error.extra, { line: 1, expected: error.expected });
    assert.match(error.problems[0]?.reason ?? '', /line 1/);
    assert.deepEqual(error.problems, [{ field: '/text', reason: error.message }]);
    assert.equal(error.name, 'ParseError');
  });

  test('a long line is quoted up to 120 characters, then "…"', () => {
    const fits = `${'x'.repeat(119)}y`;
    assert.ok(parseError(fits).message.endsWith(`found "${fits}"`));
    const long = `${'x'.repeat(120)}yz`;
    const error = parseError(long);
    assert.ok(error.message.endsWith(`found "${'x'.repeat(120)}…"`), error.message);
    assert.equal(error.lineText, long, 'the error keeps the whole line');
  });
});

describe('invisible characters', { timeout: 10_000 }, () => {
  test('a byte-order mark before "Summary" is ignored and noted', () => {
    const parsed = parse('\uFEFF' + capture(), { year: 2025 });
    assert.deepEqual(parsed.posts, []);
    assert.ok(parsed.assumptions.some((a) => /byte-order mark/.test(a)));
  });

  test('an error shows the invisible characters of the line it quotes', () => {
    const error = parseError('\u200BSummary\u00A0');
    assert.equal(error.line, 1);
    assert.match(error.message, /found "\\u200BSummary\\u00A0"$/);
    // Only the mark at the very start is a byte-order mark: one later in the text is refused.
    const later = parseError(
      capture('\uFEFF  1. Headlinepublished at 10:00 Greenwich Mean Time 1 March'),
    );
    assert.match(later.message, /found "\\uFEFF {2}1\. Headline/);
  });
});

describe('a truncated capture', () => {
  test('cut inside a post line: ParseError on that line; partial keeps posts 1 to 6', (t) => {
    const text = loadSample(t, SAMPLE_20_MARCH);
    if (text === undefined) return;
    const cut = text.indexOf("  7. 'We're moving") + 30;
    const truncated = text.slice(0, cut);
    const line = lineOf(text, '  7. ');
    const error = parseError(truncated);
    assert.equal(error.line, line);
    assert.equal(error.lineText, "  7. 'We're moving from politi");
    assert.match(error.message, /expected a headline ending "published at HH:MM <zone>/);

    const partial = parse(truncated, { year: 2025, partial: true });
    assert.equal(partial.posts.length, 6);
    assert.equal(
      partial.posts[5]?.headline,
      'Lammy says Putin must not be given veto over European peacekeepers',
    );
    assert.deepEqual(partial.dropped, [{ line, reason: error.message }]);
  });

  test('cut after "Image caption,": the caption is missing', (t) => {
    const text = loadSample(t, SAMPLE_20_MARCH);
    if (text === undefined) return;
    const post4 = text.indexOf('  4. Analysis');
    const cut = text.indexOf('Image caption,', post4) + 'Image caption,\n'.length;
    const captionLine = text.slice(0, cut).split('\n').length - 1;
    const error = parseError(text.slice(0, cut));
    assert.equal(error.line, captionLine + 1);
    assert.equal(error.lineText, null);
    assert.match(
      error.message,
      /expected a blank line after "Image caption,", found the end of the capture/,
    );
    const partial = parse(text.slice(0, cut), { year: 2025, partial: true });
    assert.equal(partial.posts.length, 3);
    assert.equal(partial.dropped[0]?.line, captionLine + 1);
  });

  test('cut after a label, and after a post number', () => {
    // The blank line that should follow the label is missing: line 8 is where it should be.
    assert.match(
      parseError(capture('  1. Analysis')).message,
      /^line 8: expected a blank line after the label, found the end/,
    );
    const numberOnly = parseError(capture('  1. Onepublished at 10:00 GMT 1 March', '', '  2.'));
    assert.equal(numberOnly.line, 9);
    assert.match(numberOnly.message, /after the post number/);
  });
});

describe('clear errors', () => {
  const expectError = (lines: string[], line: number, pattern: RegExp) => {
    const error = parseError(capture(...lines));
    assert.equal(error.line, line, error.message);
    assert.match(error.message, pattern);
  };

  test('an unknown label is rejected, naming the known ones', () => {
    expectError(
      ['  1. Explainer'],
      7,
      /or a label \(Breaking, Breaking news, Analysis, Key event, Key update\)/,
    );
    expectError(
      ['  1. Onepublished at 10:00 GMT 1 March', '    Exclusive'],
      8,
      /a label \(Breaking/,
    );
  });

  test('a missing post, a disagreeing second time line, a bad zone, a stray line', () => {
    expectError(['  2. Onepublished at 10:00 GMT 1 March'], 7, /expected post number 1/);
    expectError(
      ['  1. Onepublished at 10:00 GMT 1 March', '    published at 10:01 1 March'],
      8,
      /same time/,
    );
    expectError(
      ['  1. Onepublished at 10:00 BST 1 January'],
      7,
      /zone in force .* Greenwich Mean Time/,
    );
    expectError(
      ['  1. Onepublished at 10:00 GMT 1 March', '', 'Stray text'],
      9,
      /indented by four spaces/,
    );
    expectError(['Something else'], 7, /"Media caption,", "LIVE stream page N" or a numbered post/);
    // `not a url` is the embed's text; its address should follow on line 11.
    expectError(
      ['  1. Onepublished at 10:00 GMT 1 March', '', '    Skip X post', '    not a url'],
      11,
      /https/,
    );
  });

  test('a post top that breaks off: after a label, over-long, a line not indented', () => {
    expectError(
      ['  1. Analysis', '', '  2. Twopublished at 09:00 GMT 1 March'],
      9,
      /headline ending "published at HH:MM <zone> \[D Month \[YYYY\]\]", indented by four spaces, found " {2}2\. Two/,
    );
    const at = (headline: string) =>
      capture(`  1. ${headline}published at 10:00 GMT 1 March`, '', '    Text.');
    assert.equal(parse(at('h'.repeat(300)), { year: 2025 }).posts[0]?.headline.length, 300);
    const long = parseError(at('h'.repeat(301)));
    assert.equal(long.line, 7);
    assert.match(long.message, /^line 7: expected a headline of at most 300 characters/);
    expectError(
      ['  1. Onepublished at 10:00 GMT 1 March', ' Stray'],
      8,
      /^line 8: expected a line indented by four spaces after the post time, found " Stray"/,
    );
  });

  test('a line where the head needs a blank one', () => {
    const summaryThenPoint = parseError('Summary\n  • A key point');
    assert.equal(summaryThenPoint.line, 2);
    assert.match(
      summaryThenPoint.message,
      /expected a blank line after "Summary", found " {2}• A key/,
    );
    const captionThenPost = parseError(
      'Summary\n\nMedia caption,\n  1. Onepublished at 10:00 GMT 1 March',
    );
    assert.equal(captionThenPost.line, 4);
    assert.match(captionThenPost.message, /expected a blank line after "Media caption,"/);
  });

  test('too many bylines, or a block over the limits: the error quotes where it starts', () => {
    const bylines = ['Ann', 'Bea', 'Cy', 'Dee', 'Eve', 'Fay'].flatMap((name) => [
      `    By ${name} Jones`,
      '',
    ]);
    const tooMany = parseError(capture('  1. Onepublished at 10:00 GMT 1 March', '', ...bylines));
    // Lines 7 and 8 are the post's top; the sixth byline is on line 9 + 2 * 5.
    assert.equal(tooMany.line, 19);
    assert.equal(tooMany.lineText, '    By Fay Jones');
    assert.match(tooMany.message, /^line 19: expected at most 5 bylines on a post/);

    const longCaption = `    ${'c'.repeat(1_001)}`;
    const overLimit = parseError(
      capture(
        '  1. Onepublished at 10:00 GMT 1 March',
        '',
        '    Text.',
        '',
        '    A mapImage source, Agency',
        '    Image caption,',
        '',
        longCaption,
        '',
        '    More text.',
      ),
    );
    assert.equal(overLimit.line, 11, overLimit.message);
    assert.equal(overLimit.lineText, '    A mapImage source, Agency');
    assert.match(overLimit.message, /^line 11: expected a block within Liveline's limits/);
    // It names what is over the limit: the picture's caption, not "Expected union value".
    assert.match(
      overLimit.message,
      /limits \(\/caption: Expected string length less or equal to \d+\)/,
    );
  });

  test('partial mode drops a broken post in the middle and keeps the rest', () => {
    const text = capture(
      '  1. Onepublished at 10:00 GMT 1 March',
      '',
      '  2. Twopublished at 09:00 GMT 31 February',
      '',
      '  3. Threepublished at 08:00 GMT 1 March',
    );
    const page = parse(text, { year: 2025, partial: true });
    assert.deepEqual(
      page.posts.map((p) => p.headline),
      ['One', 'Three'],
    );
    assert.equal(page.dropped.length, 1);
    assert.match(
      page.dropped[0]?.reason ?? '',
      /^line 9: expected a real date \(there is no 31 February 2025\)/,
    );
  });
});
