import { LivelineError } from '../domain/errors.ts';
import { ID_PATTERN } from '../domain/ids.ts';
import { LIMITS } from '../domain/limits.ts';
import { SLUG_PATTERN } from '../domain/page.ts';
import type { LivePage } from '../domain/page.ts';
import type { Post } from '../domain/post.ts';
import type { ServiceDeps } from './deps.ts';
import { findPage } from './pages.ts';
import { findPost } from './posts.ts';

const bad = (why: string) => new LivelineError('OEMBED_URL_INVALID', `url: ${why}`);
const SLUG = new RegExp(SLUG_PATTERN);
const ID = new RegExp(ID_PATTERN);

/**
 * The live page (and post) an address names: `{PUBLIC_URL}/live/{slug}` (any `?page=`) or
 * `{PUBLIC_URL}/live/{slug}/posts/{id}`. Anything else is refused, naming what is wrong.
 */
export function widgetTarget(
  url: string,
  publicUrl: string,
): { slug: string; postId: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw bad(`"${url.slice(0, 100)}" is not an absolute URL.`);
  }
  const site = new URL(publicUrl);
  if (parsed.origin !== site.origin)
    throw bad(`${parsed.origin} is not this site (${site.origin}).`);
  // A PUBLIC_URL with a path (https://example.org/news) puts the pages under it.
  const prefix = site.pathname.replace(/\/+$/, '');
  const path = parsed.pathname.startsWith(`${prefix}/`)
    ? parsed.pathname.slice(prefix.length)
    : parsed.pathname;
  // An http(s) path always starts with "/" (and so does what is left after the prefix): the
  // first part is always empty.
  const parts = path.replace(/\/+$/, '').split('/');
  const [, live, slug = '', posts, id, ...rest] = parts;
  const isPost = posts === 'posts' && id !== undefined && rest.length === 0;
  if (
    live !== 'live' ||
    !(posts === undefined || isPost) ||
    slug.length > LIMITS.slug ||
    !SLUG.test(slug) ||
    (isPost && !ID.test(id))
  ) {
    throw bad(`${path} is not a live page (/live/{slug}) or a post (/live/{slug}/posts/{id}).`);
  }
  return { slug, postId: isPost ? id : null };
}

/**
 * The live page, and the published post, an address names for oEmbed: an unknown page or
 * post is PAGE_NOT_FOUND / POST_NOT_FOUND, an address that names neither OEMBED_URL_INVALID.
 */
export async function findEmbedded(
  deps: ServiceDeps,
  url: string,
  publicUrl: string,
): Promise<{ page: LivePage; post: Post | null }> {
  const target = widgetTarget(url, publicUrl);
  const page = await findPage(deps.store, target.slug);
  const post = target.postId === null ? null : await findPost(deps, page.slug, target.postId, null);
  return { page, post };
}
