import { renderDocument } from './html.ts';
import { Document, type Assets } from './layout.tsx';

/** What the server gives the 404 page. */
export interface NotFoundPageInput {
  message: string;
  assets: Assets;
}

/** A real 404 page in the site's frame (the server sends it with status 404). */
export function renderNotFoundPage(input: NotFoundPageInput): string {
  return renderDocument(
    <Document
      head={{ title: 'Page not found', description: input.message, ogType: 'website' }}
      assets={input.assets}
      withScript={false}
      bodyClass="not-found"
    >
      <h1>Page not found</h1>
      <p>{input.message}</p>
      <p>
        <a href="/">See all live coverage</a>
      </p>
    </Document>,
  );
}
