import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Block } from '../domain/blocks.ts';
import { renderPostArticle } from './post-article.tsx';
import { makePage, makePost } from '../../test/support/factories.ts';

const TAGS = new Set(
  'article header p a time span h3 ul li div strong em figure blockquote figcaption img video footer'.split(
    ' ',
  ),
);
const ATTRIBUTES = new Set(
  'id class aria-labelledby aria-label data-published-at data-pinned data-revision href datetime rel src alt width height loading decoding controls preload cite data-copy-link'.split(
    ' ',
  ),
);
/** A start tag with its attributes, each value double-quoted (Preact always quotes). */
const START_TAG = /<([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*\/?>/g;
const ATTRIBUTE = /\s+([a-z-]+)(?:="[^"]*")?/g;

/** Text that leans on the characters that matter to HTML. */
const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom('<', '>', '&', '"', "'", '/', '=', ' ', 'script', 'onerror', '\u2028', '`'),
    fc.string({ unit: 'grapheme', maxLength: 1, minLength: 1 }),
  ),
  maxLength: 40,
});

const block = (text: string): fc.Arbitrary<Block> =>
  fc.constantFrom<Block>(
    { type: 'paragraph', content: [{ type: 'text', text, bold: true, italic: true }] },
    { type: 'quote', content: [{ type: 'text', text }], attribution: text },
    { type: 'list', items: [[{ type: 'text', text }]] },
    { type: 'image', src: '/a.jpg', alt: text, caption: text, credit: text },
    { type: 'image', alt: text },
    { type: 'embed', provider: 'telegram', url: 'https://t.me/x/1', text, author: text },
    {
      type: 'paragraph',
      content: [
        {
          type: 'link',
          text: text || 'x',
          href: `https://e.org/${encodeURIComponent(text)}`,
          external: true,
        },
      ],
    },
  );

describe('escaping, as a property', () => {
  it('no string in a post can add a tag or an attribute to its article', () => {
    fc.assert(
      fc.property(
        nasty,
        nasty.chain((text) => fc.array(block(text), { maxLength: 4 })),
        (headline, body) => {
          const post = makePost({
            headline,
            contributors: [{ name: headline || 'n', role: headline || 'r' }],
            body,
          });
          const html = renderPostArticle(makePage(), post);
          for (const match of html.matchAll(START_TAG)) {
            assert.ok(TAGS.has(match[1] ?? ''), `unexpected <${match[1]}>`);
            for (const attribute of (match[2] ?? '').matchAll(ATTRIBUTE)) {
              assert.ok(ATTRIBUTES.has(attribute[1] ?? ''), `unexpected attribute ${attribute[1]}`);
            }
          }
          // Every "<" in the output opens one of our tags or closes one.
          const stray = html.replace(START_TAG, '').replace(/<\/[a-z0-9]+>/g, '');
          assert.ok(!stray.includes('<'), 'no unescaped "<" from content');
        },
      ),
      { numRuns: 300 },
    );
  });
});
