import { renderErrorPage } from './error-page.tsx';
import type { Assets } from './layout.tsx';

/** What the server gives the 404 page. */
export interface NotFoundPageInput {
  message: string;
  assets: Assets;
}

/** A real 404 page in the site's frame (the server sends it with status 404). */
export function renderNotFoundPage(input: NotFoundPageInput): string {
  return renderErrorPage({ title: 'Page not found', ...input });
}
