import type { LivePage } from '../domain/page.ts';
import type { Contributor, Post } from '../domain/post.ts';
import { postTime, type PageDates } from './page-dates.ts';
import { postPlainText } from './text.ts';
import { absoluteUrl, livePath, postPath } from './urls.ts';

/**
 * schema.org `LiveBlogPosting` for search engines
 * (https://developers.google.com/search/docs/appearance/structured-data/article and
 * https://schema.org/LiveBlogPosting): the page, with one `BlogPosting` per post shown.
 */

type JsonLd = Record<string, unknown>;

const PUBLISHER: JsonLd = { '@type': 'Organization', name: 'Liveline' };

/** The post's contributors, or the newsroom itself for a desk post with no byline. */
function people(contributors: readonly Contributor[]): JsonLd[] {
  if (contributors.length === 0) return [PUBLISHER];
  return contributors.map((person) => ({
    '@type': 'Person',
    name: person.name,
    ...(person.role ? { jobTitle: person.role } : {}),
  }));
}

/** One post as a schema.org `BlogPosting` whose `@id` is its absolute permalink. */
export function blogPostingJsonLd(page: LivePage, post: Post, baseUrl: string): JsonLd {
  const url = absoluteUrl(baseUrl, postPath(page.slug, post.id));
  return {
    '@type': 'BlogPosting',
    '@id': url,
    url,
    headline: post.headline,
    datePublished: post.publishedAt,
    dateModified: postTime(post),
    author: people(post.contributors),
    articleBody: postPlainText(post),
    ...(post.corrections.length > 0 && {
      correction: post.corrections.map((c) => ({
        '@type': 'CorrectionComment',
        text: c.note,
        datePublished: c.at,
      })),
    }),
  };
}

/** The live page as a schema.org `LiveBlogPosting` with the given posts as updates. */
export function liveBlogJsonLd(
  page: LivePage,
  posts: readonly Post[],
  baseUrl: string,
  dates: PageDates,
): JsonLd {
  const url = absoluteUrl(baseUrl, livePath(page.slug));
  return {
    '@context': 'https://schema.org',
    '@type': 'LiveBlogPosting',
    '@id': url,
    url,
    headline: page.title,
    description: page.description,
    inLanguage: 'en-GB',
    publisher: PUBLISHER,
    // The story's dates, from the posts (page-dates.ts), not when the rows were written.
    datePublished: dates.coverageStart ?? page.createdAt,
    dateModified: dates.lastUpdated,
    ...(dates.coverageStart ? { coverageStartTime: dates.coverageStart } : {}),
    ...(dates.coverageEnd ? { coverageEndTime: dates.coverageEnd } : {}),
    liveBlogUpdate: posts.map((post) => blogPostingJsonLd(page, post, baseUrl)),
  };
}

/**
 * JSON safe to place inside `<script type="application/ld+json">`: `<`, `>` and `&` become
 * \u escapes so no "</script" or "<!--" can appear, and U+2028/U+2029 are escaped for old
 * JavaScript parsers. The result is still the same JSON value.
 */
export function serialiseJsonLd(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => {
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
