import type { TextFormatSettings } from '../domain/page.ts';
import { render } from '../formats/bbc-text/index.ts';
import type { ServiceDeps } from './deps.ts';
import { findPage } from './pages.ts';
import { listPostPage } from './posts.ts';

/**
 * Page N of a live page (20 posts) in the BBC live-page text format, written as the page's
 * text settings say, unless `overrides` says otherwise.
 */
export async function exportPageText(
  deps: ServiceDeps,
  slug: string,
  pageNumber = 1,
  overrides: Partial<TextFormatSettings> = {},
): Promise<string> {
  const page = await findPage(deps.store, slug);
  const { posts } = await listPostPage(deps, slug, pageNumber);
  return render({
    summary: page.summary,
    leadMedia: page.leadMedia,
    timeZone: page.timeZone,
    textFormat: { ...page.textFormat, ...overrides },
    posts,
    pageNumber,
  });
}
