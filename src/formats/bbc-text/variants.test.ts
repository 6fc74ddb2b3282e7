import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, render, toRenderInput, type ParseOptions } from './index.ts';
import { capture, shape } from '../../../test/support/bbc-text.ts';

/** Parses, checks the text comes back byte for byte, and returns the parse. */
function roundTrip(text: string, options: ParseOptions = { year: 2025 }) {
  const parsed = parse(text, options);
  assert.equal(render(toRenderInput(parsed)), text);
  return parsed;
}

describe('times', () => {
  test('British Summer Time in summer', () => {
    const page = roundTrip(
      capture('  1. Summerpublished at 09:05 British Summer Time 1 June', '', '    Text.'),
    );
    assert.equal(page.posts[0]?.publishedAt, '2025-06-01T08:05:00.000Z');
    assert.equal(page.textFormat.zoneStyle, 'long');
  });

  test('GMT and BST abbreviations', () => {
    const page = roundTrip(
      capture(
        '  1. Aprilpublished at 09:05 BST 1 April',
        '',
        '    Text.',
        '',
        '  2. Marchpublished at 23:50 GMT 29 March',
        '',
        '    Text.',
      ),
    );
    assert.deepEqual(
      page.posts.map((p) => p.publishedAt),
      ['2025-04-01T08:05:00.000Z', '2025-03-29T23:50:00.000Z'],
    );
    assert.equal(page.textFormat.zoneStyle, 'short');
  });

  test('a year in the date', () => {
    const page = roundTrip(
      capture('  1. Oldpublished at 12:24 Greenwich Mean Time 22 November 2023'),
      {},
    );
    assert.equal(page.posts[0]?.publishedAt, '2023-11-22T12:24:00.000Z');
    assert.equal(page.textFormat.showYear, true);
    assert.deepEqual(page.assumptions, []);
  });

  test('no date means the capture date; older posts keep theirs', () => {
    const text = capture(
      '  1. Todaypublished at 12:24 Greenwich Mean Time',
      '    published at 12:24',
      '',
      '  2. Yesterdaypublished at 23:10 Greenwich Mean Time 21 November',
      '    published at 23:10 21 November',
    );
    const page = roundTrip(text, { captureDate: '2025-11-22' });
    assert.deepEqual(
      page.posts.map((p) => p.publishedAt),
      ['2025-11-22T12:24:00.000Z', '2025-11-21T23:10:00.000Z'],
    );
    assert.equal(page.textFormat.captureDate, '2025-11-22');
    assert.match(page.assumptions.join('\n'), /capture date, 2025-11-22/);
  });

  test('another time zone, by option', () => {
    const text = capture('  1. Parispublished at 10:00 Central European Summer Time 1 June');
    const page = roundTrip(text, { year: 2025, timeZone: 'Europe/Paris' });
    assert.equal(page.posts[0]?.publishedAt, '2025-06-01T08:00:00.000Z');
    assert.equal(page.timeZone, 'Europe/Paris');
  });
});

describe('labels', () => {
  test('before the title, after it, and both', () => {
    const page = parse(
      capture(
        '  1. Breaking',
        '',
        '    Firstpublished at 10:00 GMT 1 March',
        '    Analysis',
        '',
        '  2. Key event',
        '',
        '    Analysis',
        '',
        '    Secondpublished at 09:00 GMT 1 March',
        '    Breaking news',
      ),
      { year: 2025 },
    );
    assert.deepEqual(page.posts[0]?.labels, ['breaking', 'analysis']);
    assert.deepEqual(page.posts[1]?.labels, ['breaking', 'analysis', 'key']);
    // The export writes the BBC's positions: Analysis before the headline, the rest after.
    const again = render(toRenderInput(page));
    assert.match(
      again,
      /^ {2}1\. Analysis\n\n {4}Firstpublished at 10:00 GMT 1 March\n {4}Breaking\n/m,
    );
    assert.match(again, / {4}Secondpublished at 09:00 GMT 1 March\n {4}Breaking\n {4}Key event$/m);
    assert.deepEqual(parse(again, { year: 2025 }).posts, page.posts);
  });

  test('Breaking after both time lines, as the 20 March capture has it', () => {
    const page = roundTrip(
      capture(
        '  1. Newspublished at 14:02 Greenwich Mean Time 20 March',
        '    Breaking',
        '    published at 14:02 20 March',
        '    Breaking',
        '',
        '    Text.',
      ),
    );
    assert.deepEqual(page.posts[0]?.labels, ['breaking']);
    assert.equal(page.textFormat.repeatTimeLine, true);
  });
});

describe('page head', () => {
  test('key points, a lead image, no stream page line', () => {
    const text = [
      'Summary',
      '',
      '  • The first key point',
      '',
      '  • The second, with “quotes”',
      '',
      'A harbour at duskImage source, Liveline',
      'Image caption,',
      '',
      'The harbour this evening',
      '',
      '  1. Onepublished at 10:00 GMT 1 March',
    ].join('\n');
    const page = roundTrip(text);
    assert.deepEqual(page.summary, [
      { text: 'The first key point' },
      { text: 'The second, with “quotes”' },
    ]);
    assert.deepEqual(page.leadMedia, {
      kind: 'image',
      alt: 'A harbour at dusk',
      credit: 'Liveline',
      caption: 'The harbour this evening',
    });
    assert.equal(page.streamPage, null);
  });

  test('only the Summary line: no lead media, no posts', () => {
    const page = roundTrip('Summary');
    assert.deepEqual([page.summary, page.leadMedia, page.posts], [[], null, []]);
  });
});

describe('bylines and blocks', () => {
  const post = (...body: string[]) =>
    capture('  1. Headlinepublished at 10:00 GMT 1 March', '', ...body);

  test('single attribution lines and several bylines', () => {
    const page = roundTrip(
      post(
        '    By Phil Leake',
        '',
        '    BBC Monitoring',
        '',
        '    Jo Bloggs',
        '    Reporter, in Cardiff',
        '',
        '    Text.',
      ),
    );
    assert.deepEqual(page.posts[0]?.contributors, [
      { name: 'Phil Leake' },
      { name: 'BBC Monitoring' },
      { name: 'Jo Bloggs', role: 'Reporter, in Cardiff' },
    ]);
    assert.equal(shape(page.posts[0]?.body ?? []), 'P');
  });

  test('a desk signs with "BBC" and one to three capitalised words, alone on its line', () => {
    const page = roundTrip(
      post('    BBC News Russian', '', '    BBC Tie\u0302ng Vie\u0323t', '', '    Text.'),
    );
    assert.deepEqual(page.posts[0]?.contributors, [
      { name: 'BBC News Russian' },
      { name: 'BBC Tie\u0302ng Vie\u0323t' },
    ]);
    // Sentences that start or end like a desk are paragraphs.
    for (const line of [
      'Not the BBC Verify',
      'BBC Verify says so',
      'BBC News Russian Service Today',
    ]) {
      const read = roundTrip(post(`    ${line}`, '', '    Text.'));
      assert.deepEqual(read.posts[0]?.contributors, [], line);
      assert.equal(shape(read.posts[0]?.body ?? []), 'P P', line);
    }
  });

  test('bylines up to the contributor limits: a name of 100 characters, five bylines', () => {
    const name = `N${'n'.repeat(99)}`;
    const page = roundTrip(post(`    ${name}`, '    Reporter', '', '    Text.'));
    assert.deepEqual(page.posts[0]?.contributors, [{ name, role: 'Reporter' }]);
    // One character more is not a name: the line describes an image, the next is a paragraph.
    const longer = roundTrip(post(`    ${name}n`, '    Reporter', '', '    Text.'));
    assert.deepEqual(longer.posts[0]?.contributors, []);
    assert.equal(shape(longer.posts[0]?.body ?? []), 'I P P');

    const fiveWords = `${'Abcdefghijklmnopqrs '.repeat(4)}Abcdefghijklmnopqrst`;
    assert.equal(fiveWords.length, 100);
    const by = roundTrip(post(`    By ${fiveWords}`, '', '    Text.'));
    assert.deepEqual(by.posts[0]?.contributors, [{ name: fiveWords }]);
    const tooLong = roundTrip(post(`    By ${fiveWords}t`, '', '    Text.'));
    assert.deepEqual(tooLong.posts[0]?.contributors, []);

    const five = ['Ann', 'Bea', 'Cy', 'Dee', 'Eve'];
    const signed = roundTrip(post(...five.flatMap((n) => [`    By ${n} Jones`, '']), '    Text.'));
    assert.deepEqual(
      signed.posts[0]?.contributors,
      five.map((n) => ({ name: `${n} Jones` })),
    );
  });

  test('a gallery, an uncredited captioned image, a caption with no description', () => {
    const page = roundTrip(
      post(
        '    First photoImage source, Agency',
        '    Second photoImage source, Agency',
        '    A drawing',
        '    Image caption,',
        '',
        '    The drawing, captioned',
        '',
        '    Image caption,',
        '',
        '    Only a caption',
        '',
        '    Text.',
      ),
    );
    assert.deepEqual(page.posts[0]?.body.slice(0, 4), [
      { type: 'image', alt: 'First photo', credit: 'Agency' },
      { type: 'image', alt: 'Second photo', credit: 'Agency' },
      { type: 'image', alt: 'A drawing', caption: 'The drawing, captioned' },
      { type: 'image', alt: '', caption: 'Only a caption' },
    ]);
  });

  test('videos with and without caption, a quote, an embedded post', () => {
    const page = roundTrip(
      post(
        '    Media caption,',
        '',
        '    Watch: the launch',
        '',
        '    Media caption,',
        '    Quote Message: We will be back, said the captain.',
        '    Source: Captain Ada Lovelace',
        '',
        '    Skip X post by Example Agency',
        '    Launch confirmed',
        '    https://x.com/example/status/1',
        '    End of X post by Example Agency',
      ),
    );
    assert.deepEqual(page.posts[0]?.body, [
      { type: 'video', caption: 'Watch: the launch' },
      { type: 'video' },
      {
        type: 'quote',
        content: [{ type: 'text', text: 'We will be back, said the captain.' }],
        attribution: 'Captain Ada Lovelace',
      },
      {
        type: 'embed',
        provider: 'x',
        url: 'https://x.com/example/status/1',
        text: 'Launch confirmed',
        author: 'Example Agency',
      },
    ]);
  });

  test('a list ends a post with no blank line; two lists need one between them', () => {
    const page = roundTrip(
      capture(
        '  1. Listspublished at 10:00 GMT 1 March',
        '',
        '    • one',
        '    • two',
        '',
        '    • three',
        '  2. Nextpublished at 09:00 GMT 1 March',
      ),
    );
    assert.equal(shape(page.posts[0]?.body ?? []), 'L L');
  });

  test('CRLF line endings and a final newline are read, and noted', () => {
    const page = parse(`${post('    Text.').replace(/\n/g, '\r\n')}\r\n`, { year: 2025 });
    assert.equal(shape(page.posts[0]?.body ?? []), 'P');
    assert.equal(page.assumptions.length, 3);
  });
});

describe('external links, known by their ", external" mark', () => {
  const UNKNOWN = 'https://link-unknown.invalid/';
  /** The runs of a one-paragraph post, links as [text], after checking the line comes back. */
  const runsOf = (line: string) => {
    const page = roundTrip(capture('  1. Linkspublished at 10:00 GMT 1 March', '', `    ${line}`));
    const [block] = page.posts[0]?.body ?? [];
    if (block?.type !== 'paragraph') assert.fail(`not one paragraph: ${line}`);
    return block.content.map((run) => {
      if (run.type === 'text') return run.text;
      assert.deepEqual(
        { href: run.href, external: run.external },
        { href: UNKNOWN, external: true },
      );
      return [run.text];
    });
  };

  test('the link text starts after the clause before the mark', () => {
    assert.deepEqual(runsOf('He said: the full statement, external. Then he left.'), [
      'He said: ',
      ['the full statement'],
      '. Then he left.',
    ]);
    assert.deepEqual(runsOf('Rain! The forecast, external? Sunny; the outlook, external'), [
      'Rain! ',
      ['The forecast'],
      '? Sunny; ',
      ['the outlook'],
    ]);
    assert.deepEqual(runsOf('Updates – the live feed, external'), [
      'Updates – ',
      ['the live feed'],
    ]);
    assert.deepEqual(runsOf('Updates - the live feed, external'), [
      'Updates - ',
      ['the live feed'],
    ]);
    // A dash inside a word does not start a clause.
    assert.deepEqual(runsOf('The em—dash report, external'), [['The em—dash report']]);
  });

  test('after an opening bracket or quote, up to the closing one', () => {
    assert.deepEqual(runsOf('Officials said (see the report, external) that it was late.'), [
      'Officials said (',
      ['see the report'],
      ') that it was late.',
    ]);
    assert.deepEqual(runsOf('[the archive, external] and {the notes, external}'), [
      '[',
      ['the archive'],
      '] and {',
      ['the notes'],
      '}',
    ]);
    assert.deepEqual(runsOf('Read “the letter, external” and ‘the reply, external’ now'), [
      'Read “',
      ['the letter'],
      '” and ‘',
      ['the reply'],
      '’ now',
    ]);
  });

  test('a second link starts after the first; the spaces before it stay text', () => {
    assert.deepEqual(runsOf('See the map, external and the list, external.'), [
      ['See the map'],
      ' ',
      ['and the list'],
      '.',
    ]);
  });

  test('", external" going on as a word, or with no words before it, is text', () => {
    for (const line of [
      'She was externally advised, externally so.',
      'Odd, external_x here',
      'Odd, external2 here',
    ]) {
      assert.deepEqual(runsOf(line), [line]);
    }
    assert.deepEqual(runsOf('Look: , external and the rest, external'), [
      'Look: , external ',
      ['and the rest'],
    ]);
  });
});
