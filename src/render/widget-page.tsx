import type { ComponentChildren } from 'preact';
import type { LivePage } from '../domain/page.ts';
import type { Post } from '../domain/post.ts';
import { renderDocument } from './html.ts';
import { documentTitle } from './layout.tsx';
import { PostArticle } from './post-article.tsx';
import { liveBodyData, Stream } from './reader-page.tsx';
import { CoverageNotice, StatusBadge } from './status.tsx';
import { absoluteUrl, livePath, postPath } from './urls.ts';

/** The embed view's own stylesheet and script (src/http/reader/widget-assets.ts). */
export interface WidgetAssetUrls {
  css: string;
  script: string;
}

/**
 * The frame of every embed view: light (its own small stylesheet, no masthead or footer), not
 * indexed (the live page is the canonical one), and every link opens outside the frame, so a
 * post's permalink never loads inside the partner's page.
 */
function WidgetDocument(props: {
  title: string;
  canonical: string;
  assets: WidgetAssetUrls;
  bodyData?: Record<`data-${string}`, string>;
  children: ComponentChildren;
}) {
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{documentTitle(props.title)}</title>
        <meta name="robots" content="noindex" />
        <link rel="canonical" href={props.canonical} />
        <base target="_blank" />
        <link rel="stylesheet" href={props.assets.css} />
        <link rel="icon" href="data:," />
        <script src={props.assets.script} defer />
      </head>
      <body class="widget" {...props.bodyData}>
        <div id="widget" class="widget__frame">
          {props.children}
        </div>
      </body>
    </html>
  );
}

/** The link under every embed to the whole coverage on the site. */
function MoreLink({ href }: { href: string }) {
  return (
    <p class="widget__more">
      <a href={href}>Follow the full coverage on Liveline</a>
    </p>
  );
}

export interface WidgetPageInput {
  page: LivePage;
  /** Page 1 of the posts: pinned first, then newest first. */
  posts: readonly Post[];
  pageCount: number;
  baseUrl: string;
  assets: WidgetAssetUrls;
}

/**
 * `/live/{slug}/embed`: the newest posts of a live page, made live by the same script and
 * the same event stream as the reader page (the element ids the live script looks for are
 * the reader page's), and readable without it.
 */
export function renderWidgetPage(input: WidgetPageInput): string {
  const { page, posts, baseUrl } = input;
  const canonical = absoluteUrl(baseUrl, livePath(page.slug));
  return renderDocument(
    <WidgetDocument
      title={page.title}
      canonical={canonical}
      assets={input.assets}
      bodyData={liveBodyData(page, 'stream', 1, input.pageCount)}
    >
      <header class="widget__header">
        <p class="widget__status" id="page-status">
          <StatusBadge status={page.status} />
        </p>
        <h1 class="widget__title">
          <a id="page-title" href={canonical}>
            {page.title}
          </a>
        </h1>
      </header>
      <div id="coverage-notice" class="coverage-slot">
        <CoverageNotice page={page} />
      </div>
      <Stream page={page} posts={posts} pageNumber={1} />
      <MoreLink href={canonical} />
      <div id="announcer" class="visually-hidden" aria-live="polite" aria-atomic="true"></div>
    </WidgetDocument>,
  );
}

/** `/live/{slug}/posts/{id}/embed`: one post as a card, linking to its live page. */
export function renderWidgetPostPage(input: {
  page: LivePage;
  post: Post;
  baseUrl: string;
  assets: WidgetAssetUrls;
}): string {
  const { page, post, baseUrl } = input;
  return renderDocument(
    <WidgetDocument
      title={post.headline || page.title}
      canonical={absoluteUrl(baseUrl, postPath(page.slug, post.id))}
      assets={input.assets}
    >
      <p class="widget__title widget__title--small">
        <a href={absoluteUrl(baseUrl, livePath(page.slug))}>{page.title}</a>
      </p>
      <div id="posts" class="stream__posts">
        <PostArticle page={page} post={post} />
      </div>
      <MoreLink href={absoluteUrl(baseUrl, livePath(page.slug))} />
    </WidgetDocument>,
  );
}
