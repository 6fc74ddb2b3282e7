import type { Body } from '../domain/blocks.ts';
import type { LivePage } from '../domain/page.ts';
import type { Post } from '../domain/post.ts';
import { BodyView } from './blocks.tsx';
import { CorrectionNotes } from './corrections.tsx';
import { renderFragment } from './html.ts';
import { postSummary } from './text.ts';
import { isoInstant, latestInstant } from './time.ts';
import { absoluteUrl, feedPath, livePath, postPath, safeMediaSrc } from './urls.ts';
import { element, xmlDocument } from './xml.ts';

/** What the server gives the feed. */
export interface AtomFeedInput {
  page: LivePage;
  /** The newest posts, newest first. */
  posts: Post[];
  baseUrl: string;
}

/** Media paths made absolute, since a feed reader does not know our host. */
function absoluteMedia(body: Body, baseUrl: string): Body {
  return body.map((block) => {
    if (block.type !== 'image' && block.type !== 'video') return block;
    const src = safeMediaSrc(block.src);
    const withSrc = src === null ? block : { ...block, src: absoluteUrl(baseUrl, src) };
    if (withSrc.type !== 'video') return withSrc;
    const poster = safeMediaSrc(withSrc.poster);
    return poster === null ? withSrc : { ...withSrc, poster: absoluteUrl(baseUrl, poster) };
  });
}

const author = (name: string) => element('author', {}, element('name', {}, name));

/** One post as an Atom entry: its id the absolute permalink, its body as escaped HTML. */
function entry(page: LivePage, post: Post, baseUrl: string) {
  const url = absoluteUrl(baseUrl, postPath(page.slug, post.id));
  // The body's HTML is the text of a type="html" element: escaped once, like any text.
  // Corrections follow the text as on the page; a correction's time is the entry's <updated>.
  const content = renderFragment(
    <>
      <BodyView body={absoluteMedia(post.body, baseUrl)} />
      <CorrectionNotes corrections={post.corrections} timeZone={page.timeZone} />
    </>,
  );
  return element(
    'entry',
    {},
    element('title', { type: 'text' }, post.headline),
    element('id', {}, url),
    element('link', { href: url }),
    element('updated', {}, isoInstant(post.updatedAt)),
    element('published', {}, isoInstant(post.publishedAt)),
    element('summary', { type: 'text' }, postSummary(post, 300)),
    element('content', { type: 'html' }, content),
    ...post.contributors.map((person) => author(person.name)),
    ...post.labels.map((label) => element('category', { term: label })),
  );
}

/** The Atom 1.0 feed (RFC 4287) of a live page: one entry per post. */
export function renderAtomFeed(input: AtomFeedInput): string {
  const { page, posts, baseUrl } = input;
  const pageUrl = absoluteUrl(baseUrl, livePath(page.slug));
  const updated = latestInstant(page.updatedAt, ...posts.map((post) => post.updatedAt));
  return xmlDocument(
    element(
      'feed',
      { xmlns: 'http://www.w3.org/2005/Atom' },
      element('id', {}, pageUrl),
      element('title', { type: 'text' }, page.title),
      page.description ? element('subtitle', { type: 'text' }, page.description) : null,
      element('updated', {}, isoInstant(updated)),
      element('generator', {}, 'Liveline'),
      // Entries without a byline fall back to the feed's author, as Atom allows.
      author('Liveline'),
      element('link', { rel: 'alternate', type: 'text/html', href: pageUrl }),
      element('link', { rel: 'self', href: absoluteUrl(baseUrl, feedPath(page.slug)) }),
      ...posts.map((post) => entry(page, post, baseUrl)),
    ),
  );
}
