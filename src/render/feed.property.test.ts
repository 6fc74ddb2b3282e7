import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { h, type VNode } from 'preact';
import { SaxesParser } from 'saxes';
import { BodyView } from './blocks.tsx';
import { renderAtomFeed } from './feed.tsx';
import { renderFragment } from './html.ts';
import { makePage, makePost } from '../../test/support/factories.ts';
import { BASE_URL } from '../../test/support/html-checks.ts';

/** Every element an Atom feed of ours may contain: anything else came from the text. */
const WRITTEN = new Set(
  'feed id title subtitle updated generator author name link entry published summary content category'.split(
    ' ',
  ),
);

/** Text that leans on what breaks XML: section ends, markup, entities, forbidden characters. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      ']]>',
      ']]',
      '>',
      '<![CDATA[',
      '</content>',
      '<entry>',
      '<script>alert(1)</script>',
      '&',
      '&amp;',
      '&#0;',
      '<',
      '"',
      "'",
      '\u0000',
      '\u0001',
      '\u000b',
      '\uFFFE',
      '\uD800',
      '\uDC00',
      '\u2028',
      '😀',
    ),
    fc.string({ unit: 'grapheme', maxLength: 1, minLength: 1 }),
  ),
  minLength: 1,
  maxLength: 30,
});

/** The text XML 1.0 can carry: what a feed of `text` must read back as. */
function xmlChars(text: string): string {
  return Array.from(text)
    .filter((char) => {
      const code = char.codePointAt(0) ?? 0;
      return (
        code === 0x9 ||
        code === 0xa ||
        code === 0xd ||
        (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) ||
        code >= 0x10000
      );
    })
    .join('');
}

/** Parses with a real, strict XML parser (it throws on anything not well-formed). */
function parseFeed(xml: string): { names: string[]; texts: Map<string, string[]> } {
  const parser = new SaxesParser();
  const names: string[] = [];
  const stack: { name: string; text: string }[] = [];
  const texts = new Map<string, string[]>();
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    names.push(tag.name);
    stack.push({ name: tag.name, text: '' });
  });
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('closetag', () => {
    const done = stack.pop();
    const path = [...stack.map((s) => s.name), done?.name].join('/');
    texts.set(path, [...(texts.get(path) ?? []), done?.text ?? '']);
  });
  parser.write(xml).close();
  return { names, texts };
}

describe('the Atom feed over hostile text', () => {
  it('is always XML, holds only the elements we wrote, and every text reads back', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, (title, headline, paragraph, name) => {
        const page = makePage({ title, description: paragraph });
        const body = [
          { type: 'paragraph' as const, content: [{ type: 'text' as const, text: paragraph }] },
        ];
        const post = makePost({
          headline,
          body,
          contributors: [{ name }],
          labels: [],
        });
        const xml = renderAtomFeed({ page, posts: [post], baseUrl: BASE_URL });
        const { names, texts } = parseFeed(xml);
        for (const element of names) assert.ok(WRITTEN.has(element), `<${element}> appeared`);
        assert.equal(names.filter((n) => n === 'entry').length, 1);
        assert.deepEqual(texts.get('feed/title'), [xmlChars(title)]);
        assert.deepEqual(texts.get('feed/entry/title'), [xmlChars(headline)]);
        assert.deepEqual(texts.get('feed/entry/author/name'), [xmlChars(name)]);
        // The content is the HTML the page shows, carried as text: it reads back unchanged.
        assert.deepEqual(texts.get('feed/entry/content'), [
          xmlChars(renderFragment(h(BodyView, { body }) as VNode)),
        ]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a post full of "]]>" one entry whose markup stays text', () => {
    const post = makePost({
      headline: 'a ]]> b ]]> <b>c</b>',
      body: [
        {
          type: 'paragraph',
          content: [{ type: 'text', text: ']]><img src=x onerror=alert(1)>]]>' }],
        },
      ],
    });
    const xml = renderAtomFeed({ page: makePage(), posts: [post], baseUrl: BASE_URL });
    const { names, texts } = parseFeed(xml);
    assert.ok(!names.includes('img') && !names.includes('b'));
    assert.ok(!texts.get('feed/entry/content')?.[0]?.includes('<img'), 'no live markup');
    assert.deepEqual(texts.get('feed/entry/title'), ['a ]]> b ]]> <b>c</b>']);
    assert.match(texts.get('feed/entry/content')?.[0] ?? '', /&lt;img src=x onerror=alert\(1\)/);
  });
});
