import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { Body } from '../../domain/blocks.ts';
import { parse, render, toRenderInput, UNKNOWN_LINK_HREF } from './index.ts';
import {
  SAMPLE_14_MARCH,
  SAMPLE_20_MARCH,
  loadSample,
  shape,
} from '../../../test/support/bbc-text.ts';

/** headline start, local time (GMT, so also UTC), labels, bylines ("name / role"), body shape. */
type Row = [string, string, string, string, string];

const MARCH_20: Row[] = [
  ['More peace talks in coming days as fighting continues', '18:10', '', '', 'P P P'],
  ['Where are the nuclear plants in Ukraine?', '17:53', '', '', 'P P P P I'],
  ['Starmer: Putin will breach a peace deal', '17:45', '', '', 'I P P P P P P'],
  [
    "How will Starmer's 'coalition",
    '17:15',
    'analysis',
    'Rich Preston / BBC News',
    'I P P P P P P',
  ],
  ['What is Putin asking for in a ceasefire?', '16:55', '', '', 'I P P L P'],
  ['Lammy says Putin must not be given veto', '16:34', '', '', 'I P P P P'],
  ["'We're moving from political momentum", '16:14', '', '', 'I P P P P L'],
  ['What Zelensky told EU chiefs – a recap', '15:56', '', '', 'P P L'],
  ['All EU leaders except Orbán vote', '15:39', '', '', 'I P P P P P P'],
  [
    "Zelensky warns 'nothing has changed'",
    '15:21',
    '',
    'Rorey Bosotti / Live page editor',
    'I P P L',
  ],
  [
    'The many obstacles ahead',
    '15:11',
    'analysis',
    'Frank Gardner / Security correspondent',
    'P P P P P P',
  ],
  [
    'Reassurance, not peacekeeping',
    '15:03',
    'analysis',
    'James Landale / Diplomatic correspondent, in Kyiv',
    'I P P P P P',
  ],
  ['News conference ends', '14:42', '', '', 'I P P'],
  ["Nato membership taken off the table by US 'a big gift", '14:39', '', '', 'P P P P P'],
  ['Crimea is a Ukrainian peninsula', '14:35', '', '', 'P P P'],
  ["'All nuclear power plants belong", '14:32', '', '', 'P P P P'],
  ['Zelensky quizzed on what a ceasefire', '14:24', '', '', 'I P P P P P P'],
  ['Russia attacking energy sites', '14:15', '', '', 'P P P P P'],
  ["Zelensky and Norway's PM holding news conference", '14:05', '', '', 'I P P'],
  [
    "Zelensky says Russia must stop making 'unnecessary demands'",
    '14:02',
    'breaking',
    '',
    'I P P P P',
  ],
];

const MARCH_14: Row[] = [
  ["US 'cautiously optimistic' over Ukraine deal", '16:16', '', '', 'P P P'],
  ["Rubio: US will work with nations 'on things we agree on'", '16:13', '', '', 'I P P'],
  ['Rubio speaking after G7 meeting', '16:07', '', '', 'P P'],
  ["Ukraine rejects suggestion troops are 'surrounded'", '15:55', '', '', 'P P P P L'],
  ["'We do not want to play games with war' - Zelensky", '15:41', '', '', 'I P P P P P'],
  ["Trump says 'good chance' Ukraine war can come to an end", '15:25', '', '', 'P P P'],
  [
    'A moment of truth for Trump',
    '15:20',
    'analysis',
    'Nomia Iqbal / North America correspondent',
    'P P P P P P P',
  ],
  [
    'A lot has changed since Trump became president',
    '15:03',
    '',
    'Rachel Flynn / Live reporter',
    'I P P P P P P P P',
  ],
  [
    "White House says 'we've never been closer to peace'",
    '14:46',
    '',
    'Bernd Debusmann Jr / Reporting from the White House',
    'I P P P P',
  ],
  ["Zelensky criticises Putin for conditions that 'drag out'", '14:35', '', '', 'P P P'],
  [
    'Russia says it has retaken 28 parts of Kursk region',
    '14:07',
    '',
    'Ben Tavener / Moscow Producer',
    'P P L I',
  ],
  ["Trump hails 'productive discussions' between Russia and US", '13:47', 'breaking', '', 'P P P'],
  ['All G7 foreign ministers agree with ceasefire plan', '13:35', '', '', 'I P P P P'],
  ['Draft G7 statement calls on Russia', '13:23', '', '', 'I P P P P'],
  ["UK government criticises Russia's 'nebulous responses'", '13:09', '', '', 'P P P P'],
  [
    'Russia claims to have retaken another part of Kursk',
    '12:54',
    '',
    'Vitaliy Shevchenko / Russia editor, BBC Monitoring',
    'P P P P',
  ],
  ['EU extends sanctions on Russians', '12:39', '', '', 'I P P P P'],
  ["Trump says we need to get ceasefire 'completed and signed'", '12:23', '', '', 'P P P'],
  [
    "Moscow and Washington's optimism not shared by Kyiv",
    '12:09',
    '',
    'Danny Aeberhard / Europe regional editor, BBC World Service',
    'P P P P P P',
  ],
  ['Ukraine sets up team ready to monitor any ceasefire', '11:49', '', '', 'I P P P'],
];

const CASES = [
  { name: SAMPLE_20_MARCH, date: '2025-03-20', rows: MARCH_20 },
  { name: SAMPLE_14_MARCH, date: '2025-03-14', rows: MARCH_14 },
];

for (const { name, date, rows } of CASES) {
  describe(name, () => {
    test('round-trips byte for byte', (t) => {
      const text = loadSample(t, name);
      if (text === undefined) return;
      assert.equal(render(toRenderInput(parse(text, { year: 2025 }))), text);
      // The same holds when the capture date, rather than the year, is what we know.
      assert.equal(render(toRenderInput(parse(text, { captureDate: date }))), text);
    });

    test('every post: headline, time, labels, bylines and block types', (t) => {
      const text = loadSample(t, name);
      if (text === undefined) return;
      const { posts } = parse(text, { year: 2025 });
      assert.equal(posts.length, rows.length);
      posts.forEach((post, i) => {
        const [headline, time, labels, bylines, body] = rows[i] ?? [];
        const where = `post ${i + 1}`;
        assert.ok(post.headline.startsWith(headline ?? '?'), `${where}: ${post.headline}`);
        assert.equal(post.publishedAt, `${date}T${time}:00.000Z`, where);
        assert.deepEqual(post.labels, labels ? [labels] : [], where);
        const shown = post.contributors.map((c) => `${c.name} / ${c.role ?? ''}`).join('; ');
        assert.equal(shown, bylines, where);
        assert.equal(shape(post.body), body, where);
        assert.ok(Value.Check(Body, post.body), `${where}: body fails the Body schema`);
      });
    });
  });
}

test('20 March: the head, the figures the brief names, and the map without credit', (t) => {
  const text = loadSample(t, SAMPLE_20_MARCH);
  if (text === undefined) return;
  const page = parse(text, { year: 2025 });
  assert.deepEqual(page.summary, []);
  assert.deepEqual(page.leadMedia, {
    kind: 'video',
    caption: 'How do Russians react to Putin-Trump conversations?',
  });
  assert.equal(page.streamPage, 1);
  assert.deepEqual(page.textFormat, {
    zoneStyle: 'long',
    showYear: false,
    repeatTimeLine: true,
    streamPageLine: true,
    captureDate: null,
  });
  assert.deepEqual(page.dropped, []);
  const [first, second, third] = page.posts;
  assert.equal(first?.headline, 'More peace talks in coming days as fighting continues');
  assert.equal(first?.publishedAt, '2025-03-20T18:10:00.000Z');
  const map = second?.body.at(-1);
  assert.equal(map?.type === 'image' && map.credit, undefined);
  assert.ok(map?.type === 'image' && map.alt.startsWith('A map with Ukraine highlighted'));
  const photo = third?.body[0];
  assert.ok(photo?.type === 'image');
  assert.equal(photo.credit, 'Reuters');
  assert.ok(photo.caption?.startsWith('Keir Starmer and John Healey'));
  const list = page.posts[4]?.body[3];
  assert.ok(list?.type === 'list' && list.items.length === 4);
  const link = page.posts[13]?.body.at(-1);
  assert.deepEqual(link, {
    type: 'paragraph',
    content: [
      { type: 'text', text: 'But in 2008, ' },
      {
        type: 'link',
        text: 'the alliance said Ukraine could eventually join',
        href: UNKNOWN_LINK_HREF,
        external: true,
      },
      { type: 'text', text: '.' },
    ],
  });
});

test('14 March: no stream page line, no second time line, a link in mid-sentence', (t) => {
  const text = loadSample(t, SAMPLE_14_MARCH);
  if (text === undefined) return;
  const page = parse(text, { year: 2025 });
  assert.equal(page.streamPage, null);
  assert.equal(page.textFormat.streamPageLine, false);
  assert.equal(page.textFormat.repeatTimeLine, false);
  const paragraph = page.posts[15]?.body[1];
  assert.ok(paragraph?.type === 'paragraph');
  const [link, rest] = paragraph.content;
  assert.equal(
    link?.type === 'link' && link.text,
    'According to a statement published this morning,',
  );
  assert.ok(rest?.text.startsWith(' they have “liberated” Goncharovka'));
  const map = page.posts[10]?.body[3];
  assert.ok(map?.type === 'image' && map.credit === undefined && map.alt.startsWith('A map which'));
  const portrait = page.posts[4]?.body[0];
  assert.ok(portrait?.type === 'image' && portrait.alt === 'Headshot of Zelensky');
});
