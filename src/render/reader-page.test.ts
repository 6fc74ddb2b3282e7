import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderIndexPage } from './index-page.tsx';
import { renderNotFoundPage } from './not-found-page.tsx';
import { renderPostPage } from './post-page.tsx';
import { renderReaderPage, type ReaderPageInput } from './reader-page.tsx';
import { makePage, makePost } from '../../test/support/factories.ts';
import { allMatches, ASSETS, BASE_URL, extractJsonLd } from '../../test/support/html-checks.ts';

function render(overrides: Partial<ReaderPageInput> = {}): string {
  return renderReaderPage({
    page: makePage(),
    posts: [makePost({ id: 'pin', pinned: true }), makePost({ id: 'b', labels: ['breaking'] })],
    pageNumber: 1,
    pageCount: 7,
    total: 133,
    baseUrl: BASE_URL,
    assets: ASSETS,
    ...overrides,
  });
}

describe('renderReaderPage', () => {
  it('is an en-GB document with the title, the LIVE badge and the summary', () => {
    const html = render();
    assert.match(html, /^<!DOCTYPE html><html lang="en-GB">/);
    assert.match(
      html,
      /<title>Harbour bridge reopens after two years of repairs - Liveline<\/title>/,
    );
    assert.match(html, /<span class="badge badge--live">Live<\/span>/);
    assert.match(html, /<h2 id="summary-heading"[^>]*>Summary<\/h2>/);
    assert.match(html, /<h1[^>]*>Harbour bridge reopens/);
  });

  it('links pages with ?page=N: "Newer", "Older" and "Page 2 of 7"', () => {
    const html = render({ pageNumber: 2 });
    assert.match(html, /Page 2 of 7/);
    assert.match(
      html,
      /<a class="pagination__link pagination__link--newer" href="\/live\/harbour-bridge-reopening" rel="prev">Newer/,
    );
    assert.match(html, /href="\/live\/harbour-bridge-reopening\?page=3" rel="next">Older/);
    assert.match(
      html,
      /<link rel="canonical" href="http:\/\/localhost:3000\/live\/harbour-bridge-reopening\?page=2"\/>/,
    );
  });

  it('has no "Newer" link on page 1 and no "Older" link on the last page', () => {
    assert.ok(!render({ pageNumber: 1 }).includes('pagination__link--newer'));
    const last = render({ pageNumber: 7 });
    assert.match(last, /Page 7 of 7/);
    assert.ok(!last.includes('pagination__link--older'));
    assert.match(last, /href="\/live\/harbour-bridge-reopening\?page=6" rel="prev">Newer/);
  });

  it('gives the live script its data on <body> and the "N new posts" button on page 1 only', () => {
    const html = render();
    assert.match(
      html,
      /<body class="reader" data-slug="harbour-bridge-reopening" data-last-seq="42" data-page-number="1" data-page-count="7" data-view="stream" data-time-zone="Europe\/London" data-events-url="\/live\/harbour-bridge-reopening\/events" data-live-url="\/live\/harbour-bridge-reopening" data-alerts-url="\/live\/harbour-bridge-reopening\/alerts" data-catch-up="on">/,
    );
    assert.match(html, /<button type="button" id="new-posts" class="new-posts" hidden>/);
    assert.match(
      html,
      /<div id="announcer" class="visually-hidden" aria-live="polite" aria-atomic="true"><\/div>/,
    );
    const page2 = render({ pageNumber: 2 });
    assert.ok(!page2.includes('id="new-posts"'));
    assert.match(
      page2,
      /<p id="newer-notice" class="newer-notice" hidden><a href="\/live\/harbour-bridge-reopening">New posts on page 1<\/a><\/p>/,
    );
  });

  it('keeps the posts in the order given, each an article with a permalinked time', () => {
    const html = render();
    assert.deepEqual(allMatches(html, /<article id="([^"]+)"/), ['post-pin', 'post-b']);
    assert.match(
      html,
      /<a class="post__time" href="\/live\/harbour-bridge-reopening\/posts\/b"><time datetime="2025-03-20T18:10:00.000Z">18:10 GMT 20 March<\/time><\/a> <span class="label label--breaking">Breaking<\/span>/,
    );
    assert.match(html, /<span class="post__pinned">Pinned<\/span>/);
  });

  it('carries no inline script, style or event handler (CSP: script-src and style-src self)', () => {
    const html = render();
    assert.ok(!/\sstyle=/.test(html));
    assert.ok(!/\son[a-z]+=/i.test(html));
    assert.ok(!/<style/.test(html));
    assert.deepEqual(allMatches(html, /<script([^>]*)>/), [
      ' src="/assets/reader.js" defer',
      ' type="application/ld+json"',
    ]);
    assert.match(html, /<link rel="stylesheet" href="\/assets\/reader.css"\/>/);
  });

  it('describes the page to link previews, feed readers and search engines', () => {
    const html = render();
    assert.match(html, /<meta name="description" content="Follow the reopening/);
    assert.match(html, /<meta property="og:title" content="Harbour bridge reopens/);
    assert.match(
      html,
      /<meta property="og:image" content="http:\/\/localhost:3000\/media\/bridge.jpg"\/>/,
    );
    assert.match(html, /<meta name="twitter:card" content="summary_large_image"\/>/);
    assert.match(
      html,
      /<link rel="alternate" type="application\/atom\+xml" href="\/live\/harbour-bridge-reopening\/feed.xml"/,
    );
    const ld = extractJsonLd(html).value as Record<string, unknown> & {
      liveBlogUpdate: Record<string, unknown>[];
    };
    assert.equal(ld['@type'], 'LiveBlogPosting');
    assert.equal(ld.coverageStartTime, '2025-03-20T09:00:00.000Z');
    assert.equal(ld.coverageEndTime, undefined);
    assert.equal(ld.liveBlogUpdate.length, 2);
    assert.equal(
      ld.liveBlogUpdate[1]?.['@id'],
      'http://localhost:3000/live/harbour-bridge-reopening/posts/b',
    );
    assert.deepEqual(ld.liveBlogUpdate[1]?.author, [
      { '@type': 'Person', name: 'Ada Lovelace', jobTitle: 'Transport correspondent' },
    ]);
  });

  it('shows the wrap-up and the coverage end once the page has ended', () => {
    const page = makePage({ status: 'ended', endedAt: '2025-03-20T21:30:00.000Z' });
    const html = render({ page });
    assert.match(html, /<span class="badge badge--ended">Ended<\/span>/);
    // The wrap-up gives the newest post's time; the coverage ended when the editor ended it.
    assert.match(html, /Live coverage has ended.*The last update came at.*18:10 GMT 20 March/);
    assert.equal(
      (extractJsonLd(html).value as Record<string, unknown>).coverageEndTime,
      page.endedAt,
    );
    assert.match(render({ page: makePage({ status: 'paused' }) }), /badge--paused">Paused</);
  });

  it('skips an empty summary and draws lead media without a src as a captioned box', () => {
    const page = makePage({
      summary: [],
      leadMedia: { kind: 'video', caption: 'How the bridge was rebuilt' },
    });
    const html = render({ page, posts: [] });
    assert.ok(!html.includes('summary-heading'));
    assert.ok(!html.includes('<video'));
    assert.match(
      html,
      /<figure class="media media--lead media--missing">.*How the bridge was rebuilt<\/figcaption><\/figure>/,
    );
    assert.match(html, /No posts yet/);
  });

  it('shows "Updated" with the time of the edit on a revised post', () => {
    const post = makePost({ revision: 2, updatedAt: '2025-03-20T18:25:00.000Z' });
    assert.match(
      render({ posts: [post] }),
      /Updated <time datetime="2025-03-20T18:25:00.000Z">18:25 GMT<\/time>/,
    );
    assert.ok(!render({ posts: [makePost()] }).includes('Updated'));
  });
});

describe('the other reader pages', () => {
  it('renders a post page whose meta tags carry the post headline', () => {
    const post = makePost({ id: 'x9', headline: 'The mayor crosses first' });
    const html = renderPostPage({ page: makePage(), post, baseUrl: BASE_URL, assets: ASSETS });
    assert.match(html, /<title>The mayor crosses first - Liveline<\/title>/);
    assert.match(html, /<meta property="og:title" content="The mayor crosses first"\/>/);
    assert.match(html, /<meta name="twitter:title" content="The mayor crosses first"\/>/);
    assert.match(
      html,
      /<link rel="canonical" href="http:\/\/localhost:3000\/live\/harbour-bridge-reopening\/posts\/x9"\/>/,
    );
    assert.match(html, /<a href="\/live\/harbour-bridge-reopening">Back to the live page<\/a>/);
    assert.match(html, /data-view="post"/);
    assert.deepEqual(allMatches(html, /<article id="([^"]+)"/), ['post-x9']);
  });

  it('lists the pages on the index in the order given, each dated', () => {
    const html = renderIndexPage({
      pages: [
        {
          page: makePage({ id: '1', slug: 'old', title: 'Old story', status: 'ended' }),
          lastUpdated: '2025-03-14T18:00:00.000Z',
        },
        {
          page: makePage({ id: '2', slug: 'now', title: 'Story now', status: 'live' }),
          lastUpdated: '2025-03-20T18:10:00.000Z',
        },
      ],
      baseUrl: BASE_URL,
      assets: ASSETS,
    });
    // The services order them (live first: test/http/pages.test.ts); the page keeps it.
    assert.deepEqual(allMatches(html, /<h2 class="page-card__title"><a href="([^"]+)"/), [
      '/live/old',
      '/live/now',
    ]);
    assert.ok(!html.includes('reader.js'), 'the index needs no script');
    assert.match(html, /Last updated <time datetime="2025-03-20T18:10:00.000Z">18:10 GMT 20 March/);
  });

  it('renders a 404 page with the message', () => {
    const html = renderNotFoundPage({ message: 'No live page has this slug.', assets: ASSETS });
    assert.match(html, /<h1>Page not found<\/h1><p>No live page has this slug.<\/p>/);
  });
});
