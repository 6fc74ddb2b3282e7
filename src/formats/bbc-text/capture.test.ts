import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, ParseError, render, toRenderInput } from './index.ts';
import { capture } from '../../../test/support/bbc-text.ts';

/**
 * A capture as a whole: the options an import is given, what the parser notes about the text
 * (line endings, numbering, formatting that varies between posts) and how the capture's own way
 * of writing times is recorded for the export.
 */

const top = (n: number, time: string) => `  ${n}. Post ${n}published at ${time}`;

describe('the options of an import', { timeout: 10_000 }, () => {
  test('an unknown time zone is refused before anything is read, every time', () => {
    for (let i = 0; i < 2; i += 1) {
      assert.throws(
        () => parse(capture(), { timeZone: 'Europe/Atlantis' }),
        (error: unknown) =>
          error instanceof RangeError && error.message === 'unknown time zone: Europe/Atlantis',
      );
    }
    // A known zone, given twice, reads the same.
    for (let i = 0; i < 2; i += 1) {
      const page = parse(capture(top(1, '10:00 CET 1 March')), {
        year: 2025,
        timeZone: 'Europe/Berlin',
      });
      assert.equal(page.posts[0]?.publishedAt, '2025-03-01T09:00:00.000Z');
    }
  });

  test('a capture date must be a real date written YYYY-MM-DD', () => {
    for (const value of [
      '2025-02-31',
      '2025-13-01',
      '2025-00-10',
      '2025-1-5',
      '12025-01-05',
      '20250105',
      'today',
    ]) {
      assert.throws(
        () => parse(capture(), { captureDate: value }),
        (error: unknown) =>
          error instanceof RangeError &&
          error.message === `captureDate must be a real date as YYYY-MM-DD, not ${value}`,
        value,
      );
    }
    const leap = parse(capture(top(1, '10:00 GMT')), { captureDate: '2024-02-29' });
    assert.equal(leap.posts[0]?.publishedAt, '2024-02-29T10:00:00.000Z');
    assert.equal(leap.textFormat.captureDate, '2024-02-29');
  });
});

describe('what the parser notes about the text', { timeout: 10_000 }, () => {
  test('a clean capture gives no notes', () => {
    const page = parse(capture(top(1, '10:00 GMT 1 March 2025'), '', '    Text.'));
    assert.deepEqual(page.assumptions, []);
    assert.deepEqual(page.dropped, []);
  });

  test('blank lines after the end are ignored and noted once; the export has none', () => {
    const text = capture(top(1, '10:00 GMT 1 March 2025'), '', '    Text.');
    for (const extra of ['\n', '\n\n', '\n  \n']) {
      const page = parse(text + extra);
      assert.deepEqual(page.assumptions, ['blank lines at the end of the capture were ignored']);
      assert.equal(render(toRenderInput(page)), text);
    }
  });

  test('Windows line endings and a byte-order mark are each noted, once', () => {
    const text = capture(top(1, '10:00 GMT 1 March 2025'), '', '    Text.');
    const page = parse(`\uFEFF${text.replace(/\n/g, '\r\n')}`);
    assert.deepEqual(page.assumptions, [
      'the byte-order mark (U+FEFF) at the start of the capture was ignored',
      'Windows line endings (CRLF) were read as LF',
    ]);
    assert.equal(render(toRenderInput(page)), text);
  });

  test('a lone carriage return is not a line ending', () => {
    const page = parse(capture(top(1, '10:00 GMT 1 March 2025'), '', '    One\rtwo.'));
    assert.deepEqual(page.assumptions, []);
    assert.deepEqual(page.posts[0]?.body, [
      { type: 'paragraph', content: [{ type: 'text', text: 'One\rtwo.' }] },
    ]);
  });
});

describe('post numbers', { timeout: 10_000 }, () => {
  const skipped = capture(
    top(1, '10:00 GMT 1 March'),
    '',
    top(3, '09:00 GMT 1 March'),
    '',
    top(4, '08:00 GMT 1 March'),
    '',
    top(6, '07:00 GMT 1 March'),
  );

  test('a gap is an error naming the number expected', () => {
    assert.throws(
      () => parse(skipped, { year: 2025 }),
      (error: unknown) =>
        error instanceof ParseError &&
        error.line === 9 &&
        /expected post number 2/.test(error.message),
    );
  });

  test('in partial mode a gap is noted at its line and the count goes on from there', () => {
    const page = parse(skipped, { year: 2025, partial: true });
    assert.deepEqual(
      page.posts.map((p) => p.headline),
      ['Post 1', 'Post 3', 'Post 4', 'Post 6'],
    );
    assert.deepEqual(page.assumptions, [
      'line 9: expected post 2, found post 3',
      'line 13: expected post 5, found post 6',
      'dates without a year are read as 2025, the year given',
    ]);
    assert.deepEqual(page.dropped, []);
  });

  test('a note about a post names it by the number the capture gives it', () => {
    const text = capture(top(1, '10:00 GMT 2 January'), '', top(3, '09:00 GMT 31 December'));
    const page = parse(text, { year: 2025, partial: true });
    assert.deepEqual(
      page.posts.map((p) => p.publishedAt),
      ['2025-01-02T10:00:00.000Z', '2024-12-31T09:00:00.000Z'],
    );
    assert.deepEqual(page.assumptions, [
      'line 9: expected post 2, found post 3',
      'dates without a year are read as 2025, the year given',
      'post 3: 31 December is read as 2024, nearest to the post above it (2025-01-02)',
    ]);
  });
});

describe('the line that starts a post', { timeout: 10_000 }, () => {
  test('is two spaces, a number of up to five digits and a full stop', () => {
    for (const line of ['  123456. Post 2', '   2. Post 2', '  2.Post 2', '  x. Post 2']) {
      assert.throws(
        () =>
          parse(capture(top(1, '10:00 GMT 1 March'), '', '    Text.', '', line), { year: 2025 }),
        (error: unknown) =>
          error instanceof ParseError &&
          error.line === 11 &&
          /expected a line of the post indented by four spaces/.test(error.message),
        line,
      );
    }
    const many = parse(capture(top(1, '10:00 GMT 1 March')), { year: 2025, partial: true });
    assert.equal(many.posts.length, 1);
    const fiveDigits = parse(capture(top(12345, '10:00 GMT 1 March')), {
      year: 2025,
      partial: true,
    });
    assert.deepEqual(
      fiveDigits.posts.map((p) => p.headline),
      ['Post 12345'],
    );
  });
});

describe('the capture’s way of writing times, kept for the export', { timeout: 10_000 }, () => {
  test('taken from the first post; a later post that differs is noted', () => {
    const page = parse(
      capture(
        top(1, '10:00 GMT 1 March 2025'),
        '    published at 10:00 1 March 2025',
        '',
        top(2, '09:00 Greenwich Mean Time 1 March'),
      ),
    );
    assert.deepEqual(page.textFormat, {
      zoneStyle: 'short',
      showYear: true,
      repeatTimeLine: true,
      streamPageLine: false,
      captureDate: null,
    });
    assert.deepEqual(page.assumptions, [
      'posts differ in zone names (long or short); an export writes all like the first',
      'posts differ in the second "published at" line; an export writes all like the first',
      'posts differ in writing the year; an export writes all like the first',
    ]);
    assert.deepEqual(
      page.posts.map((p) => p.publishedAt),
      ['2025-03-01T10:00:00.000Z', '2025-03-01T09:00:00.000Z'],
    );
  });

  test('posts that agree give no note; undated posts do not count for the year', () => {
    const page = parse(
      capture(
        top(1, '10:00 Greenwich Mean Time'),
        '',
        top(2, '09:00 Greenwich Mean Time 1 March'),
        '',
        top(3, '08:00 Greenwich Mean Time 1 March'),
      ),
      { captureDate: '2025-03-02' },
    );
    assert.deepEqual(page.textFormat, {
      zoneStyle: 'long',
      showYear: false,
      repeatTimeLine: false,
      streamPageLine: false,
      captureDate: '2025-03-02',
    });
    assert.deepEqual(page.assumptions, [
      'posts without a date are from the capture date, 2025-03-02',
    ]);
  });

  test('the year is written when the first dated post writes it, after an undated one', () => {
    const page = parse(capture(top(1, '10:00 GMT'), '', top(2, '09:00 GMT 1 March 2025')), {
      captureDate: '2025-03-02',
    });
    assert.equal(page.textFormat.showYear, true);
    assert.equal(page.textFormat.captureDate, '2025-03-02');
  });

  test('a capture with no posts: long zone names, no year, no second line', () => {
    const page = parse('Summary\n\nLIVE stream page 1');
    assert.deepEqual(page.textFormat, {
      zoneStyle: 'long',
      showYear: false,
      repeatTimeLine: false,
      streamPageLine: true,
      captureDate: null,
    });
  });
});
