import fc from 'fast-check';
import type { Block, Inline } from '../../src/domain/blocks.ts';
import { EMBED_PROVIDERS } from '../../src/domain/blocks.ts';
import type { KeyPoint, LeadMedia, TextFormatSettings } from '../../src/domain/page.ts';
import { LABELS, normaliseLabels, type Contributor } from '../../src/domain/post.ts';
import { UNKNOWN_LINK_HREF } from '../../src/domain/blocks.ts';
import type { RenderInput, RenderablePost } from '../../src/formats/bbc-text/types.ts';

/**
 * Pages the text format carries faithfully, for import(export(page)) == page. The limits, and
 * why (README.md, "What the format cannot carry"):
 * - plain text only: no bold/italic; links are external, with UNKNOWN_LINK_HREF, and start a
 *   clause (after ", " or at the line start): the capture cannot say where a link starts;
 * - prose never looks like another production (words of letters, ending with "."), so a
 *   paragraph is not mistaken for a byline or a label;
 * - roleless bylines are capitalised names (written "By Name") or "BBC Desk";
 * - no image/video src, sizes or provider ids; captions and alts are never blank;
 * - times to the minute, posts at most 20 days apart (years are inferred, not written);
 * - the capture's last block is never an image without credit or caption (at the end of the
 *   capture it cannot be told from a paragraph).
 */

const lower = 'abcdefghijklmnopqrstuvwxyzéüøçñ';
const upper = 'ABCDEFGHIJKLMNOPRSTUVWZÉÖŁ';
/** fc.record, with ordinary prototypes so deepEqual compares like with like. */
const record = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> =>
  fc.record(model, { noNullPrototype: true });
const chars = (set: string) => fc.constantFrom(...set.split(''));
const word = fc.string({ unit: chars(lower), minLength: 1, maxLength: 8 });
const fancy = fc.constantFrom(
  '“quoted”',
  '"plain"',
  "it's",
  'Zoë',
  '東京',
  '🚀',
  'naïve',
  '3,000',
  '£4bn',
  '–',
);
const sentence = fc
  .array(fc.oneof({ weight: 4, arbitrary: word }, { weight: 1, arbitrary: fancy }), {
    minLength: 1,
    maxLength: 8,
  })
  .map((words) => words.join(' '));
const name = fc
  .tuple(chars(upper), fc.string({ unit: chars(lower), minLength: 1, maxLength: 7 }))
  .map(([first, rest]) => first + rest);
const fullName = fc.array(name, { minLength: 1, maxLength: 3 }).map((n) => n.join(' '));
const linkText = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));

type Piece = { text: string } | { link: string };
const piece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 3, arbitrary: sentence.map((text) => ({ text })) },
  { weight: 1, arbitrary: linkText.map((link) => ({ link })) },
);

/** Runs as parseInline returns them: merged text, links starting a clause, ending with ".". */
function runsOf(pieces: Piece[]): Inline[] {
  const runs: Inline[] = [];
  const addText = (text: string) => {
    const last = runs.at(-1);
    if (last?.type === 'text') last.text += text;
    else runs.push({ type: 'text', text });
  };
  pieces.forEach((p, i) => {
    if (i > 0) addText('link' in p ? ', ' : ' ');
    if ('link' in p)
      runs.push({ type: 'link', text: p.link, href: UNKNOWN_LINK_HREF, external: true });
    else addText(p.text);
  });
  addText('.');
  return runs;
}
const inline = fc.array(piece, { minLength: 1, maxLength: 4 }).map(runsOf);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const withOptional = <T extends object>(base: T, extra: Record<string, unknown>): T => {
  const defined = Object.entries(extra).filter(([, v]) => v !== undefined);
  return { ...base, ...Object.fromEntries(defined) };
};

const block: fc.Arbitrary<Block> = fc.oneof(
  { weight: 5, arbitrary: inline.map((content) => ({ type: 'paragraph' as const, content })) },
  {
    weight: 2,
    arbitrary: fc
      .array(inline, { minLength: 1, maxLength: 4 })
      .map((items) => ({ type: 'list' as const, items })),
  },
  {
    weight: 3,
    arbitrary: record({
      alt: sentence,
      credit: optional(fullName),
      caption: optional(sentence),
    }).map(({ alt, credit, caption }) =>
      withOptional({ type: 'image' as const, alt }, { credit, caption }),
    ),
  },
  {
    weight: 1,
    arbitrary: optional(sentence).map((caption) =>
      withOptional({ type: 'video' as const }, { caption }),
    ),
  },
  {
    weight: 1,
    arbitrary: record({ content: inline, attribution: optional(fullName) }).map(
      ({ content, attribution }) =>
        withOptional({ type: 'quote' as const, content }, { attribution }),
    ),
  },
  {
    weight: 1,
    arbitrary: record({
      provider: fc.constantFrom(...EMBED_PROVIDERS),
      url: word.map((w) => `https://example.org/${w}`),
      text: optional(sentence),
      author: optional(fullName),
    }).map(({ provider, url, text, author }) =>
      withOptional({ type: 'embed' as const, provider, url }, { text, author }),
    ),
  },
);

const contributor: fc.Arbitrary<Contributor> = fc.oneof(
  record({
    name: fullName,
    role: sentence.map((s) => s.replace(/[.!?…:;"”’]+$/u, '') || 'reporter'),
  }),
  fullName.map((n) => ({ name: n })),
  fc.constantFrom({ name: 'BBC Monitoring' }, { name: 'BBC Verify' }),
);

const headline = fc
  .array(
    fc.oneof(
      sentence,
      fc.constantFrom('Analysis', 'Breaking', 'published at 09:00 GMT', '“Quote”'),
    ),
    {
      minLength: 1,
      maxLength: 3,
    },
  )
  .map((parts) => parts.join(' '));

const MINUTE = 60_000;
const FIRST = Date.UTC(2000, 0, 1) / MINUTE;
const LAST = Date.UTC(2035, 11, 31) / MINUTE;

const posts = fc
  .tuple(
    fc.integer({ min: FIRST, max: LAST }),
    fc.array(
      record({
        gap: fc.integer({ min: 0, max: 20 * 24 * 60 }),
        headline,
        labels: fc.subarray([...LABELS]).map(normaliseLabels),
        contributors: fc.array(contributor, { maxLength: 3 }),
        body: fc.array(block, { maxLength: 6 }),
      }),
      { maxLength: 5 },
    ),
  )
  .map(([newest, list]) => {
    let minute = newest;
    return list.map(({ gap, ...post }): RenderablePost => {
      minute -= gap;
      return { ...post, publishedAt: new Date(minute * MINUTE).toISOString() };
    });
  })
  .filter((list) => {
    const last = list.at(-1)?.body.at(-1);
    return !(last?.type === 'image' && last.credit === undefined && last.caption === undefined);
  });

const leadMedia: fc.Arbitrary<LeadMedia | null> = fc.oneof(
  fc.constant(null),
  sentence.map((caption) => ({ kind: 'video' as const, caption })),
  record({ caption: sentence, alt: optional(sentence), credit: optional(fullName) }).map(
    ({ caption, alt, credit }) =>
      withOptional({ kind: 'image' as const, caption }, { alt, credit }),
  ),
);

/** Key points as the BBC writes them: prose, a link mark, a bullet or a space inside the text. */
const keyPointText = fc.oneof(
  { weight: 4, arbitrary: sentence },
  { weight: 1, arbitrary: sentence.map((text) => `${text}, external`) },
  { weight: 1, arbitrary: sentence.map((text) => `• ${text}`) },
  { weight: 1, arbitrary: sentence.map((text) => ` ${text} `) },
);
const keyPoints: fc.Arbitrary<KeyPoint[]> = fc.array(
  keyPointText.map((text) => ({ text })),
  { maxLength: 6 },
);
/** Key points the export writes lossily: line breaks become spaces, blank points are left out. */
const lossyKeyPoints: fc.Arbitrary<KeyPoint[]> = fc.array(
  fc
    .oneof(
      keyPointText,
      sentence.map((text) => `${text}\nsecond line`),
      fc.constantFrom(' ', '\n'),
    )
    .map((text) => ({ text })),
  { maxLength: 4 },
);

/** A page the format carries faithfully; `captureDate` true puts it on the newest post's day. */
export const faithfulPage: fc.Arbitrary<RenderInput & { onCaptureDate: boolean }> = record({
  summary: keyPoints,
  leadMedia,
  timeZone: fc.constantFrom(
    'Europe/London',
    'Europe/London',
    'America/New_York',
    'Asia/Kolkata',
    'Australia/Sydney',
    'UTC',
  ),
  zoneStyle: fc.constantFrom<TextFormatSettings['zoneStyle']>('long', 'short'),
  showYear: fc.boolean(),
  repeatTimeLine: fc.boolean(),
  streamPageLine: fc.boolean(),
  onCaptureDate: fc.boolean(),
  pageNumber: fc.integer({ min: 1, max: 99 }),
  posts,
}).map(({ zoneStyle, showYear, repeatTimeLine, streamPageLine, ...rest }) => ({
  ...rest,
  textFormat: { zoneStyle, showYear, repeatTimeLine, streamPageLine, captureDate: null },
}));

/** Runs and blocks the format writes lossily (formatting, internal links, sources, newlines). */
const lossyBlock: fc.Arbitrary<Block> = fc.oneof(
  block,
  record({ text: sentence, bold: fc.boolean(), italic: fc.boolean() }).map((run) => ({
    type: 'paragraph' as const,
    content: [
      { type: 'text' as const, ...run },
      { type: 'text' as const, text: '\nsecond line.' },
    ],
  })),
  linkText.map((text) => ({
    type: 'paragraph' as const,
    content: [{ type: 'link' as const, text, href: 'https://example.org/', external: false }],
  })),
  fc.constant({
    type: 'image' as const,
    src: '/media/photo.jpg',
    alt: 'Photo',
    width: 640,
    height: 480,
  }),
  fc.constant({
    type: 'video' as const,
    src: 'https://example.org/v.mp4',
    provider: 'bbc' as const,
  }),
  fc.constant<Block>({ type: 'paragraph', content: [] }),
);

/** Any page the model allows, within the same vocabulary, lossy features included. */
export const lossyPage: fc.Arbitrary<RenderInput> = fc
  .tuple(
    faithfulPage,
    fc.array(fc.array(lossyBlock, { maxLength: 6 }), { maxLength: 5 }),
    lossyKeyPoints,
  )
  .map(([page, bodies, summary]) => ({
    ...page,
    summary,
    posts: page.posts.map((post, i) => ({ ...post, body: bodies[i] ?? post.body })),
  }));
