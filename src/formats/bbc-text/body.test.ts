import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Block } from '../../domain/blocks.ts';
import { LIMITS } from '../../domain/limits.ts';
import { DEFAULT_TEXT_FORMAT } from '../../domain/page.ts';
import { parse, ParseError, render, toRenderInput, type RenderInput } from './index.ts';
import { capture, shape } from '../../../test/support/bbc-text.ts';

/**
 * A post's body: the blocks a capture shows and the spacing that tells them apart. Each shape is
 * read, and written back byte for byte where the text can carry it; each way to break one is
 * refused at its line with what was expected there.
 */

const TOP = '  1. Harbour wall reopenspublished at 10:00 GMT 1 March';
const NEXT = '  2. Earlierpublished at 09:00 GMT 1 March';
const post = (...body: string[]) => capture(TOP, '', ...body);

function roundTrip(text: string) {
  const parsed = parse(text, { year: 2025 });
  assert.equal(render(toRenderInput(parsed)), text);
  return parsed;
}

function bodyOf(text: string): Block[] {
  return parse(text, { year: 2025 }).posts[0]?.body ?? [];
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

/** A page of the given posts' bodies, 1 March 2025, newest first, in the default format. */
function page(...bodies: Block[][]): RenderInput {
  return {
    summary: [],
    leadMedia: null,
    timeZone: 'Europe/London',
    textFormat: DEFAULT_TEXT_FORMAT,
    pageNumber: 1,
    posts: bodies.map((body, i) => ({
      headline: `Post ${bodies.length - i}`,
      publishedAt: `2025-03-01T1${bodies.length - i}:00:00.000Z`,
      labels: [],
      contributors: [],
      body,
    })),
  };
}

/** The body lines of a rendered one-post page: what follows its top line and blank line. */
function bodyLines(text: string): string[] {
  const lines = text.split('\n');
  const top = lines.findIndex((line) => line.startsWith('  1. '));
  return lines.slice(top + 2);
}

const para = (text: string): Block => ({ type: 'paragraph', content: [{ type: 'text', text }] });

describe('embedded posts', { timeout: 10_000 }, () => {
  test('with no text and no author: the address alone between the lines', () => {
    const page = roundTrip(
      post(
        '    Skip Bluesky post',
        '    https://bsky.app/profile/a.bsky.social/post/3kabcdefghijk',
        '    End of Bluesky post',
        '',
        '    After.',
      ),
    );
    assert.deepEqual(page.posts[0]?.body[0], {
      type: 'embed',
      provider: 'bluesky',
      url: 'https://bsky.app/profile/a.bsky.social/post/3kabcdefghijk',
    });
    assert.equal(shape(page.posts[0]?.body ?? []), 'E P');
  });

  test('whose text is itself an address', () => {
    const body = bodyOf(
      post(
        '    Skip X post by Harbour Board',
        '    https://example.org/notice',
        '    https://x.com/harbour/status/2',
        '    End of X post by Harbour Board',
      ),
    );
    assert.deepEqual(body, [
      {
        type: 'embed',
        provider: 'x',
        url: 'https://x.com/harbour/status/2',
        text: 'https://example.org/notice',
        author: 'Harbour Board',
      },
    ]);
  });

  test('"twitter" (as the BBC writes it) is read as X, and written as X', () => {
    const text = post(
      '    Skip twitter post by Harbour Board',
      '    https://twitter.com/harbour/status/3',
      '    End of twitter post by Harbour Board',
    );
    const parsed = parse(text, { year: 2025 });
    assert.equal(parsed.posts[0]?.body[0]?.type, 'embed');
    assert.deepEqual(parsed.posts[0]?.body[0], {
      type: 'embed',
      provider: 'x',
      url: 'https://twitter.com/harbour/status/3',
      author: 'Harbour Board',
    });
    assert.equal(render(toRenderInput(parsed)), text.replace(/twitter post/g, 'X post'));
  });

  test('a provider this format does not know is a paragraph', () => {
    const body = bodyOf(post('    Skip Myspace post by Harbour Board', '', '    After.'));
    assert.equal(shape(body), 'P P');
  });

  test('with no address, with an address that is not https, or with no end line: refused', () => {
    const noAddress = parseError(
      post('    Skip X post', '    Some text', '    End of X post', '', '    After.'),
    );
    assert.equal(noAddress.line, 11);
    assert.match(noAddress.message, /^line 11: expected the embedded post's https:\/\/ address/);
    const http = parseError(
      post('    Skip X post', '    http://x.com/a/status/1', '    End of X post'),
    );
    assert.equal(http.line, 11);
    assert.match(http.message, /expected the embedded post's https:\/\/ address/);
    const spaced = parseError(
      post('    Skip X post', '    https://x.com/a status', '    End of X post'),
    );
    assert.match(spaced.message, /expected the embedded post's https:\/\/ address/);
    const noEnd = parseError(
      post('    Skip X post', '    Words', '    https://x.com/a/status/1', '', '    After.'),
    );
    assert.equal(noEnd.line, 12);
    assert.match(
      noEnd.message,
      /^line 12: expected the "End of \.\.\. post" line of the embedded post/,
    );
    // The address line is the address alone: words before it make it the post's text.
    const worded = parseError(
      post('    Skip X post', '    Read it: https://x.com/a/status/1', '    End of X post'),
    );
    assert.equal(
      worded.message,
      `line 11: expected the embedded post's https:// address, found "    End of X post"`,
    );
    const otherEnd = parseError(
      post('    Skip X post', '    https://x.com/a/status/1', '    The end of X post'),
    );
    // The address is taken as the post's text, so the address is missing after it.
    assert.equal(otherEnd.line, 11);
    assert.match(otherEnd.message, /expected the embedded post's https:\/\/ address/);
  });

  test('a blank author or text is not written', () => {
    const text = render(
      page([
        { type: 'embed', provider: 'x', url: 'https://x.com/a/status/1', author: ' ', text: '' },
      ]),
    );
    assert.deepEqual(bodyLines(text), [
      '    Skip X post',
      '    https://x.com/a/status/1',
      '    End of X post',
    ]);
  });
});

describe('quotes', { timeout: 10_000 }, () => {
  test('without a source, before a paragraph', () => {
    const page = roundTrip(post('    Quote Message: We will rebuild.', '', '    After.'));
    assert.deepEqual(page.posts[0]?.body, [
      { type: 'quote', content: [{ type: 'text', text: 'We will rebuild.' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'After.' }] },
    ]);
  });

  test('a blank attribution is not written; a multi-line one is written on one line', () => {
    const quote = (attribution: string): Block => ({
      type: 'quote',
      content: [{ type: 'text', text: 'We will rebuild.' }],
      attribution,
    });
    assert.deepEqual(bodyLines(render(page([quote('  ')]))), [
      '    Quote Message: We will rebuild.',
    ]);
    assert.deepEqual(bodyLines(render(page([quote('The mayor,\nSkerra')]))), [
      '    Quote Message: We will rebuild.',
      '    Source: The mayor, Skerra',
    ]);
  });
});

describe('videos', { timeout: 10_000 }, () => {
  test('a video with no caption followed by a list, a quote or an image keeps them', () => {
    for (const [line, kind] of [
      ['    • An item', 'L'],
      ['    Quote Message: Words.', 'Q'],
      ['    Image caption,', 'I'],
    ] as const) {
      const rest = kind === 'I' ? [line, '', '    The caption'] : [line];
      const body = bodyOf(post('    Media caption,', '', ...rest));
      assert.deepEqual(body[0], { type: 'video' }, line);
      assert.equal(shape(body), `V ${kind}`, line);
    }
  });

  test('a video with a caption, then a list: a blank line between', () => {
    const page = roundTrip(post('    Media caption,', '', '    The launch', '', '    • An item'));
    assert.equal(shape(page.posts[0]?.body ?? []), 'V L');
  });

  test('a video after a list follows it at once, with a caption or without', () => {
    const list: Block = { type: 'list', items: [[{ type: 'text', text: 'one' }]] };
    const bare = render(page([list, { type: 'video' }, para('After.')]));
    assert.deepEqual(bodyLines(bare), ['    • one', '    Media caption,', '    After.']);
    const captioned = render(page([list, { type: 'video', caption: 'The launch' }]));
    assert.deepEqual(bodyLines(captioned), [
      '    • one',
      '    Media caption,',
      '',
      '    The launch',
    ]);
    for (const text of [bare, captioned]) {
      assert.equal(render(toRenderInput(parse(text, { year: 2025 }))), text);
    }
  });

  test('a video with no caption ending a post is followed at once by the next post', () => {
    const text = render(page([para('Before.'), { type: 'video' }], [para('Older.')]));
    const lines = text.split('\n');
    const second = lines.findIndex((line) => line.startsWith('  2. '));
    assert.deepEqual(lines.slice(second - 3, second), ['    Before.', '', '    Media caption,']);
    assert.deepEqual(
      parse(text, { year: 2025 }).posts.map((p) => shape(p.body)),
      ['P V', 'P'],
    );
  });

  test('a blank caption is not written', () => {
    const text = render(page([{ type: 'video', caption: ' ' }, para('After.')]));
    assert.deepEqual(bodyLines(text), ['    Media caption,', '    After.']);
  });
});

describe('images', { timeout: 10_000 }, () => {
  test('the caption line must follow "Image caption," after one blank line', () => {
    const noBlank = parseError(
      post('    A mapImage source, PA', '    Image caption,', '    The map'),
    );
    assert.equal(noBlank.line, 11);
    assert.match(noBlank.message, /^line 11: expected a blank line after "Image caption,"/);
    const noCaption = parseError(post('    A map', '    Image caption,', '', '  Not indented'));
    assert.equal(noCaption.line, 12);
    assert.match(noCaption.message, /^line 12: expected the image caption/);
  });

  test('a credited image followed by another line, and by the next post', () => {
    const page = roundTrip(
      capture(
        TOP,
        '',
        '    A mapImage source, PA',
        '    • An item',
        NEXT,
        '',
        '    A chartImage source, ONS',
        '  3. Oldestpublished at 08:00 GMT 1 March',
      ),
    );
    assert.deepEqual(page.posts[0]?.body[0], { type: 'image', alt: 'A map', credit: 'PA' });
    assert.equal(shape(page.posts[0]?.body ?? []), 'I L');
    assert.deepEqual(page.posts[1]?.body, [{ type: 'image', alt: 'A chart', credit: 'ONS' }]);
  });

  test('an uncredited image before the next post stays an image; at the end it is a paragraph', () => {
    const image: Block = { type: 'image', alt: 'A map of the harbour' };
    const text = render(page([image], [image]));
    assert.equal(
      text,
      [
        'Summary',
        '',
        'LIVE stream page 1',
        '',
        '  1. Post 2published at 12:00 Greenwich Mean Time 1 March',
        '',
        '    A map of the harbour',
        '  2. Post 1published at 11:00 Greenwich Mean Time 1 March',
        '',
        '    A map of the harbour',
      ].join('\n'),
    );
    const read = parse(text, { year: 2025 });
    assert.deepEqual(
      read.posts.map((p) => shape(p.body)),
      ['I', 'P'],
    );
    assert.equal(render(toRenderInput(read)), text);
  });

  test('at the capture end, an uncredited image after a list is written as the paragraph it reads as', () => {
    const list: Block = { type: 'list', items: [[{ type: 'text', text: 'one' }]] };
    const image: Block = { type: 'image', alt: 'A map of the harbour' };
    const text = render(page([list, image], [list, image]));
    const lines = text.split('\n');
    const second = lines.findIndex((line) => line.startsWith('  2. '));
    // Before the next post the image follows the list at once; at the end a blank line parts them.
    assert.deepEqual(lines.slice(second - 2, second), ['    • one', '    A map of the harbour']);
    assert.deepEqual(lines.slice(second + 2), ['    • one', '', '    A map of the harbour']);
    const read = parse(text, { year: 2025 });
    assert.deepEqual(
      read.posts.map((p) => shape(p.body)),
      ['L I', 'L P'],
    );
    assert.equal(render(toRenderInput(read)), text);
  });

  test('a captioned image at the capture end, and one with nothing to write', () => {
    const captioned: Block = { type: 'image', alt: 'A map', caption: 'The harbour' };
    const empty: Block = { type: 'image', alt: ' ', caption: '' };
    const text = render(page([para('Before.'), empty, captioned]));
    assert.deepEqual(bodyLines(text), [
      '    Before.',
      '',
      '    A map',
      '    Image caption,',
      '',
      '    The harbour',
    ]);
    assert.deepEqual(bodyOf(text)[1], { type: 'image', alt: 'A map', caption: 'The harbour' });
  });

  test('a picture with nothing to write leaves the blocks around it apart', () => {
    const list = (text: string): Block => ({ type: 'list', items: [[{ type: 'text', text }]] });
    const text = render(page([list('one'), { type: 'image', alt: ' ' }, list('two')]));
    assert.deepEqual(bodyLines(text), ['    • one', '', '    • two']);
    assert.equal(shape(bodyOf(text)), 'L L');
  });

  test('a credit with no description, and texts on several lines written on one', () => {
    const text = render(
      page([
        { type: 'image', alt: '', credit: 'PA\nMedia', caption: 'Line one\r\nline two' },
        para('After.'),
      ]),
    );
    assert.deepEqual(bodyLines(text), [
      '    Image source, PA Media',
      '    Image caption,',
      '',
      '    Line one line two',
      '',
      '    After.',
    ]);
    // Read back, the line that starts with the marker is a picture with a credit and no words.
    assert.deepEqual(bodyOf(text), [
      { type: 'image', alt: '', credit: 'PA Media', caption: 'Line one line two' },
      para('After.'),
    ]);
  });

  test('a gallery is written as its pictures, one after another', () => {
    const text = render(
      page([
        para('Before.'),
        {
          type: 'gallery',
          images: [
            { type: 'image', src: '/media/a.jpg', alt: 'First', credit: 'PA' },
            { type: 'image', src: '/media/b.jpg', alt: 'Second', credit: 'PA' },
          ],
        },
        para('After.'),
      ]),
    );
    assert.deepEqual(bodyLines(text), [
      '    Before.',
      '',
      '    FirstImage source, PA',
      '    SecondImage source, PA',
      '',
      '    After.',
    ]);
  });
});

describe('paragraphs and lists', { timeout: 10_000 }, () => {
  test('a blank paragraph is not written; nor is a list separated from a paragraph twice', () => {
    const list: Block = { type: 'list', items: [[{ type: 'text', text: 'one' }]] };
    const text = render(page([para('Before.'), para(' '), list, para('After.')]));
    assert.deepEqual(bodyLines(text), ['    Before.', '', '    • one', '', '    After.']);
  });

  test('a list then a paragraph then a list, ending the capture', () => {
    const page = roundTrip(post('    • one', '', '    Middle.', '', '    • two', '    • three'));
    assert.equal(shape(page.posts[0]?.body ?? []), 'L P L');
    assert.equal(page.posts[0]?.body[2]?.type === 'list' && page.posts[0].body[2].items.length, 2);
  });

  test('a line of spaces separates blocks as an empty line does', () => {
    const body = bodyOf(
      post('    First.', '      ', '    Second.', '    ', '    • one', ' ', '    Third.'),
    );
    assert.equal(shape(body), 'P P L P');
  });

  test('a bullet with no space after it is text, not a list', () => {
    const body = bodyOf(post('    •Not a list item', '', '    • A list item'));
    assert.deepEqual(body, [
      { type: 'paragraph', content: [{ type: 'text', text: '•Not a list item' }] },
      { type: 'list', items: [[{ type: 'text', text: 'A list item' }]] },
    ]);
  });

  test('a line of the post not indented by four spaces is refused', () => {
    const error = parseError(post('    Text.', '', '   Three spaces.'));
    assert.equal(error.line, 11);
    assert.match(error.message, /^line 11: expected a line of the post indented by four spaces/);
  });
});

describe('the limits of a post', { timeout: 10_000 }, () => {
  const paragraphs = (n: number) =>
    Array.from({ length: n }, (_, i) => [`    Paragraph ${i + 1}.`, '']).flat();

  test(`${LIMITS.blocks} blocks are read; one more is refused at its line`, () => {
    const full = roundTrip(post(...paragraphs(LIMITS.blocks).slice(0, -1)));
    assert.equal(full.posts[0]?.body.length, LIMITS.blocks);
    const error = parseError(post(...paragraphs(LIMITS.blocks + 1).slice(0, -1)));
    assert.equal(error.line, 9 + 2 * LIMITS.blocks);
    assert.equal(error.lineText, `    Paragraph ${LIMITS.blocks + 1}.`);
    assert.match(
      error.message,
      new RegExp(
        `^line ${9 + 2 * LIMITS.blocks}: expected at most ${LIMITS.blocks} blocks in a post`,
      ),
    );
  });
});
