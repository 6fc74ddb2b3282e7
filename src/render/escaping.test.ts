import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Body } from '../domain/blocks.ts';
import { renderPostArticle } from './post-article.tsx';
import { renderPostPage } from './post-page.tsx';
import { renderReaderPage } from './reader-page.tsx';
import { makePage, makePost } from '../../test/support/factories.ts';
import { allMatches, ASSETS, BASE_URL, extractJsonLd } from '../../test/support/html-checks.ts';

const EVIL = `<script>alert(1)</script> "quoted" & 'single'`;
/** How the payload reads once escaped: Preact escapes `<` (enough in text) and may leave `>`. */
const PAYLOAD_AS_TEXT = /&lt;script(&gt;|>)alert\(1\)&lt;\/script(&gt;|>)/;

const evilBody: Body = [
  { type: 'paragraph', content: [{ type: 'text', text: EVIL, bold: true }] },
  { type: 'quote', content: [{ type: 'text', text: EVIL }], attribution: EVIL },
  { type: 'list', items: [[{ type: 'text', text: EVIL }]] },
  { type: 'image', src: '/media/a.jpg', alt: EVIL, caption: EVIL, credit: EVIL },
  { type: 'image', alt: EVIL },
  { type: 'video', src: '/media/a.mp4', caption: EVIL },
  { type: 'embed', provider: 'x', url: 'https://x.com/a/status/1', text: EVIL, author: EVIL },
  {
    type: 'paragraph',
    content: [{ type: 'link', text: EVIL, href: 'https://example.org/?a=1&b="2"', external: true }],
  },
];

const evilPost = () =>
  makePost({
    headline: EVIL,
    contributors: [{ name: EVIL, role: EVIL }],
    body: evilBody,
  });

function assertNoRawMarkup(html: string) {
  assert.ok(!html.includes('<script>alert'), 'no raw <script> from content');
  assert.ok(!/<[^>]*\salert\(1\)/.test(html), 'no tag contains the payload');
  assert.match(html, PAYLOAD_AS_TEXT, 'the payload shows as text');
}

describe('escaping', () => {
  it('escapes headline, text, caption, alt, credit and contributor in an article', () => {
    const html = renderPostArticle(makePage(), evilPost());
    assertNoRawMarkup(html);
    // Text: headline, name, role, paragraph, quote, attribution, item, credit, caption x2,
    // description, embed text and author, link; attributes: alt.
    assert.ok(allMatches(html, new RegExp(`(${PAYLOAD_AS_TEXT.source})`)).length >= 12);
    assert.ok(!/&(?!amp;|lt;|gt;|quot;|#)/.test(html), 'every & is an entity');
    assert.match(
      html,
      /alt="&lt;script(&gt;|>)alert\(1\)&lt;\/script(&gt;|>) &quot;quoted&quot; &amp; 'single'"/,
    );
  });

  it('escapes the payload on the whole page, the title and the meta tags', () => {
    const page = makePage({ title: EVIL, description: EVIL, summary: [{ text: EVIL }] });
    const html = renderReaderPage({
      page,
      posts: [evilPost()],
      pageNumber: 1,
      pageCount: 1,
      total: 1,
      baseUrl: BASE_URL,
      assets: ASSETS,
    });
    assertNoRawMarkup(html);
    assert.equal(allMatches(html, /(<script)/).length, 2, 'only the reader script and JSON-LD');
    assert.match(html, /<title>&lt;script(&gt;|>)alert\(1\)/);
    assert.match(html, /<meta property="og:title" content="&lt;script(&gt;|>)alert\(1\)/);
  });

  it('escapes the permalink page, whose meta tags carry the post headline', () => {
    const html = renderPostPage({
      page: makePage(),
      post: evilPost(),
      baseUrl: BASE_URL,
      assets: ASSETS,
    });
    assertNoRawMarkup(html);
    assert.match(html, /<meta name="twitter:title" content="&lt;script(&gt;|>)alert\(1\)/);
  });

  it('renders a javascript: link as inert text', () => {
    const post = makePost({
      body: [
        {
          type: 'paragraph',
          content: [
            { type: 'link', text: 'click me', href: 'javascript:alert(1)', external: false },
            { type: 'link', text: 'or me', href: ' JavaScript:alert(1)', external: true },
            { type: 'link', text: 'data', href: 'data:text/html,<b>x</b>', external: true },
            { type: 'link', text: 'fetch', href: "javascript:fetch('https://x')", external: true },
          ],
        },
      ],
    });
    const html = renderPostArticle(makePage(), post);
    assert.ok(!/javascript:/i.test(html));
    assert.ok(!html.includes('data:text'));
    assert.match(html, /<span class="link-inert">click me<\/span>/);
    assert.match(html, /<span class="link-inert">or me<\/span>/);
    // Mentioning https:// later in the href does not make it a link.
    assert.match(html, /<span class="link-inert">fetch<\/span>/);
    assert.ok(!html.includes('href="https://x'), 'no anchor to the address it mentions');
  });

  it('marks external links and keeps mailto and internal links plain', () => {
    const post = makePost({
      body: [
        {
          type: 'paragraph',
          content: [
            { type: 'link', text: 'elsewhere', href: 'https://example.org/', external: true },
            { type: 'link', text: 'write', href: 'mailto:desk@example.org', external: false },
          ],
        },
      ],
    });
    const html = renderPostArticle(makePage(), post);
    assert.match(
      html,
      /<a href="https:\/\/example.org\/" class="link-external" rel="noopener noreferrer">elsewhere<span class="link-external__mark">, external<\/span><\/a>/,
    );
    assert.match(html, /<a href="mailto:desk@example.org">write<\/a>/);
  });

  it('drops media sources that would load from another host or scheme', () => {
    const post = makePost({
      body: [
        { type: 'image', src: '//evil.example/x.jpg', alt: 'one' },
        { type: 'image', src: '/\\evil.example/x.jpg', alt: 'two' },
        { type: 'image', src: 'javascript:alert(1)', alt: 'three' },
      ],
    });
    const html = renderPostArticle(makePage(), post);
    assert.ok(!html.includes('<img'), 'no image is loaded');
    assert.equal(allMatches(html, /(media--missing)/).length, 3);
  });

  it('keeps the JSON-LD valid JSON with no raw </script, <, > or &', () => {
    const page = makePage({ title: `</script><script>alert(1)</script>\u2028&` });
    const post = makePost({ headline: `</SCRIPT>${EVIL}\u2029` });
    const html = renderReaderPage({
      page,
      posts: [post],
      pageNumber: 1,
      pageCount: 1,
      total: 1,
      baseUrl: BASE_URL,
      assets: ASSETS,
    });
    const { raw, value } = extractJsonLd(html);
    assert.ok(!/<\/script/i.test(raw));
    assert.ok(!/[<>&\u2028\u2029]/.test(raw));
    const ld = value as { headline: string; liveBlogUpdate: { headline: string }[] };
    assert.equal(ld.headline, page.title);
    assert.equal(ld.liveBlogUpdate[0]?.headline, post.headline);
  });
});
