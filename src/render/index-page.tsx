import type { ListedPage } from '../domain/page.ts';
import { renderDocument } from './html.ts';
import { Document, type Assets } from './layout.tsx';
import { StatusBadge } from './status.tsx';
import { formatPostTime, isoInstant } from './time.ts';
import { absoluteUrl, livePath } from './urls.ts';

/** What the server gives the front page. */
export interface IndexPageInput {
  /** Each page with the time of its newest post. */
  pages: ListedPage[];
  baseUrl: string;
  assets: Assets;
}

function PageCard({ page, lastUpdated }: ListedPage) {
  return (
    <li class="page-card">
      <p class="page-card__status">
        <StatusBadge status={page.status} />
      </p>
      <h2 class="page-card__title">
        <a href={livePath(page.slug)}>{page.title}</a>
      </h2>
      {page.description ? <p class="page-card__description">{page.description}</p> : null}
      <p class="page-card__updated">
        Last updated{' '}
        <time datetime={isoInstant(lastUpdated)}>{formatPostTime(lastUpdated, page.timeZone)}</time>
      </p>
    </li>
  );
}

/** The front page `/`: every live page, in the order given (the services' `listFrontPage`). */
export function renderIndexPage(input: IndexPageInput): string {
  const { pages } = input;
  return renderDocument(
    <Document
      head={{
        title: 'Live coverage',
        description: 'Live pages: the latest updates as the stories unfold.',
        canonical: absoluteUrl(input.baseUrl, '/'),
        ogType: 'website',
      }}
      assets={input.assets}
      withScript={false}
      bodyClass="index"
    >
      <h1 class="index__title">Live coverage</h1>
      {pages.length === 0 ? (
        <p>There is no live coverage at the moment.</p>
      ) : (
        <ul class="page-list">
          {pages.map((listed) => (
            <PageCard key={listed.page.id} {...listed} />
          ))}
        </ul>
      )}
    </Document>,
  );
}
