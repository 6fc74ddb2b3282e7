import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parse, ParseError, render, toRenderInput } from './index.ts';
import { SAMPLE_14_MARCH, SAMPLE_20_MARCH, loadSample } from '../../../test/support/bbc-text.ts';

/**
 * Whatever the input, the parser returns or throws ParseError, quickly; and what it returns
 * exports to text that imports again to the same text.
 */
const SLOW_MS = 1_000;

/** Parses strictly and partially (timed), then checks export → import → export is stable. */
function check(text: string): void {
  let parsed;
  for (const partial of [false, true]) {
    const started = performance.now();
    try {
      parsed = parse(text, { year: 2025, partial });
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
    }
    const took = performance.now() - started;
    assert.ok(took < SLOW_MS, `slow parse (${took} ms) of ${JSON.stringify(text.slice(0, 200))}`);
  }
  // Partial mode returns whenever strict mode does (and more), so its result is the one to check.
  if (parsed) {
    const exported = render(toRenderInput(parsed));
    assert.equal(render(toRenderInput(parse(exported, { year: 2025 }))), exported);
  }
}

/** Lines the grammar knows, so random documents reach deep into it. */
const VOCABULARY = [
  'Summary',
  '',
  'Media caption,',
  'Image caption,',
  'LIVE stream page 2',
  '  • A key point',
  '  • A key point, external',
  '• A bullet with no indent',
  '   • A bullet indented three spaces',
  '  •A bullet with no space',
  '  • ',
  '  1. Headlinepublished at 10:00 GMT 1 March',
  '  2. Analysis',
  '  3. Breaking newspublished at 01:30 British Summer Time 26 October 2025',
  '    Headlinepublished at 09:59 Greenwich Mean Time',
  '    Breaking',
  '    published at 10:00 1 March',
  '    • An item, external',
  '    A photoImage source, Agency',
  '    Image caption,',
  '    Media caption,',
  '    Quote Message: Words.',
  '    Source: Someone',
  '    Skip X post by A',
  '    https://x.com/a',
  '    End of X post by A',
  '    By Phil Leake',
  '    BBC Monitoring',
  '    Jo Bloggs',
  '    Reporter',
  '    A sentence with a link, external.',
  '    : , external',
];

const line = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VOCABULARY) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => `    ${s}`) },
);

type Mutation = (lines: string[]) => string[];
const at = (lines: string[], i: number) => i % Math.max(lines.length, 1);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map(
    (i): Mutation =>
      (ls) =>
        ls.filter((_, j) => j !== at(ls, i)),
  ),
  fc.nat().map(
    (i): Mutation =>
      (ls) =>
        ls.flatMap((l, j) => (j === at(ls, i) ? [l, l] : [l])),
  ),
  fc.tuple(fc.nat(), fc.nat()).map(([i, k]): Mutation => (ls) => {
    const copy = [...ls];
    const [a, b] = [at(ls, i), at(ls, k)];
    [copy[a], copy[b]] = [copy[b] ?? '', copy[a] ?? ''];
    return copy;
  }),
  fc.tuple(fc.nat(), line).map(
    ([i, l]): Mutation =>
      (ls) =>
        ls.map((x, j) => (j === at(ls, i) ? l : x)),
  ),
  fc
    .tuple(fc.nat(), line)
    .map(([i, l]): Mutation => (ls) => [...ls.slice(0, at(ls, i)), l, ...ls.slice(at(ls, i))]),
  fc.tuple(fc.nat(), fc.nat()).map(
    ([i, cut]): Mutation =>
      (ls) =>
        ls.map((x, j) => (j === at(ls, i) ? x.slice(0, cut % (x.length + 1)) : x)),
  ),
);

describe('fuzz', () => {
  for (const name of [SAMPLE_20_MARCH, SAMPLE_14_MARCH]) {
    test(`mutations of ${name}`, (t) => {
      const text = loadSample(t, name);
      if (text === undefined) return;
      const lines = text.split('\n');
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
          check(mutations.reduce((ls, m) => m(ls), lines).join('\n'));
        }),
        { numRuns: 700 },
      );
      fc.assert(
        fc.property(fc.nat(), (cut) => check(text.slice(0, cut % text.length))),
        { numRuns: 200 },
      );
    });
  }

  test('documents made of the grammar’s own lines', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), (lines) =>
        check(['Summary', '', ...lines].join('\n')),
      ),
      { numRuns: 2_500 },
    );
  });

  test('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), {
      numRuns: 1_000,
    });
  });

  test('long hostile lines stay fast', () => {
    const head = 'Summary\n\n';
    check(`${head}  1. ${'published at 10:00 GMT x'.repeat(5_000)}`);
    check(`${head}  1. Hpublished at 10:00 GMT 1 March\n\n    ${': , external'.repeat(10_000)}`);
    check(`${head}  1. Hpublished at 10:00 GMT 1 March\n\n    ${'a, b'.repeat(20_000)}, external`);
    check(`${head}${'  • point\n'.repeat(30)}`);
    check(`${head}  1. Hpublished at 10:00 GMT 1 March\n\n${'    • x\n'.repeat(20_000)}`);
  });
});
