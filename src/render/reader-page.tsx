import type { LivePage } from '../domain/page.ts';
import type { Post } from '../domain/post.ts';
import { renderDocument } from './html.ts';
import { liveBlogJsonLd } from './json-ld.ts';
import { Document, type Assets, type HeadInfo } from './layout.tsx';
import { PageHeader } from './page-header.tsx';
import { Pagination } from './pagination.tsx';
import { PostArticle } from './post-article.tsx';
import { pageDates } from './page-dates.ts';
import {
  absoluteMediaSrc,
  absoluteUrl,
  alertsPath,
  eventsPath,
  feedPath,
  livePath,
  oembedPath,
  pagePath,
} from './urls.ts';

/** What the server gives the reader page. */
export interface ReaderPageInput {
  page: LivePage;
  /** The posts of this page, already in order: pinned first on page 1, then newest first. */
  posts: Post[];
  pageNumber: number;
  pageCount: number;
  total: number;
  /**
   * More posts of the page for its dates (page-dates.ts), when `posts` lack them: page 1 (the
   * newest) and the last page (the oldest).
   */
  datePosts?: readonly Post[];
  /** e.g. "http://localhost:3000", for absolute URLs in meta tags. */
  baseUrl: string;
  assets: Assets;
}

/** The `<head>` facts shared by the live page and a post's page. */
export function pageHeadInfo(page: LivePage, baseUrl: string): HeadInfo {
  const media = page.leadMedia;
  const image = media?.kind === 'image' ? absoluteMediaSrc(baseUrl, media.src) : null;
  return {
    title: page.title,
    description: page.description,
    canonical: absoluteUrl(baseUrl, livePath(page.slug)),
    ogType: 'article',
    image,
    imageAlt: media?.alt ?? '',
    feed: { href: feedPath(page.slug), title: `${page.title} (Atom feed)` },
    oembed: absoluteUrl(baseUrl, oembedPath(absoluteUrl(baseUrl, livePath(page.slug)))),
  };
}

/** The data attributes the live script reads from `<body>`. */
export function liveBodyData(
  page: LivePage,
  view: 'stream' | 'post',
  pageNumber: number,
  pageCount: number,
): Record<`data-${string}`, string> {
  return {
    'data-slug': page.slug,
    'data-last-seq': String(page.lastSeq),
    'data-page-number': String(pageNumber),
    'data-page-count': String(Math.max(1, pageCount)),
    'data-view': view,
    'data-time-zone': page.timeZone,
    'data-events-url': eventsPath(page.slug),
    'data-live-url': livePath(page.slug),
    'data-alerts-url': alertsPath(page.slug),
  };
}

/** The stream: the "N new posts" button, the articles, and a notice for later pages. */
export function Stream(props: { page: LivePage; posts: readonly Post[]; pageNumber: number }) {
  const { page, posts, pageNumber } = props;
  return (
    <section id="stream" class="stream" aria-labelledby="stream-heading">
      <h2 id="stream-heading" class="visually-hidden">
        Live reporting{pageNumber > 1 ? `, page ${pageNumber}` : ''}
      </h2>
      {pageNumber <= 1 ? (
        <button type="button" id="new-posts" class="new-posts" hidden>
          New posts
        </button>
      ) : (
        <p id="newer-notice" class="newer-notice" hidden>
          <a href={livePath(page.slug)}>New posts on page 1</a>
        </p>
      )}
      <div id="posts" class="stream__posts">
        {posts.map((post) => (
          <PostArticle key={post.id} page={page} post={post} />
        ))}
      </div>
      {posts.length === 0 ? (
        <p id="stream-empty" class="stream__empty">
          No posts yet. New posts will appear here.
        </p>
      ) : null}
    </section>
  );
}

/** The live page `/live/{slug}?page=N` as a full HTML document. */
export function renderReaderPage(input: ReaderPageInput): string {
  const { page, posts, pageNumber, baseUrl } = input;
  const dates = pageDates(page, [...posts, ...(input.datePosts ?? [])]);
  const head: HeadInfo = {
    ...pageHeadInfo(page, baseUrl),
    canonical: absoluteUrl(baseUrl, pagePath(page.slug, pageNumber)),
    jsonLd: liveBlogJsonLd(page, posts, baseUrl, dates),
  };
  return renderDocument(
    <Document
      head={head}
      assets={input.assets}
      withScript
      bodyClass="reader"
      bodyData={{
        ...liveBodyData(page, 'stream', pageNumber, input.pageCount),
        // Catch-up "since your last visit" runs on the live page only (web/reader/catch-up.ts).
        'data-catch-up': 'on',
      }}
    >
      <PageHeader page={page} dates={dates} alertsSlot />
      <Stream page={page} posts={posts} pageNumber={pageNumber} />
      <Pagination
        slug={page.slug}
        pageNumber={pageNumber}
        pageCount={input.pageCount}
        total={input.total}
      />
      <div id="announcer" class="visually-hidden" aria-live="polite" aria-atomic="true"></div>
    </Document>,
  );
}
