import { pagePath } from './urls.ts';

/** "Newer" and "Older" links around "Page 2 of 7"; page 1 is the newest. */
export function Pagination(props: {
  slug: string;
  pageNumber: number;
  pageCount: number;
  total: number;
}) {
  const pageCount = Math.max(1, props.pageCount);
  const pageNumber = Math.min(Math.max(1, props.pageNumber), pageCount);
  return (
    <nav class="pagination" aria-label="Pages of posts">
      {pageNumber > 1 ? (
        <a
          class="pagination__link pagination__link--newer"
          href={pagePath(props.slug, pageNumber - 1)}
          rel="prev"
        >
          Newer<span class="visually-hidden"> posts</span>
        </a>
      ) : null}
      <p class="pagination__status">
        Page {pageNumber} of {pageCount}
        <span class="pagination__total">
          {' '}
          ({props.total} {props.total === 1 ? 'post' : 'posts'})
        </span>
      </p>
      {pageNumber < pageCount ? (
        <a
          class="pagination__link pagination__link--older"
          href={pagePath(props.slug, pageNumber + 1)}
          rel="next"
        >
          Older<span class="visually-hidden"> posts</span>
        </a>
      ) : null}
    </nav>
  );
}
