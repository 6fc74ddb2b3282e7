import { Feed } from 'feed';
import type { Body } from '../domain/blocks.ts';
import type { LivePage } from '../domain/page.ts';
import type { Post } from '../domain/post.ts';
import { BodyView } from './blocks.tsx';
import { renderFragment } from './html.ts';
import { postSummary } from './text.ts';
import { latestInstant } from './time.ts';
import { absoluteUrl, feedPath, livePath, postPath, safeMediaSrc } from './urls.ts';

/** What the server gives the feed. */
export interface AtomFeedInput {
  page: LivePage;
  /** The newest posts, newest first. */
  posts: Post[];
  baseUrl: string;
}

/** Characters XML 1.0 forbids; a stray control character would make the whole feed invalid. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '');
}

/** Escape text for an Atom `type="html"` element (the `feed` package wraps those in CDATA). */
function htmlText(text: string): string {
  return xmlText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Media paths made absolute, since a feed reader does not know our host. */
function absoluteMedia(body: Body, baseUrl: string): Body {
  return body.map((block) => {
    if (block.type !== 'image' && block.type !== 'video') return block;
    const src = safeMediaSrc(block.src);
    return src === null ? block : { ...block, src: absoluteUrl(baseUrl, src) };
  });
}

/** The Atom 1.0 feed of a live page: one entry per post, its id the post's permalink. */
export function renderAtomFeed(input: AtomFeedInput): string {
  const { page, posts, baseUrl } = input;
  const pageUrl = absoluteUrl(baseUrl, livePath(page.slug));
  const feed = new Feed({
    id: pageUrl,
    title: xmlText(page.title),
    description: xmlText(page.description),
    link: pageUrl,
    feed: absoluteUrl(baseUrl, feedPath(page.slug)),
    language: 'en-GB',
    updated: new Date(latestInstant(page.updatedAt, ...posts.map((post) => post.updatedAt))),
    generator: 'Liveline',
    author: { name: 'Liveline' },
  });
  for (const post of posts) {
    const url = absoluteUrl(baseUrl, postPath(page.slug, post.id));
    const content = renderFragment(<BodyView body={absoluteMedia(post.body, baseUrl)} />);
    feed.addItem({
      id: url,
      link: url,
      title: htmlText(post.headline),
      date: new Date(post.updatedAt),
      published: new Date(post.publishedAt),
      description: htmlText(postSummary(post, 300)),
      content: xmlText(content),
      author: post.contributors.map((person) => ({ name: xmlText(person.name) })),
      category: post.labels.map((label) => ({ term: label })),
    });
  }
  return feed.atom1();
}
