import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Block } from '../../domain/blocks.ts';
import { DEFAULT_TEXT_FORMAT } from '../../domain/page.ts';
import { parse, render, UNKNOWN_LINK_HREF, type RenderInput } from './index.ts';

/** A one-post page on 1 March 2025, 10:00 GMT, with the given body. */
function page(body: Block[], extra: Partial<RenderInput> = {}): RenderInput {
  return {
    summary: [],
    leadMedia: null,
    timeZone: 'Europe/London',
    textFormat: DEFAULT_TEXT_FORMAT,
    pageNumber: 1,
    posts: [
      {
        headline: 'Headline',
        publishedAt: '2025-03-01T10:00:00.000Z',
        labels: [],
        contributors: [],
        body,
      },
    ],
    ...extra,
  };
}

const HEAD =
  'Summary\n\nLIVE stream page 1\n\n  1. Headlinepublished at 10:00 Greenwich Mean Time 1 March\n\n';

test('what the text cannot carry is dropped, never written as markup', () => {
  const text = render(
    page([
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Bold', bold: true },
          { type: 'text', text: ' and ' },
          { type: 'text', text: 'italic', italic: true },
          { type: 'text', text: ', an ' },
          { type: 'link', text: 'internal link', href: 'https://example.org/a', external: false },
          { type: 'text', text: ' and ' },
          { type: 'link', text: 'an external one', href: 'https://example.org/b', external: true },
          { type: 'text', text: '.\nNext line.' },
        ],
      },
      { type: 'paragraph', content: [{ type: 'text', text: '   ' }] },
      { type: 'image', src: '/media/a.jpg', alt: 'Alt', credit: 'Us', width: 800, height: 600 },
      { type: 'image', src: '/media/b.jpg', alt: '' },
      { type: 'video', src: 'https://example.org/v.mp4', provider: 'youtube', providerId: 'abc' },
    ]),
  );
  assert.equal(
    text,
    `${HEAD}    Bold and italic, an internal link and an external one, external. Next line.\n\n` +
      '    AltImage source, Us\n    Media caption,',
  );
  const [paragraph, image, video] = parse(text, { year: 2025 }).posts[0]?.body ?? [];
  assert.deepEqual(paragraph, {
    type: 'paragraph',
    content: [
      // The capture cannot say where a link starts: it is read as the whole last clause.
      { type: 'text', text: 'Bold and italic, ' },
      {
        type: 'link',
        text: 'an internal link and an external one',
        href: UNKNOWN_LINK_HREF,
        external: true,
      },
      { type: 'text', text: '. Next line.' },
    ],
  });
  assert.deepEqual(image, { type: 'image', alt: 'Alt', credit: 'Us' });
  assert.deepEqual(video, { type: 'video' });
});

test('an image with no credit or caption is followed at once by the next line', () => {
  const text = render(
    page([
      { type: 'image', alt: 'A map of the route' },
      { type: 'paragraph', content: [{ type: 'text', text: 'The route.' }] },
      { type: 'list', items: [[{ type: 'text', text: 'a' }]] },
      { type: 'list', items: [[{ type: 'text', text: 'b' }]] },
      { type: 'image', alt: 'A second map' },
      { type: 'quote', content: [{ type: 'text', text: 'Quoted.' }] },
    ]),
  );
  assert.equal(
    text,
    `${HEAD}    A map of the route\n    The route.\n\n    • a\n\n    • b\n    A second map\n    Quote Message: Quoted.`,
  );
  assert.deepEqual(
    parse(text, { year: 2025 }).posts[0]?.body.map((b) => b.type),
    ['image', 'paragraph', 'list', 'list', 'image', 'quote'],
  );
});

test('labels, bylines and the second time line', () => {
  const input = page([], {
    textFormat: {
      ...DEFAULT_TEXT_FORMAT,
      repeatTimeLine: true,
      zoneStyle: 'short',
      showYear: true,
    },
    pageNumber: 3,
  });
  const [post] = input.posts;
  assert.ok(post);
  const text = render({
    ...input,
    posts: [
      {
        ...post,
        labels: ['key', 'analysis', 'breaking'],
        contributors: [
          { name: 'Ann Example', role: 'Reporter' },
          { name: 'BBC Verify' },
          { name: 'Bo Example' },
          // A role of spaces says nothing: the byline is written as an attribution.
          { name: 'Cy Example', role: '  ' },
        ],
      },
    ],
  });
  assert.equal(
    text,
    [
      'Summary',
      '',
      'LIVE stream page 3',
      '',
      '  1. Analysis',
      '',
      '    Headlinepublished at 10:00 GMT 1 March 2025',
      '    Breaking',
      '    Key event',
      '    published at 10:00 1 March 2025',
      '    Breaking',
      '    Key event',
      '',
      '    Ann Example',
      '    Reporter',
      '',
      '    BBC Verify',
      '',
      '    By Bo Example',
      '',
      '    By Cy Example',
    ].join('\n'),
  );
  const back = parse(text);
  assert.deepEqual(back.posts[0]?.labels, ['breaking', 'analysis', 'key']);
  assert.deepEqual(back.posts[0]?.contributors, [
    { name: 'Ann Example', role: 'Reporter' },
    { name: 'BBC Verify' },
    { name: 'Bo Example' },
    { name: 'Cy Example' },
  ]);
});
