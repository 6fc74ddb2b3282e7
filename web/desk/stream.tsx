import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, type DeskPage, type DeskPost, type User } from './api.ts';
import { Composer, type ConflictInfo } from './composer.tsx';
import type { Person } from './bylines.tsx';
import { plainText as inlineText } from './body-mapping.ts';
import type { Composition } from './drafts.ts';
import { ErrorNote } from './fields.tsx';
import { ReturnedNote, StatusBadge, WorkflowActions } from './review.tsx';

const time = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    day: 'numeric',
    month: 'short',
  });

/** What a post's first words are, for a compact list. */
function excerpt(post: DeskPost): string {
  for (const block of post.body) {
    if (block.type === 'paragraph' || block.type === 'quote') return inlineText(block.content);
    if (block.type === 'list') return block.items.map(inlineText).join(' · ');
    if (block.type === 'image') return `[Image: ${block.alt}]`;
  }
  return '';
}

/**
 * Every post of the page as the desk sees it, drafts included and marked, each with edit in
 * place (the same composer), pin/unpin and delete. What a contributor may not do is not
 * shown (the server refuses it anyway).
 */
export function DeskStream(props: {
  slug: string;
  page: DeskPage;
  posts: DeskPost[];
  me: User;
  people: Person[];
  readerCss: string;
  editing: Set<string>;
  setEditing: (id: string, on: boolean) => void;
  starts: Map<string, Composition>;
  onConflict: (post: DeskPost, conflict: ConflictInfo) => void;
  onChanged: () => void;
}) {
  const { slug, me } = props;
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mayChange = (post: DeskPost) => me.role !== 'contributor' || post.authorId === me.id;
  const mayPin = me.role !== 'contributor';

  const act = async (what: () => Promise<unknown>) => {
    try {
      setError(null);
      await what();
      props.onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section class="stream" aria-labelledby="stream-title">
      <h2 id="stream-title">Posts</h2>
      <ErrorNote error={error} />
      {props.posts.length === 0 ? <p class="muted">No posts yet.</p> : null}
      <ol class="posts">
        {props.posts.map((post) => (
          <li
            key={post.id}
            id={`desk-post-${post.id}`}
            class={`post-card${post.status !== 'published' ? ' post-card--draft' : ''}`}
            data-status={post.status}
          >
            {props.editing.has(post.id) ? (
              <Composer
                slug={slug}
                post={post}
                people={props.people}
                readerCss={props.readerCss}
                start={props.starts.get(post.id)}
                submitForReview={props.page.reviewMode === 'review' && me.role === 'contributor'}
                onSaved={() => {
                  props.setEditing(post.id, false);
                  props.onChanged();
                }}
                onCancel={() => props.setEditing(post.id, false)}
                onConflict={(c) => props.onConflict(post, c)}
              />
            ) : (
              <>
                <p class="post-card__meta">
                  <StatusBadge post={post} page={props.page} />
                  {post.pinned ? <span class="badge badge--pinned">Pinned</span> : null}
                  {post.labels.map((l) => (
                    <span key={l} class={`badge badge--${l}`}>
                      {l === 'key' ? 'Key event' : l[0]!.toUpperCase() + l.slice(1)}
                    </span>
                  ))}
                  <time dateTime={post.publishedAt}>{time(post.publishedAt)}</time>
                  {post.contributors.length > 0 ? (
                    <span class="muted"> · {post.contributors.map((c) => c.name).join(', ')}</span>
                  ) : null}
                </p>
                <h3 class="post-card__headline">{post.headline}</h3>
                <p class="post-card__excerpt">{excerpt(post)}</p>
                <ReturnedNote post={post} />
                <div class="actions">
                  <WorkflowActions
                    page={props.page}
                    post={post}
                    me={me}
                    onChanged={props.onChanged}
                  />
                  {mayChange(post) ? (
                    <button
                      type="button"
                      class="button button--small"
                      data-action="edit"
                      onClick={() => props.setEditing(post.id, true)}
                    >
                      Edit<span class="visually-hidden"> “{post.headline}”</span>
                    </button>
                  ) : null}
                  {mayPin && post.status === 'published' ? (
                    <button
                      type="button"
                      class="button button--small"
                      data-action={post.pinned ? 'unpin' : 'pin'}
                      onClick={() =>
                        void act(() =>
                          api('PATCH', `/api/pages/${slug}/posts/${post.id}`, {
                            revision: post.revision,
                            pinned: !post.pinned,
                          }),
                        )
                      }
                    >
                      {post.pinned ? 'Unpin' : 'Pin'}
                      <span class="visually-hidden"> “{post.headline}”</span>
                    </button>
                  ) : null}
                  {mayChange(post) && confirming !== post.id ? (
                    <button
                      type="button"
                      class="button button--small button--danger"
                      data-action="delete"
                      onClick={() => setConfirming(post.id)}
                    >
                      Delete<span class="visually-hidden"> “{post.headline}”</span>
                    </button>
                  ) : null}
                  {confirming === post.id ? (
                    <ConfirmDelete
                      onYes={() => {
                        setConfirming(null);
                        void act(() => api('DELETE', `/api/pages/${slug}/posts/${post.id}`));
                      }}
                      onNo={() => setConfirming(null)}
                    />
                  ) : null}
                </div>
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The confirmation a delete needs; focus moves to it, and "Keep it" is one Tab away. */
function ConfirmDelete(props: { onYes: () => void; onNo: () => void }) {
  const yes = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => yes.current?.focus(), []);
  return (
    <span class="confirm" role="group" aria-label="Confirm deletion">
      <span>Delete this post for everyone?</span>
      <button
        type="button"
        class="button button--small button--danger"
        ref={yes}
        onClick={props.onYes}
      >
        Yes, delete
      </button>
      <button type="button" class="button button--small" onClick={props.onNo}>
        Keep it
      </button>
    </span>
  );
}
