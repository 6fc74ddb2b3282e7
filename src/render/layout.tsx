import type { ComponentChildren } from 'preact';
import { serialiseJsonLd } from './json-ld.ts';

/** The URLs of the stylesheet and the reader script; the server decides where they live. */
export interface Assets {
  css: string;
  script: string;
}

/** What the `<head>` says about the document to browsers, search engines and link previews. */
export interface HeadInfo {
  title: string;
  description: string;
  /** Absolute URL. */
  canonical?: string;
  /** Open Graph type: "article" for live pages and posts, "website" for the index. */
  ogType?: 'article' | 'website';
  /** Absolute URL of a preview picture. */
  image?: string | null;
  imageAlt?: string;
  /** Root-relative URL of the page's Atom feed. */
  feed?: { href: string; title: string };
  jsonLd?: unknown;
  /** Absolute URL of the oEmbed answer for this page (discovery, ADR 0024). */
  oembed?: string;
}

const SITE_NAME = 'Liveline';

function SocialMeta({ head }: { head: HeadInfo }) {
  const image = head.image ?? null;
  return (
    <>
      <meta property="og:site_name" content={SITE_NAME} />
      <meta property="og:locale" content="en_GB" />
      <meta property="og:type" content={head.ogType ?? 'article'} />
      <meta property="og:title" content={head.title} />
      <meta property="og:description" content={head.description} />
      {head.canonical ? <meta property="og:url" content={head.canonical} /> : null}
      {image ? <meta property="og:image" content={image} /> : null}
      {image && head.imageAlt ? <meta property="og:image:alt" content={head.imageAlt} /> : null}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={head.title} />
      <meta name="twitter:description" content={head.description} />
      {image ? <meta name="twitter:image" content={image} /> : null}
    </>
  );
}

/**
 * The HTML frame of every reader page. No inline script, style or event handler, so the
 * pages run under `script-src 'self'; style-src 'self'`; the JSON-LD block is data, not script.
 */
export function Document(props: {
  head: HeadInfo;
  assets: Assets;
  /** Include the live script (only pages that carry the body data attributes need it). */
  withScript: boolean;
  bodyClass: string;
  bodyData?: Record<`data-${string}`, string>;
  children: ComponentChildren;
}) {
  const { head, assets } = props;
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{documentTitle(head.title)}</title>
        <meta name="description" content={head.description} />
        {head.canonical ? <link rel="canonical" href={head.canonical} /> : null}
        {head.feed ? (
          <link
            rel="alternate"
            type="application/atom+xml"
            href={head.feed.href}
            title={head.feed.title}
          />
        ) : null}
        {head.oembed ? (
          <link
            rel="alternate"
            type="application/json+oembed"
            href={head.oembed}
            title={head.title}
          />
        ) : null}
        <SocialMeta head={head} />
        <link rel="stylesheet" href={assets.css} />
        {/* No favicon yet: an empty one spares every page a 404 request. */}
        <link rel="icon" href="data:," />
        {props.withScript ? <script src={assets.script} defer /> : null}
        {head.jsonLd === undefined ? null : (
          <script
            type="application/ld+json"
            dangerouslySetInnerHTML={{ __html: serialiseJsonLd(head.jsonLd) }}
          />
        )}
      </head>
      <body class={props.bodyClass} {...props.bodyData}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="masthead">
          <a class="masthead__brand" href="/">
            {SITE_NAME}
          </a>
        </header>
        <main id="main" class="main" tabIndex={-1}>
          {props.children}
        </main>
        <footer class="site-footer">
          <p>
            {head.feed ? (
              <>
                <a href={head.feed.href}>Atom feed of this page</a>
                {' · '}
              </>
            ) : null}
            <a href="/">All live pages</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

/** The document title a live page carries, so the live script can keep it in step. */
export function documentTitle(title: string): string {
  return `${title} - ${SITE_NAME}`;
}
