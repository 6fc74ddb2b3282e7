import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMBED_PROVIDERS } from '../domain/blocks.ts';
import { PROVIDERS, recognise } from './providers.ts';

/** Addresses each provider owns, and the player the reader's click loads (null: a link only). */
const KNOWN: [string, string, string | null][] = [
  [
    'https://x.com/skerrahead/status/1850000000000000001',
    'x',
    'https://platform.twitter.com/embed/Tweet.html?id=1850000000000000001&dnt=true',
  ],
  [
    'https://twitter.com/BBCBreaking/status/42?s=20',
    'x',
    'https://platform.twitter.com/embed/Tweet.html?id=42&dnt=true',
  ],
  [
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s',
    'youtube',
    'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
  ],
  ['https://youtu.be/dQw4w9WgXcQ', 'youtube', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'],
  [
    'https://www.youtube.com/shorts/dQw4w9WgXcQ',
    'youtube',
    'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
  ],
  ['https://vimeo.com/76979871', 'vimeo', 'https://player.vimeo.com/video/76979871?dnt=1'],
  [
    'https://bsky.app/profile/bbc.co.uk/post/3kabcdefghijk',
    'bluesky',
    'https://embed.bsky.app/embed/bbc.co.uk/app.bsky.feed.post/3kabcdefghijk',
  ],
  [
    'https://www.instagram.com/p/C1a2B3c4D5e/',
    'instagram',
    'https://www.instagram.com/p/C1a2B3c4D5e/embed/',
  ],
  [
    'https://www.tiktok.com/@bbcnews/video/7300000000000000001',
    'tiktok',
    'https://www.tiktok.com/embed/v2/7300000000000000001',
  ],
  [
    'https://www.facebook.com/bbcnews/posts/pfbid02abc',
    'facebook',
    'https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fbbcnews%2Fposts%2Fpfbid02abc',
  ],
  [
    'https://www.facebook.com/watch/?v=123456',
    'facebook',
    'https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fwatch%2F%3Fv%3D123456',
  ],
  [
    'https://www.threads.net/@bbcnews/post/C1a2B3c4D5e',
    'threads',
    'https://www.threads.com/@bbcnews/post/C1a2B3c4D5e/embed',
  ],
  ['https://t.me/bbcnews/1234', 'telegram', null],
  ['https://truthsocial.com/@realuser/posts/113000000000000001', 'truthsocial', null],
];

/** Near misses: other hosts, other schemes, credentials, ports, shapes that are not one post. */
const REFUSED = [
  'http://x.com/skerrahead/status/1',
  'https://x.com.evil.example/skerrahead/status/1',
  'https://evil.example/x.com/skerrahead/status/1',
  'https://user:pass@x.com/skerrahead/status/1',
  'https://x.com:8443/skerrahead/status/1',
  'https://x.com/skerrahead',
  'https://x.com/skerrahead/status/1/../../../evil',
  'https://www.youtube.com/watch?v=short',
  'https://www.youtube.com/watch?list=PL123',
  'https://youtu.be/dQw4w9WgXcQ/extra',
  'https://vimeo.com/channels/staffpicks',
  'https://bsky.app/profile/bbc.co.uk',
  'https://www.facebook.com/bbcnews',
  'https://example.com/',
  'javascript:alert(1)',
  'not a url',
];

describe('the embed provider registry', () => {
  it('has every provider of the model, in its order', () => {
    assert.deepEqual(
      PROVIDERS.map((p) => p.id),
      [...EMBED_PROVIDERS],
    );
  });

  it('recognises each provider’s post addresses and builds its player from the parts', () => {
    for (const [url, id, player] of KNOWN) {
      const found = recognise(url);
      assert.equal(found?.provider.id, id, url);
      assert.equal(found?.provider.player?.src(found.parts) ?? null, player, url);
      if (player) assert.ok(player.startsWith(`${found?.provider.player?.origin}/`), player);
    }
  });

  it('refuses every near miss', () => {
    for (const url of REFUSED) assert.equal(recognise(url), null, url);
  });

  it('never lets a frame navigate the page or submit forms', () => {
    for (const provider of PROVIDERS) {
      const tokens = provider.player?.sandbox.split(' ') ?? [];
      for (const never of ['allow-top-navigation', 'allow-forms', 'allow-modals'])
        assert.ok(!tokens.includes(never), `${provider.id}: ${never}`);
    }
  });
});
