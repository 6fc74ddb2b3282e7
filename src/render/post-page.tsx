import type { LivePage } from '../domain/page.ts';
import type { Post } from '../domain/post.ts';
import { renderDocument } from './html.ts';
import { blogPostingJsonLd } from './json-ld.ts';
import { Document, type Assets, type HeadInfo } from './layout.tsx';
import { PageHeader } from './page-header.tsx';
import { PostArticle } from './post-article.tsx';
import { pageDates } from './page-dates.ts';
import { liveBodyData, pageHeadInfo } from './reader-page.tsx';
import { postSummary } from './text.ts';
import { absoluteMediaSrc, absoluteUrl, livePath, oembedPath, postPath } from './urls.ts';

/** What the server gives a post's own page. */
export interface PostPageInput {
  page: LivePage;
  post: Post;
  /** More posts of the page for its dates (page-dates.ts): page 1 and the last page. */
  datePosts?: readonly Post[];
  baseUrl: string;
  assets: Assets;
}

/** The post's first picture, for link previews. */
function firstImage(post: Post, baseUrl: string): { src: string; alt: string } | null {
  for (const block of post.body) {
    if (block.type !== 'image') continue;
    const src = absoluteMediaSrc(baseUrl, block.src);
    if (src !== null) return { src, alt: block.alt };
  }
  return null;
}

/** The permalink page `/live/{slug}/posts/{id}`: the page's frame around that one post. */
export function renderPostPage(input: PostPageInput): string {
  const { page, post, baseUrl } = input;
  const canonical = absoluteUrl(baseUrl, postPath(page.slug, post.id));
  const pageHead = pageHeadInfo(page, baseUrl);
  const picture = firstImage(post, baseUrl);
  const head: HeadInfo = {
    ...pageHead,
    title: post.headline,
    description: postSummary(post),
    canonical,
    oembed: absoluteUrl(baseUrl, oembedPath(canonical)),
    image: picture?.src ?? pageHead.image ?? null,
    imageAlt: picture?.alt ?? pageHead.imageAlt ?? '',
    jsonLd: {
      '@context': 'https://schema.org',
      ...blogPostingJsonLd(page, post, baseUrl),
      isPartOf: { '@type': 'LiveBlogPosting', '@id': pageHead.canonical, headline: page.title },
    },
  };
  return renderDocument(
    <Document
      head={head}
      assets={input.assets}
      withScript
      bodyClass="reader reader--post"
      bodyData={liveBodyData(page, 'post', 1, 1)}
    >
      <PageHeader page={page} dates={pageDates(page, [post, ...(input.datePosts ?? [])])} />
      <p class="back-link">
        <a href={livePath(page.slug)}>Back to the live page</a>
      </p>
      <section id="stream" class="stream" aria-labelledby="stream-heading">
        <h2 id="stream-heading" class="visually-hidden">
          One post from the live page
        </h2>
        <p id="newer-notice" class="newer-notice" hidden>
          <a href={livePath(page.slug)}>New posts on the live page</a>
        </p>
        <div id="posts" class="stream__posts">
          <PostArticle page={page} post={post} />
        </div>
      </section>
      <p class="back-link">
        <a href={livePath(page.slug)}>See all the posts on the live page</a>
      </p>
      <div id="announcer" class="visually-hidden" aria-live="polite" aria-atomic="true"></div>
    </Document>,
  );
}
