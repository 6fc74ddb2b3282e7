import { Fragment } from 'preact';
import type { LivePage } from '../domain/page.ts';
import { normaliseLabels, type Contributor, type Label, type Post } from '../domain/post.ts';
import { BodyView } from './blocks.tsx';
import { CorrectionNotes } from './corrections.tsx';
import { renderFragment } from './html.ts';
import { formatPostTime, formatUpdatedTime, isoInstant } from './time.ts';
import { postElementId, postPath } from './urls.ts';

const LABEL_TEXT: Record<Label, string> = {
  breaking: 'Breaking',
  analysis: 'Analysis',
  key: 'Key event',
};

function Labels({ labels }: { labels: readonly Label[] }) {
  return (
    <>
      {normaliseLabels(labels).map((label) => (
        <Fragment key={label}>
          {' '}
          <span class={`label label--${label}`}>{LABEL_TEXT[label]}</span>
        </Fragment>
      ))}
    </>
  );
}

function Contributors({ contributors }: { contributors: readonly Contributor[] }) {
  if (contributors.length === 0) return null;
  return (
    <ul class="contributors" aria-label="Posted by">
      {contributors.map((person, index) => (
        <li key={index} class="contributor">
          <span class="contributor__name">{person.name}</span>
          {person.role ? (
            <>
              <span class="visually-hidden">, </span>
              <span class="contributor__role">{person.role}</span>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * One post as an `<article>`: the same component renders the page, the permalink page and
 * the fragment the live stream carries (one renderer, so a live update looks exactly like a
 * reload). The data attributes let the live script order and de-duplicate articles.
 */
export function PostArticle({ page, post }: { page: LivePage; post: Post }) {
  const id = postElementId(post.id);
  const permalink = postPath(page.slug, post.id);
  const labels = normaliseLabels(post.labels);
  const edited = post.revision > 1;
  const classes = ['post', ...labels.map((label) => `post--${label}`)];
  if (post.pinned) classes.push('post--pinned');
  return (
    <article
      id={id}
      class={classes.join(' ')}
      aria-labelledby={`${id}-headline`}
      data-published-at={isoInstant(post.publishedAt)}
      data-pinned={post.pinned ? 'true' : 'false'}
      data-revision={String(post.revision)}
    >
      <header class="post__header">
        <p class="post__meta">
          {post.pinned ? <span class="post__pinned">Pinned</span> : null}
          {post.pinned ? ' ' : null}
          <a class="post__time" href={permalink}>
            <time datetime={isoInstant(post.publishedAt)}>
              {formatPostTime(post.publishedAt, page.timeZone)}
            </time>
          </a>
          <Labels labels={labels} />
        </p>
        <h3 class="post__headline" id={`${id}-headline`}>
          {post.headline}
        </h3>
        <Contributors contributors={post.contributors} />
      </header>
      <BodyView body={post.body} />
      <CorrectionNotes corrections={post.corrections} timeZone={page.timeZone} />
      <footer class="post__footer">
        {edited ? (
          <p class="post__updated">
            Updated{' '}
            <time datetime={isoInstant(post.updatedAt)}>
              {formatUpdatedTime(post.updatedAt, post.publishedAt, page.timeZone)}
            </time>
          </p>
        ) : null}
        <a class="post__share" href={permalink} data-copy-link="">
          Copy link<span class="visually-hidden"> to this post: {post.headline}</span>
        </a>
      </footer>
    </article>
  );
}

/** The `<article>` fragment of one post, as the page and the live updates both carry it. */
export function renderPostArticle(page: LivePage, post: Post): string {
  return renderFragment(<PostArticle page={page} post={post} />);
}
