import { UNKNOWN_LINK_HREF } from '../domain/blocks.ts';
/**
 * Every address the reader pages link to, in one place, and the last line of defence on
 * links and media: the domain schemas already restrict them, these checks hold even if a
 * value arrives by another path (an import, an old row).
 */

/** `/live/{slug}` — page 1 of a live page has no `?page=` so it has one cacheable URL. */
export function livePath(slug: string): string {
  return `/live/${encodeURIComponent(slug)}`;
}

/** `/live/{slug}?page=N`, or the bare live path for page 1. */
export function pagePath(slug: string, pageNumber: number): string {
  return pageNumber <= 1 ? livePath(slug) : `${livePath(slug)}?page=${pageNumber}`;
}

/** `/live/{slug}/posts/{id}` — the permalink of one post. */
export function postPath(slug: string, postId: string): string {
  return `${livePath(slug)}/posts/${encodeURIComponent(postId)}`;
}

/** `/live/{slug}/feed.xml` — the Atom feed. */
export function feedPath(slug: string): string {
  return `${livePath(slug)}/feed.xml`;
}

/** `/live/{slug}/events` — the Server-Sent Events stream. */
export function eventsPath(slug: string): string {
  return `${livePath(slug)}/events`;
}

/** Where a reader page reports the delays it saw (ADR 0017). */
export function latencyPath(slug: string): string {
  return `${livePath(slug)}/latency`;
}

/** The element id of a post's article; the live script finds and de-duplicates by it. */
export function postElementId(postId: string): string {
  return `post-${postId}`;
}

/** `baseUrl` + a root-relative path, without a doubled slash. */
export function absoluteUrl(baseUrl: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

const SAFE_LINK = /^(https?:\/\/|mailto:)[^\s\\]+$/i;
/** A root-relative path must not start with `//` or `/\`, which browsers read as another host. */
const SAFE_MEDIA = /^(https?:\/\/|\/(?![/\\]))[^\s\\]+$/i;

/**
 * The href if it is http(s) or mailto, else null: anything else, and a link whose destination
 * is unknown (imported from text), is rendered as plain text.
 */
export function safeLinkHref(href: string): string | null {
  return SAFE_LINK.test(href) && href !== UNKNOWN_LINK_HREF ? href : null;
}

/** The media src if it is http(s) or a same-site path, else null (rendered as a description). */
export function safeMediaSrc(src: string | undefined): string | null {
  return src !== undefined && SAFE_MEDIA.test(src) ? src : null;
}

/** A safe media src made absolute (for feeds and Open Graph), or null. */
export function absoluteMediaSrc(baseUrl: string, src: string | undefined): string | null {
  const safe = safeMediaSrc(src);
  return safe === null ? null : absoluteUrl(baseUrl, safe);
}

/** `/live/{slug}/embed` or `/live/{slug}/posts/{id}/embed`: the embeddable widget's views. */
export function widgetPath(slug: string, postId: string | null = null): string {
  return `${postId === null ? livePath(slug) : postPath(slug, postId)}/embed`;
}

/** `/oembed?url=...&format=json`: the oEmbed answer for a live page or post (absolute). */
export function oembedPath(url: string): string {
  return `/oembed?url=${encodeURIComponent(url)}&format=json`;
}

/** Push alerts of a live page: its VAPID key (GET), subscribe (POST), unsubscribe (DELETE). */
export function alertsPath(slug: string): string {
  return `${livePath(slug)}/alerts`;
}
