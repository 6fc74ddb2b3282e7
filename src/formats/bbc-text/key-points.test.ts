import { LIMITS } from '../../domain/limits.ts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, ParseError, render, toRenderInput } from './index.ts';
import { SAMPLE_14_MARCH, SAMPLE_20_MARCH, loadSample } from '../../../test/support/bbc-text.ts';

/**
 * The Summary box of a BBC live page often opens with key points: after "Summary" and its blank
 * line, one line "  • text" per point, each followed by a blank line; the lead media may follow
 * or be absent. The capture below is ours (made-up news), shaped like the BBC's.
 */
const WITH_KEY_POINTS = [
  'Summary',
  '',
  '  • The harbour wall at Skerra Head gave way overnight after three days of storms',
  '',
  '  • Ferries to the mainland are cancelled until Friday, the operator says, external',
  '',
  '  • People in the low town are asked to stay with friends or at the school',
  '',
  'Media caption,',
  '',
  'Watch: the moment the wall gave way',
  '',
  'LIVE stream page 1',
  '',
  '  1. Engineers reach the breachpublished at 09:12 Greenwich Mean Time 3 February',
  '    published at 09:12 3 February',
  '',
  '    The first team of engineers has reached the breach and is looking at the damage.',
  '',
  '  2. Storm eases over the islandpublished at 07:40 Greenwich Mean Time 3 February',
  '    published at 07:40 3 February',
  '',
  '    The wind dropped before dawn.',
].join('\n');

const POINTS = [
  { text: 'The harbour wall at Skerra Head gave way overnight after three days of storms' },
  { text: 'Ferries to the mainland are cancelled until Friday, the operator says, external' },
  { text: 'People in the low town are asked to stay with friends or at the school' },
];

/** Parses, checks the text comes back byte for byte, and returns the parse. */
function roundTrip(text: string) {
  const parsed = parse(text, { year: 2025 });
  assert.equal(render(toRenderInput(parsed)), text);
  return parsed;
}

function parseError(text: string): ParseError {
  try {
    parse(text, { year: 2025 });
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  assert.fail('expected a ParseError');
}

/** The sample with key points put into its Summary box, as real captures have them. */
function withKeyPoints(sample: string, points: string[]): string {
  assert.ok(sample.startsWith('Summary\n\n'));
  const lines = points.flatMap((point) => [`  • ${point}`, '']);
  return ['Summary', '', ...lines].join('\n') + sample.slice('Summary\n'.length);
}

describe('Summary key points', { timeout: 10_000 }, () => {
  test('are read into the summary, each followed by a blank line, and written back byte for byte', () => {
    const page = roundTrip(WITH_KEY_POINTS);
    assert.deepEqual(page.summary, POINTS);
    assert.deepEqual(page.leadMedia, {
      kind: 'video',
      caption: 'Watch: the moment the wall gave way',
    });
    assert.equal(page.streamPage, 1);
    assert.deepEqual(
      page.posts.map((post) => post.headline),
      ['Engineers reach the breach', 'Storm eases over the island'],
    );
    assert.ok(!page.assumptions.some((a) => /key point/.test(a)), page.assumptions.join('\n'));
  });

  test('may stand with no lead media, before the stream page line or the first post', () => {
    const noMedia = WITH_KEY_POINTS.replace(
      'Media caption,\n\nWatch: the moment the wall gave way\n\n',
      '',
    );
    assert.deepEqual(roundTrip(noMedia).summary, POINTS);
    assert.equal(roundTrip(noMedia).leadMedia, null);
    const noStreamLine = noMedia.replace('LIVE stream page 1\n\n', '');
    assert.deepEqual(roundTrip(noStreamLine).summary, POINTS);
    const onlyPoints = 'Summary\n\n  • One point\n\n  • Another point';
    assert.deepEqual(roundTrip(onlyPoints).summary, [
      { text: 'One point' },
      { text: 'Another point' },
    ]);
  });

  for (const name of [SAMPLE_20_MARCH, SAMPLE_14_MARCH]) {
    test(`put into the ${name} capture, change nothing else and round-trip`, (t) => {
      const sample = loadSample(t, name);
      if (sample === undefined) return;
      const original = parse(sample, { year: 2025 });
      const text = withKeyPoints(sample, ['A first point', 'A second point, with “quotes”']);
      const page = roundTrip(text);
      assert.deepEqual(page.summary, [
        { text: 'A first point' },
        { text: 'A second point, with “quotes”' },
      ]);
      assert.deepEqual(page.posts, original.posts);
      assert.deepEqual(page.leadMedia, original.leadMedia);
      assert.equal(page.streamPage, original.streamPage);
      // The samples themselves still round-trip with an empty summary.
      assert.equal(render(toRenderInput(original)), sample);
      assert.deepEqual(original.summary, []);
    });
  }

  test("Liveline's earlier export (points with no blank line between them) is still read, and noted", () => {
    const earlier =
      'Summary\n\n  • One point\n  • Another point\n\n  1. Headlinepublished at 10:00 GMT 1 March';
    const page = parse(earlier, { year: 2025 });
    assert.deepEqual(page.summary, [{ text: 'One point' }, { text: 'Another point' }]);
    assert.ok(
      page.assumptions.some((a) => /key points/.test(a)),
      page.assumptions.join('\n'),
    );
    assert.equal(
      render(toRenderInput(page)),
      'Summary\n\n  • One point\n\n  • Another point\n\n  1. Headlinepublished at 10:00 GMT 1 March',
    );
  });

  test('a blank key point is not written (there is nothing to write)', () => {
    const page = parse(WITH_KEY_POINTS, { year: 2025 });
    const text = render({ ...toRenderInput(page), summary: [{ text: '  ' }, ...POINTS] });
    assert.equal(text, WITH_KEY_POINTS);
  });
});

describe('a malformed key point names its line', { timeout: 10_000 }, () => {
  const cases: [string, string, number][] = [
    ['no indent', '• A point', 3],
    ['one space', ' • A point', 3],
    ['three spaces', '   • A point', 3],
    ['no space after the bullet', '  •A point', 3],
    ['nothing after the bullet', '  • ', 3],
    ['a bare bullet', '  •', 3],
    ['blank text', '  •    ', 3],
  ];
  for (const [what, line, number] of cases) {
    test(what, () => {
      const error = parseError(`Summary\n\n${line}\n\n  1. Headlinepublished at 10:00 GMT 1 March`);
      assert.equal(error.line, number);
      assert.equal(error.lineText, line);
      assert.match(error.message, new RegExp(`^line ${number}: expected a key point`));
    });
  }

  test('after good ones, the bad one is named', () => {
    const error = parseError('Summary\n\n  • Good\n\n  • Fine\n\n• Bad\n\n');
    assert.equal(error.line, 7);
    assert.match(error.message, /two spaces, a bullet, a space/);
  });

  test('too many, or too long, are refused at the line that passes the limit', () => {
    const many = Array.from(
      { length: LIMITS.keyPoints + 1 },
      (_, i) => `  • Point ${i + 1}\n`,
    ).join('\n');
    const error = parseError(`Summary\n\n${many}`);
    assert.equal(error.line, 3 + LIMITS.keyPoints * 2);
    const long = parseError(`Summary\n\n  • ${'x'.repeat(LIMITS.keyPoint + 1)}\n`);
    assert.equal(long.line, 3);
    assert.match(long.message, new RegExp(`1 to ${LIMITS.keyPoint} characters`));
  });
});
