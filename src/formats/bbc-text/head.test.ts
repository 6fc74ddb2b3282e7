import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LIMITS } from '../../domain/limits.ts';
import { parse, ParseError, render, toRenderInput } from './index.ts';

/**
 * The page head of a capture: "Summary", its key points, the lead video or image and the
 * "LIVE stream page N" line, before the first post. Each shape is read and written back byte for
 * byte; each way to break it is refused at its line with what was expected there.
 */

const POST = '  1. Harbour wall reopenspublished at 10:00 GMT 1 March';

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

describe('the stream page line', { timeout: 10_000 }, () => {
  test('gives its page number, and is written back with it', () => {
    const page = roundTrip(['Summary', '', 'LIVE stream page 37', '', POST].join('\n'));
    assert.equal(page.streamPage, 37);
    assert.equal(page.textFormat.streamPageLine, true);
    assert.deepEqual([page.summary, page.leadMedia], [[], null]);
    assert.equal(page.posts.length, 1);
  });

  test('may end the capture', () => {
    const page = roundTrip('Summary\n\nMedia caption,\n\nA caption\n\nLIVE stream page 2');
    assert.equal(page.streamPage, 2);
    assert.deepEqual(page.leadMedia, { kind: 'video', caption: 'A caption' });
  });

  test('needs a blank line after it', () => {
    const error = parseError(['Summary', '', 'LIVE stream page 1', POST].join('\n'));
    assert.equal(error.line, 4);
    assert.match(error.message, /^line 4: expected a blank line after the stream page line/);
  });

  test('written without its number is written as page 1', () => {
    const page = parse(['Summary', '', 'LIVE stream page 4', '', POST].join('\n'), {
      year: 2025,
    });
    const text = render({ ...toRenderInput(page), pageNumber: null });
    assert.equal(text, ['Summary', '', 'LIVE stream page 1', '', POST].join('\n'));
  });

  test('a page number of 0 or of seven digits, or words before the line: not a stream page line', () => {
    for (const line of [
      'LIVE stream page 0',
      'LIVE stream page 1234567',
      'LIVE stream page 01',
      'Watch: LIVE stream page 1',
    ]) {
      const error = parseError(['Summary', '', line, '', POST].join('\n'));
      assert.equal(error.line, 3, line);
      assert.match(
        error.message,
        /expected "Media caption,", "LIVE stream page N" or a numbered post/,
        line,
      );
    }
    assert.equal(
      roundTrip(['Summary', '', 'LIVE stream page 999999', '', POST].join('\n')).streamPage,
      999999,
    );
  });
});

describe('the lead media', { timeout: 10_000 }, () => {
  test('a video with no caption, then the first post', () => {
    const page = roundTrip(['Summary', '', 'Media caption,', '', POST].join('\n'));
    assert.deepEqual(page.leadMedia, { kind: 'video', caption: '' });
    assert.equal(page.posts[0]?.headline, 'Harbour wall reopens');
  });

  test('a video with no caption may end the capture', () => {
    const page = roundTrip('Summary\n\nMedia caption,');
    assert.deepEqual(page.leadMedia, { kind: 'video', caption: '' });
    assert.deepEqual(page.posts, []);
  });

  test('a second blank line after "Media caption," is refused at its line', () => {
    const error = parseError(['Summary', '', 'Media caption,', '', '', POST].join('\n'));
    assert.equal(error.line, 5);
    assert.match(error.message, /^line 5: expected "Media caption,", "LIVE stream page N"/);
  });

  test('a video with no caption, then the stream page line', () => {
    const page = roundTrip(
      ['Summary', '', 'Media caption,', '', 'LIVE stream page 1', '', POST].join('\n'),
    );
    assert.deepEqual(page.leadMedia, { kind: 'video', caption: '' });
    assert.equal(page.streamPage, 1);
  });

  test('an image with a caption only', () => {
    const page = roundTrip(
      ['Summary', '', 'Image caption,', '', 'The harbour at dawn', '', POST].join('\n'),
    );
    assert.deepEqual(page.leadMedia, { kind: 'image', caption: 'The harbour at dawn' });
  });

  test('an image described but not credited', () => {
    const page = roundTrip(
      ['Summary', '', 'Waves over the wall', 'Image caption,', '', 'Tuesday', '', POST].join('\n'),
    );
    assert.deepEqual(page.leadMedia, {
      kind: 'image',
      alt: 'Waves over the wall',
      caption: 'Tuesday',
    });
  });

  test('an image credited but not described', () => {
    const page = roundTrip(
      ['Summary', '', 'Image source, Reuters', 'Image caption,', '', 'Tuesday', '', POST].join(
        '\n',
      ),
    );
    assert.deepEqual(page.leadMedia, { kind: 'image', caption: 'Tuesday', credit: 'Reuters' });
  });

  test('the credit is what follows the last "Image source, " of the line', () => {
    const line = 'A sign reading Image source, Harbour board Image source, Getty Images';
    const page = roundTrip(
      ['Summary', '', line, 'Image caption,', '', 'A sign', '', POST].join('\n'),
    );
    assert.deepEqual(page.leadMedia, {
      kind: 'image',
      alt: 'A sign reading Image source, Harbour board ',
      credit: 'Getty Images',
      caption: 'A sign',
    });
  });

  test('an image with no caption before the stream page line or the first post', () => {
    for (const next of [['LIVE stream page 1', '', POST], [POST]]) {
      const page = roundTrip(
        ['Summary', '', 'The harbourImage source, PA', 'Image caption,', '', ...next].join('\n'),
      );
      assert.deepEqual(page.leadMedia, {
        kind: 'image',
        alt: 'The harbour',
        credit: 'PA',
        caption: '',
      });
      assert.equal(page.posts.length, 1);
    }
  });

  test('a caption that is written on several lines is written on one', () => {
    const page = parse(['Summary', '', 'Media caption,', '', 'x', '', POST].join('\n'), {
      year: 2025,
    });
    const text = render({
      ...toRenderInput(page),
      leadMedia: { kind: 'image', alt: 'Two\nlines', credit: 'A\r\nB', caption: 'One\rtwo' },
    });
    assert.equal(
      text,
      ['Summary', '', 'Two linesImage source, A B', 'Image caption,', '', 'One two', '', POST].join(
        '\n',
      ),
    );
  });

  test('an image with a blank caption and no description is written as its caption line alone', () => {
    const page = parse(['Summary', '', POST].join('\n'), { year: 2025 });
    const text = render({
      ...toRenderInput(page),
      leadMedia: { kind: 'image', alt: '  ', caption: '  ' },
    });
    assert.equal(text, ['Summary', '', 'Image caption,', '', POST].join('\n'));
  });

  test('a line before the first post that is neither media nor a post is refused', () => {
    const stray = parseError(['Summary', '', 'Welcome to our live coverage', '', POST].join('\n'));
    assert.equal(stray.line, 3);
    assert.match(
      stray.message,
      /^line 3: expected "Media caption,", "LIVE stream page N" or a numbered post \(" {2}1\. Headline\.\.\."\), found "Welcome/,
    );
    const afterMedia = parseError(
      ['Summary', '', 'Media caption,', '', 'Caption', '', 'Welcome', '', POST].join('\n'),
    );
    assert.equal(afterMedia.line, 7);
  });

  test('the caption and the description need their blank lines', () => {
    const afterImageCaption = parseError(
      ['Summary', '', 'Image caption,', 'The harbour', '', POST].join('\n'),
    );
    assert.equal(afterImageCaption.line, 4);
    assert.match(afterImageCaption.message, /expected a blank line after "Image caption,"/);
    const afterCaption = parseError(
      ['Summary', '', 'Media caption,', '', 'The harbour', POST].join('\n'),
    );
    assert.equal(afterCaption.line, 6);
    assert.match(afterCaption.message, /expected a blank line after the caption, found " {2}1\./);
  });

  test('a second blank line after "Summary" is refused, even before an image caption', () => {
    const error = parseError(
      ['Summary', '', '', 'Image caption,', '', 'The harbour', '', POST].join('\n'),
    );
    assert.equal(error.line, 3);
    assert.match(error.message, /^line 3: expected "Media caption,", "LIVE stream page N"/);
  });

  test('a description whose next line is not "Image caption," is not lead media', () => {
    const error = parseError(['Summary', '', 'The harbour', 'Image caption', '', POST].join('\n'));
    assert.equal(error.line, 3);
    assert.match(error.message, /expected "Media caption,", "LIVE stream page N" or a numbered/);
  });
});

describe('key points', { timeout: 10_000 }, () => {
  test('up to the limits: as many as allowed, each as long as allowed', () => {
    const long = 'x'.repeat(LIMITS.keyPoint);
    const points = Array.from({ length: LIMITS.keyPoints }, (_, i) =>
      i === 0 ? long : `Point ${i + 1}`,
    );
    const text = ['Summary', '', ...points.flatMap((p) => [`  • ${p}`, '']), POST].join('\n');
    const page = roundTrip(text);
    assert.deepEqual(
      page.summary.map((p) => p.text),
      points,
    );
  });

  test('a bullet inside a lead image description is not a key point', () => {
    const line = 'Ferries • cancelledImage source, PA';
    const page = roundTrip(
      ['Summary', '', line, 'Image caption,', '', 'Ferries', '', POST].join('\n'),
    );
    assert.deepEqual(page.summary, []);
    assert.deepEqual(page.leadMedia, {
      kind: 'image',
      alt: 'Ferries • cancelled',
      credit: 'PA',
      caption: 'Ferries',
    });
  });

  test('a point followed at once by a non-bullet line is refused there', () => {
    const error = parseError(
      ['Summary', '', '  • One point', 'Media caption,', '', POST].join('\n'),
    );
    assert.equal(error.line, 4);
    assert.match(error.message, /^line 4: expected a blank line after the key point/);
  });

  test('a key point keeps the spaces inside its text', () => {
    const page = roundTrip(
      ['Summary', '', '  •  Two spaces after the bullet', '', POST].join('\n'),
    );
    assert.deepEqual(page.summary, [{ text: ' Two spaces after the bullet' }]);
    assert.ok(!page.assumptions.some((a) => /key point/.test(a)), page.assumptions.join('\n'));
  });
});
