import type { Block, Inline } from '../../src/domain/blocks.ts';
import { LIMITS } from '../../src/domain/limits.ts';

/**
 * Posts at the limits of src/domain/limits.ts, each shaped to make one renderer work hardest:
 * characters that escape to the most bytes, the most markup per character, the most parts.
 * Each must be accepted by the API, so a size bound measured on them holds for every post.
 */

/** `&` becomes `&amp;` in HTML (5 bytes), `<` becomes `\u003c` in JSON-LD and events (6). */
const fill = (n: number, char = '<') => char.repeat(n);
const YOUTUBE_POST = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';

/** The body's array, its blocks and their run arrays count as parts too. */
const BUDGET = LIMITS.postNodes;

function contributors() {
  return Array.from({ length: LIMITS.contributors }, () => ({
    name: fill(LIMITS.contributorName, '&'),
    role: fill(LIMITS.contributorRole, '&'),
  }));
}

function post(body: Block[]) {
  return {
    headline: fill(LIMITS.headline, '&'),
    labels: ['breaking', 'analysis', 'key'],
    contributors: contributors(),
    body,
  };
}

/** A live page at every limit of its own fields: title, description, summary. */
export const WORST_CASE_PAGE = {
  title: fill(LIMITS.title, '&'),
  description: fill(LIMITS.description, '&'),
  status: 'live',
  summary: Array.from({ length: LIMITS.keyPoints }, () => ({ text: fill(LIMITS.keyPoint, '&') })),
};

/** Splits the text budget evenly over `n` strings. */
const share = (n: number) => Math.floor(LIMITS.postText / n);

function manyRuns(make: (text: string) => Inline, perRunOverhead: number): Block[] {
  const blocks = 10;
  const runs = Math.min(LIMITS.inlineRuns * blocks, BUDGET - 1 - 2 * blocks);
  const perBlock = Math.floor(runs / blocks);
  const text = fill(Math.max(1, share(perBlock * blocks) - perRunOverhead));
  return Array.from({ length: blocks }, () => ({
    type: 'paragraph' as const,
    content: Array.from({ length: perBlock }, () => make(text)),
  }));
}

export const WORST_CASE_POSTS: Record<string, ReturnType<typeof post>> = {
  'one long escaped run': post([
    {
      type: 'paragraph',
      content: [{ type: 'text', text: fill(LIMITS.postText, '&'), bold: true, italic: true }],
    },
  ]),
  'the most formatted runs': post(
    manyRuns((text) => ({ type: 'text', text, bold: true, italic: true }), 0),
  ),
  'the most links': post(
    manyRuns((text) => ({ type: 'link', text: '<', href: `https://${text}`, external: true }), 9),
  ),
  'the most images': post(
    Array.from({ length: LIMITS.blocks }, () => {
      const n = share(LIMITS.blocks * 4);
      return {
        type: 'image' as const,
        // An address on a real origin (remote pictures must come from one: MEDIA_REMOTE_ORIGINS)
        // whose path is all characters that escape to the longest entity.
        src: `https://i.example/${fill(n - 18)}`,
        alt: fill(n),
        caption: fill(n),
        credit: fill(Math.min(n, LIMITS.credit)),
        width: 20_000,
        height: 20_000,
      };
    }),
  ),
  'the most embeds': post(
    Array.from({ length: LIMITS.blocks }, () => {
      const n = share(LIMITS.blocks * 3);
      return {
        type: 'embed' as const,
        // The longest address a provider's pattern lets through: one post, any query after.
        provider: 'youtube' as const,
        url: `${YOUTUBE_POST}&t=${fill(n - YOUTUBE_POST.length - 3)}`,
        text: fill(n),
        author: fill(Math.min(n, LIMITS.contributorName)),
      };
    }),
  ),
  'the most list items': post(
    Array.from({ length: 10 }, () => ({
      type: 'list' as const,
      items: Array.from({ length: LIMITS.listItems }, () => [
        { type: 'text' as const, text: fill(share(10 * LIMITS.listItems)), bold: true },
      ]),
    })).slice(0, Math.floor((BUDGET - 1) / (2 + 2 * LIMITS.listItems))),
  ),
};
