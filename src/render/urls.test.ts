import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UNKNOWN_LINK_HREF } from '../domain/blocks.ts';
import {
  absoluteMediaSrc,
  absoluteUrl,
  alertsPath,
  eventsPath,
  feedPath,
  latencyPath,
  livePath,
  pagePath,
  postElementId,
  postPath,
  safeLinkHref,
  safeMediaSrc,
  oembedPath,
  widgetPath,
} from './urls.ts';

const SITE = 'https://news.example';

describe('reader addresses', () => {
  it('gives page 1 of a live page one cacheable address, and later pages a ?page=', () => {
    assert.equal(livePath('storm-eunice'), '/live/storm-eunice');
    assert.equal(pagePath('storm-eunice', 1), '/live/storm-eunice');
    assert.equal(pagePath('storm-eunice', 0), '/live/storm-eunice');
    assert.equal(pagePath('storm-eunice', 2), '/live/storm-eunice?page=2');
  });

  it('names the permalink, feed, event stream and latency report of a page', () => {
    assert.equal(postPath('storm', 'p1'), '/live/storm/posts/p1');
    assert.equal(feedPath('storm'), '/live/storm/feed.xml');
    assert.equal(eventsPath('storm'), '/live/storm/events');
    assert.equal(latencyPath('storm'), '/live/storm/latency');
    assert.equal(postElementId('p1'), 'post-p1');
  });

  it('percent-encodes slugs and post ids so they stay one path segment', () => {
    assert.equal(livePath('a/b?c'), '/live/a%2Fb%3Fc');
    assert.equal(postPath('s', 'x/../y'), '/live/s/posts/x%2F..%2Fy');
  });

  it('joins the site address and a path with exactly one slash', () => {
    assert.equal(absoluteUrl(`${SITE}/`, '/live/storm'), `${SITE}/live/storm`);
    assert.equal(absoluteUrl(`${SITE}//`, 'live/storm'), `${SITE}/live/storm`);
    assert.equal(absoluteUrl(SITE, '/'), `${SITE}/`);
  });

  it('passes absolute http and https addresses through, and only those', () => {
    assert.equal(absoluteUrl(SITE, 'https://cdn.example/a.jpg'), 'https://cdn.example/a.jpg');
    assert.equal(absoluteUrl(SITE, 'http://cdn.example/a.jpg'), 'http://cdn.example/a.jpg');
    assert.equal(absoluteUrl(SITE, 'HTTPS://CDN.example/a.jpg'), 'HTTPS://CDN.example/a.jpg');
    // An address merely containing "https://" is a path on this site.
    assert.equal(
      absoluteUrl(SITE, '/go?to=https://elsewhere.example/'),
      `${SITE}/go?to=https://elsewhere.example/`,
    );
  });
});

describe('addresses other sites use', () => {
  it('names the embeddable widget of a page, and of one post', () => {
    assert.equal(widgetPath('storm'), '/live/storm/embed');
    assert.equal(widgetPath('storm', null), '/live/storm/embed');
    assert.equal(widgetPath('storm', 'p1'), '/live/storm/posts/p1/embed');
  });

  it('asks the oEmbed endpoint about an address, encoded, for JSON', () => {
    assert.equal(
      oembedPath('https://news.example/live/storm?page=2&x=1'),
      '/oembed?url=https%3A%2F%2Fnews.example%2Flive%2Fstorm%3Fpage%3D2%26x%3D1&format=json',
    );
  });

  it('names the push alerts of a page', () => {
    assert.equal(alertsPath('storm-eunice'), '/live/storm-eunice/alerts');
  });
});

describe('links a reader may follow', () => {
  it('keeps http, https and mailto links', () => {
    for (const href of [
      'https://example.org/',
      'http://example.org/a?b=1&c=2',
      'HTTPS://EXAMPLE.ORG/',
      'mailto:desk@example.org',
    ]) {
      assert.equal(safeLinkHref(href), href);
    }
  });

  it('refuses any other scheme, even one that mentions https later on', () => {
    for (const href of [
      "javascript:fetch('https://x')",
      'javascript:alert(1)//mailto:x',
      'data:text/html,https://x',
      'ftp://example.org/',
      'https:/example.org/',
      '/relative/path',
      '',
    ]) {
      assert.equal(safeLinkHref(href), null, href);
    }
  });

  it('refuses a link with a space or backslash anywhere after the scheme', () => {
    assert.equal(safeLinkHref('https://example.org/a b'), null);
    assert.equal(safeLinkHref('https://example.org/ javascript:alert(1)'), null);
    assert.equal(safeLinkHref('https://example.org/\njavascript:x'), null);
    assert.equal(safeLinkHref('https://example.org\\@evil.example'), null);
    assert.equal(safeLinkHref('https://'), null);
  });

  it('renders a link whose destination was lost on import as text', () => {
    assert.equal(safeLinkHref(UNKNOWN_LINK_HREF), null);
  });
});

describe('media the reader page loads', () => {
  it('loads http(s) media and root-relative paths on this site', () => {
    for (const src of [
      'https://cdn.example/a.jpg',
      'http://cdn.example/a.jpg',
      'HTTP://CDN.EXAMPLE/A.JPG',
      '/media/a.jpg',
    ]) {
      assert.equal(safeMediaSrc(src), src);
    }
  });

  it('refuses other hosts in disguise, other schemes and missing sources', () => {
    for (const src of [
      '//evil.example/x.jpg',
      '/\\evil.example/x.jpg',
      "javascript:fetch('https://x')",
      'data:image/svg+xml,/x.svg',
      'media/a.jpg',
      '/media/a.jpg onerror=alert(1)',
      'https://cdn.example/a.jpg\\x',
      '/',
      '',
    ]) {
      assert.equal(safeMediaSrc(src), null, src);
    }
    assert.equal(safeMediaSrc(undefined), null);
  });

  it('makes safe media absolute for feeds and previews, and drops unsafe media', () => {
    assert.equal(absoluteMediaSrc(SITE, '/media/a.jpg'), `${SITE}/media/a.jpg`);
    assert.equal(absoluteMediaSrc(SITE, 'https://cdn.example/a.jpg'), 'https://cdn.example/a.jpg');
    assert.equal(absoluteMediaSrc(SITE, '//evil.example/x.jpg'), null);
    assert.equal(absoluteMediaSrc(SITE, "javascript:fetch('https://x')"), null);
    assert.equal(absoluteMediaSrc(SITE, undefined), null);
  });
});
