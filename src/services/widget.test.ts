import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LivelineError } from '../domain/errors.ts';
import { widgetTarget } from './widget.ts';

const ID = '01m8sx3bg28c08hth7qw';

/** The sentence of the OEMBED_URL_INVALID that `widgetTarget` throws for `url`. */
function refusal(url: string, publicUrl: string): string {
  try {
    widgetTarget(url, publicUrl);
  } catch (error) {
    assert.ok(error instanceof LivelineError, String(error));
    assert.equal(error.code, 'OEMBED_URL_INVALID');
    return error.message;
  }
  assert.fail(`${url} was taken as a live page`);
}

describe('widgetTarget: the live page or post an embed address names', () => {
  it('takes a page or a post as a reader would share it: any page number, a trailing slash', () => {
    const site = 'https://news.example';
    for (const [url, postId] of [
      [`${site}/live/harbour-fire`, null],
      [`${site}/live/harbour-fire/`, null],
      [`${site}/live/harbour-fire//`, null],
      [`${site}/live/harbour-fire?page=3`, null],
      [`${site}/live/harbour-fire/posts/${ID}`, ID],
      [`${site}/live/harbour-fire/posts/${ID}/`, ID],
    ] as const) {
      assert.deepEqual(widgetTarget(url, site), { slug: 'harbour-fire', postId }, url);
    }
  });

  it('finds the pages under a PUBLIC_URL with a path, and only there', () => {
    for (const site of ['https://example.org/news', 'https://example.org/news/']) {
      assert.deepEqual(widgetTarget('https://example.org/news/live/vote', site), {
        slug: 'vote',
        postId: null,
      });
      assert.deepEqual(widgetTarget(`https://example.org/news/live/vote/posts/${ID}`, site), {
        slug: 'vote',
        postId: ID,
      });
    }
    assert.match(
      refusal('https://example.org/newslive/vote', 'https://example.org/news'),
      /\/newslive\/vote is not a live page/,
    );
  });

  it('refuses every other address, saying what it is not', () => {
    const site = 'https://news.example';
    const cases: [string, RegExp][] = [
      ['harbour-fire', /^url: "harbour-fire" is not an absolute URL\.$/],
      [`${'x'.repeat(150)}`, /^url: "x{100}" is not an absolute URL\.$/],
      [
        'http://news.example/live/a',
        /^url: http:\/\/news\.example is not this site \(https:\/\/news\.example\)\.$/,
      ],
      ['https://news.example:8443/live/a', /news\.example:8443 is not this site/],
      [
        `${site}/live`,
        /^url: \/live is not a live page \(\/live\/\{slug\}\) or a post \(\/live\/\{slug\}\/posts\/\{id\}\)\.$/,
      ],
      [`${site}/news/live/a`, /\/news\/live\/a is not a live page/],
      [`${site}/live/a/comments`, /\/live\/a\/comments is not/],
      [`${site}/live/a/comments/${ID}`, /\/live\/a\/comments\/\w+ is not/],
      [`${site}/live/a/posts`, /\/live\/a\/posts is not/],
      [`${site}/live/a/posts/${ID}/edit`, /is not a live page/],
      [`${site}/live/a/posts/NOT-AN-ID`, /is not a live page/],
      [`${site}/live/a/posts/x${ID}`, /is not a live page/],
      [`${site}/live/${'a'.repeat(81)}`, /is not a live page/],
      [`${site}/live/Harbour`, /is not a live page/],
      [`${site}/live/harbour-`, /is not a live page/],
      [`${site}/live/x-harbour!`, /is not a live page/],
    ];
    for (const [url, why] of cases) assert.match(refusal(url, site), why, url);
    assert.deepEqual(widgetTarget(`${site}/live/${'a'.repeat(80)}`, site).slug, 'a'.repeat(80));
  });
});
