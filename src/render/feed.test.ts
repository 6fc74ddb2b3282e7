import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderAtomFeed } from './feed.tsx';
import { makePage, makePost } from '../../test/support/factories.ts';
import { allMatches, assertWellFormedXml, BASE_URL } from '../../test/support/html-checks.ts';

describe('renderAtomFeed', () => {
  const page = makePage();
  const posts = [
    makePost({ id: 'a1', headline: 'First & <b>bold</b>', updatedAt: '2025-03-20T19:00:00.000Z' }),
    makePost({
      id: 'a2',
      contributors: [],
      body: [{ type: 'paragraph', content: [{ type: 'text', text: 'x ]]> y\u0001' }] }],
    }),
    makePost({ id: 'a3', labels: ['breaking'] }),
  ];
  const xml = renderAtomFeed({ page, posts, baseUrl: BASE_URL });

  it('is well-formed Atom 1.0 with one entry per post', () => {
    const names = assertWellFormedXml(xml);
    assert.match(
      xml,
      /^<\?xml version="1.0" encoding="utf-8"\?>\s*<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/,
    );
    assert.equal(names.filter((name) => name === 'entry').length, 3);
  });

  it('identifies each entry by its absolute permalink and dates it by its last edit', () => {
    assert.deepEqual(
      allMatches(xml, /<entry>\s*<title[^>]*>[\s\S]*?<\/title>\s*<id>([^<]+)<\/id>/),
      [
        `${BASE_URL}/live/harbour-bridge-reopening/posts/a1`,
        `${BASE_URL}/live/harbour-bridge-reopening/posts/a2`,
        `${BASE_URL}/live/harbour-bridge-reopening/posts/a3`,
      ],
    );
    assert.match(xml, /posts\/a1<\/id>[\s\S]*?<updated>2025-03-20T19:00:00.000Z<\/updated>/);
    assert.match(
      xml,
      /<link rel="self" href="http:\/\/localhost:3000\/live\/harbour-bridge-reopening\/feed.xml"\/>/,
    );
  });

  it('escapes headlines for type="html" and makes media URLs absolute', () => {
    assert.ok(xml.includes('First &amp; &lt;b&gt;bold&lt;/b&gt;'));
    // The body's HTML is escaped text of a type="html" element, not CDATA.
    assert.ok(xml.includes(`src=&quot;${BASE_URL}/media/crowd.jpg&quot;`));
    assert.ok(!xml.includes('\u0001'), 'control characters are dropped');
  });

  it('names the contributors as authors, with a feed-level author as fallback', () => {
    assert.match(xml, /<author>\s*<name>Ada Lovelace<\/name>\s*<\/author>/);
    assert.match(xml, /<feed[^>]*>[\s\S]*?<author>\s*<name>Liveline<\/name>/);
  });
});
