import type { EmbedBlock } from '../domain/blocks.ts';

/**
 * The provider registry (ADR 0021): for each source of embedded posts, the strict shapes of
 * its post addresses, the player its frame loads once a reader asks, how tightly that frame
 * is sandboxed, and its public oEmbed endpoint. Nothing here makes a request.
 */

export type EmbedProviderId = EmbedBlock['provider'];

/** The parts of a recognised address a player is built from (all matched by strict patterns). */
export type EmbedParts = Readonly<Record<string, string>>;

/** How a provider's post loads in a reader's page once they click. */
export interface EmbedPlayer {
  /** The only origin the frame loads from; CSP frame-src lists exactly these. */
  origin: string;
  /** The frame's address, built from matched parts only, never from the raw URL. */
  src(parts: EmbedParts): string;
  /** The frame's sandbox tokens: what the provider's player needs and nothing more. */
  sandbox: string;
  /** Permissions policy of the frame (`allow`). */
  allow: string;
  /** A video keeps 16:9; a post gets a tall fixed box (its own script cannot resize it). */
  shape: 'video' | 'post';
}

export interface EmbedProvider {
  id: EmbedProviderId;
  /** The provider's name as readers and the capture format write it. */
  name: string;
  hosts: readonly string[];
  /** Path (and for some, query) shapes; the first that matches gives the parts. */
  match(url: URL): EmbedParts | null;
  /** Absent for providers whose posts are shown as a link card only. */
  player: EmbedPlayer | null;
  /** The public oEmbed endpoint; null where the provider asks for an app token. */
  oembed: string | null;
}

/** Players run their own scripts on their own origin and open links in new tabs; nothing else. */
const PLAYER_SANDBOX =
  'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox';
const VIDEO_ALLOW = 'fullscreen; picture-in-picture; encrypted-media';

const ID = '[A-Za-z0-9_-]';

function pathParts(url: URL, pattern: RegExp, names: readonly string[]): EmbedParts | null {
  const found = pattern.exec(url.pathname);
  if (!found) return null;
  return Object.fromEntries(names.map((name, i) => [name, found[i + 1] ?? '']));
}

function youtubeId(url: URL): EmbedParts | null {
  if (url.hostname === 'youtu.be') return pathParts(url, new RegExp(`^/(${ID}{11})$`), ['id']);
  if (url.pathname === '/watch') {
    const id = url.searchParams.get('v');
    return id !== null && new RegExp(`^${ID}{11}$`).test(id) ? { id } : null;
  }
  return pathParts(url, new RegExp(`^/(?:shorts|live|embed)/(${ID}{11})/?$`), ['id']);
}

function facebookParts(url: URL): EmbedParts | null {
  if (url.pathname === '/watch' || url.pathname === '/watch/') {
    const id = url.searchParams.get('v');
    return id !== null && /^\d{1,25}$/.test(id) ? { kind: 'video', href: `watch/?v=${id}` } : null;
  }
  const reel = pathParts(url, /^\/reel\/(\d{1,25})\/?$/, ['id']);
  if (reel) return { kind: 'video', href: `reel/${reel.id}` };
  const post = pathParts(url, /^\/([A-Za-z0-9.]{1,80})\/(posts|videos)\/([A-Za-z0-9]{1,60})\/?$/, [
    'page',
    'what',
    'id',
  ]);
  if (!post) return null;
  const kind = post.what === 'videos' ? 'video' : 'post';
  return { kind, href: `${post.page}/${post.what}/${post.id}` };
}

/** Every provider Liveline embeds, in the order of EMBED_PROVIDERS. */
export const PROVIDERS: readonly EmbedProvider[] = [
  {
    id: 'x',
    name: 'X',
    hosts: ['x.com', 'www.x.com', 'twitter.com', 'www.twitter.com', 'mobile.twitter.com'],
    match: (url) =>
      pathParts(url, /^\/([A-Za-z0-9_]{1,15})\/status\/(\d{1,20})\/?$/, ['user', 'id']),
    player: {
      origin: 'https://platform.twitter.com',
      src: (p) => `https://platform.twitter.com/embed/Tweet.html?id=${p.id}&dnt=true`,
      sandbox: PLAYER_SANDBOX,
      allow: '',
      shape: 'post',
    },
    oembed: 'https://publish.twitter.com/oembed',
  },
  {
    id: 'truthsocial',
    name: 'Truth Social',
    hosts: ['truthsocial.com'],
    match: (url) =>
      pathParts(url, /^\/@([A-Za-z0-9_]{1,30})\/(?:posts\/)?(\d{1,20})\/?$/, ['user', 'id']),
    player: null,
    oembed: null,
  },
  {
    id: 'telegram',
    name: 'Telegram',
    hosts: ['t.me'],
    match: (url) => pathParts(url, /^\/([A-Za-z0-9_]{4,32})\/(\d{1,12})\/?$/, ['channel', 'id']),
    player: null,
    oembed: null,
  },
  {
    id: 'youtube',
    name: 'YouTube',
    hosts: ['www.youtube.com', 'youtube.com', 'm.youtube.com', 'youtu.be'],
    match: youtubeId,
    player: {
      // The privacy-enhanced host: no cookies until the reader plays the video.
      origin: 'https://www.youtube-nocookie.com',
      src: (p) => `https://www.youtube-nocookie.com/embed/${p.id}`,
      sandbox: PLAYER_SANDBOX,
      allow: VIDEO_ALLOW,
      shape: 'video',
    },
    oembed: 'https://www.youtube.com/oembed',
  },
  {
    id: 'instagram',
    name: 'Instagram',
    hosts: ['www.instagram.com', 'instagram.com'],
    match: (url) => pathParts(url, new RegExp(`^/(p|reel|tv)/(${ID}{5,40})/?$`), ['kind', 'code']),
    player: {
      origin: 'https://www.instagram.com',
      src: (p) => `https://www.instagram.com/${p.kind}/${p.code}/embed/`,
      sandbox: PLAYER_SANDBOX,
      allow: '',
      shape: 'post',
    },
    // Meta's oEmbed needs an app token: set OEMBED_ENDPOINTS to use one (OPERATIONS.md).
    oembed: null,
  },
  {
    id: 'vimeo',
    name: 'Vimeo',
    hosts: ['vimeo.com', 'www.vimeo.com', 'player.vimeo.com'],
    match: (url) =>
      url.hostname === 'player.vimeo.com'
        ? pathParts(url, /^\/video\/(\d{1,12})\/?$/, ['id'])
        : pathParts(url, /^\/(\d{1,12})\/?$/, ['id']),
    player: {
      origin: 'https://player.vimeo.com',
      src: (p) => `https://player.vimeo.com/video/${p.id}?dnt=1`,
      sandbox: PLAYER_SANDBOX,
      allow: VIDEO_ALLOW,
      shape: 'video',
    },
    oembed: 'https://vimeo.com/api/oembed.json',
  },
  {
    id: 'bluesky',
    name: 'Bluesky',
    hosts: ['bsky.app'],
    match: (url) =>
      pathParts(
        url,
        /^\/profile\/((?:did:plc:[a-z2-7]{24})|(?:[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}))\/post\/([a-z2-7]{13})\/?$/,
        ['actor', 'rkey'],
      ),
    player: {
      origin: 'https://embed.bsky.app',
      src: (p) => `https://embed.bsky.app/embed/${p.actor}/app.bsky.feed.post/${p.rkey}`,
      sandbox: PLAYER_SANDBOX,
      allow: '',
      shape: 'post',
    },
    oembed: 'https://embed.bsky.app/oembed',
  },
  {
    id: 'tiktok',
    name: 'TikTok',
    hosts: ['www.tiktok.com', 'tiktok.com'],
    match: (url) =>
      pathParts(url, /^\/@([A-Za-z0-9_.]{1,24})\/video\/(\d{1,25})\/?$/, ['user', 'id']),
    player: {
      origin: 'https://www.tiktok.com',
      src: (p) => `https://www.tiktok.com/embed/v2/${p.id}`,
      sandbox: PLAYER_SANDBOX,
      allow: VIDEO_ALLOW,
      shape: 'post',
    },
    oembed: 'https://www.tiktok.com/oembed',
  },
  {
    id: 'facebook',
    name: 'Facebook',
    hosts: ['www.facebook.com', 'facebook.com', 'm.facebook.com'],
    match: facebookParts,
    player: {
      origin: 'https://www.facebook.com',
      src: (p) =>
        `https://www.facebook.com/plugins/${p.kind === 'video' ? 'video' : 'post'}.php?href=${encodeURIComponent(`https://www.facebook.com/${p.href}`)}`,
      sandbox: PLAYER_SANDBOX,
      allow: VIDEO_ALLOW,
      shape: 'post',
    },
    oembed: null,
  },
  {
    id: 'threads',
    name: 'Threads',
    hosts: ['www.threads.net', 'threads.net', 'www.threads.com', 'threads.com'],
    match: (url) =>
      pathParts(url, new RegExp(`^/@([A-Za-z0-9_.]{1,30})/post/(${ID}{5,40})/?$`), [
        'user',
        'code',
      ]),
    player: {
      origin: 'https://www.threads.com',
      src: (p) => `https://www.threads.com/@${p.user}/post/${p.code}/embed`,
      sandbox: PLAYER_SANDBOX,
      allow: '',
      shape: 'post',
    },
    oembed: null,
  },
];

const BY_ID = new Map(PROVIDERS.map((p) => [p.id, p]));

/** The provider with this id. */
export function providerById(id: EmbedProviderId): EmbedProvider {
  const provider = BY_ID.get(id);
  if (!provider) throw new Error(`No embed provider "${id}"`);
  return provider;
}

export interface Recognised {
  provider: EmbedProvider;
  parts: EmbedParts;
}

/**
 * The provider of a post's address and the parts its player is built from, or null. Only
 * https on the provider's own hosts, no credentials, no port, and a path of a known shape.
 */
export function recognise(address: string): Recognised | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return null;
  const provider = PROVIDERS.find((p) => p.hosts.includes(url.hostname));
  const parts = provider?.match(url);
  return provider && parts ? { provider, parts } : null;
}

/** Every origin a reader page may frame: the players of every provider, exactly. */
export function playerOrigins(): string[] {
  return [...new Set(PROVIDERS.flatMap((p) => (p.player ? [p.player.origin] : [])))];
}

/** The names readers know the providers by, for error messages. */
export const PROVIDER_LIST = PROVIDERS.map((p) => p.name).join(', ');
