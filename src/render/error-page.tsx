import { renderDocument } from './html.ts';
import { Document, type Assets } from './layout.tsx';

/** What the server gives an error page: a heading and a sentence for a reader, no internals. */
export interface ErrorPageInput {
  title: string;
  message: string;
  assets: Assets;
}

/**
 * A reader's error page in the site's frame (the server sends it with the error's status):
 * what went wrong in plain words and the way back, never codes, JSON or a stack.
 */
export function renderErrorPage(input: ErrorPageInput): string {
  return renderDocument(
    <Document
      head={{ title: input.title, description: input.message, ogType: 'website' }}
      assets={input.assets}
      withScript={false}
      bodyClass="not-found"
    >
      <h1>{input.title}</h1>
      <p>{input.message}</p>
      <p>
        <a href="/">See all live coverage</a>
      </p>
    </Document>,
  );
}
