import { LivelineError } from '../../domain/errors.ts';
import type { LivePage } from '../../domain/page.ts';
import type { Post } from '../../domain/post.ts';
import { absoluteUrl, widgetPath } from '../../render/urls.ts';
import { renderWidgetSnippet } from '../../render/widget-snippet.tsx';

/** The frame's size when the consumer sets no bound: a column of a news site. */
export const WIDGET_SIZE = {
  live: { width: 480, height: 640 },
  post: { width: 480, height: 360 },
};

/** oEmbed answers 501 for a format the provider does not offer (oembed.com, section 2.3.4). */
export function requireJson(format: string | undefined): void {
  if (format === undefined || format === 'json') return;
  throw new LivelineError(
    'OEMBED_FORMAT_NOT_JSON',
    `format=${format} is not offered; ask for format=json.`,
  );
}

/**
 * The oEmbed answer (type `rich`) for a live page or a published post: `html` is the widget
 * snippet, the size the default bounded by `maxwidth` and `maxheight`.
 */
export function presentOEmbed(input: {
  page: LivePage;
  post: Post | null;
  query: { maxwidth?: number; maxheight?: number };
  publicUrl: string;
}) {
  const { page, post, query, publicUrl } = input;
  const size = post ? WIDGET_SIZE.post : WIDGET_SIZE.live;
  const width = Math.min(size.width, query.maxwidth ?? size.width);
  const height = Math.min(size.height, query.maxheight ?? size.height);
  const title = post ? post.headline : page.title;
  return {
    version: '1.0',
    type: 'rich',
    provider_name: 'Liveline',
    provider_url: `${publicUrl}/`,
    title,
    width,
    height,
    cache_age: 300,
    html: renderWidgetSnippet({
      src: absoluteUrl(publicUrl, widgetPath(page.slug, post?.id ?? null)),
      title: post ? `${page.title}: ${post.headline}` : `${page.title}: live coverage`,
      width,
      height,
      scriptSrc: absoluteUrl(publicUrl, '/widget.js'),
    }),
  };
}
