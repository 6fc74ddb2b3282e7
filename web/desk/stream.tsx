import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, type DeskPage, type DeskPost, type User } from './api.ts';
import { Composer, type ConflictInfo } from './composer.tsx';
import type { Person } from './bylines.tsx';
import { inlineText } from '../../src/domain/block-text.ts';
import type { Composition } from './drafts.ts';
import { ErrorNote } from './fields.tsx';
import { editorsOf, LockMark, type Colleague } from './presence.tsx';
import { PostHistory, RemovalForm } from './history.tsx';
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
  /** Colleagues on the page: who is editing which post (the soft lock). */
  others: Colleague[];
  onTyping: (postId: string) => void;
  setEditing: (id: string, on: boolean) => void;
  starts: Map<string, Composition>;
  onConflict: (post: DeskPost, conflict: ConflictInfo) => void;
  onChanged: () => void;
}) {
  const { slug, me } = props;
  const [confirming, setConfirming] = useState<string | null>(null);
  const [overriding, setOverriding] = useState<string | null>(null);
  const lockOf = (post: DeskPost) => editorsOf(props.others, post.id, me);
  const [error, setError] = useState<string | null>(null);
  // The post whose history is open, and the one an editor is removing for legal reasons.
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
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
            onInput={props.editing.has(post.id) ? () => props.onTyping(post.id) : undefined}
          >
            <LockMark lock={lockOf(post)} />
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
                  {mayChange(post) && overriding !== post.id ? (
                    <button
                      type="button"
                      class="button button--small"
                      data-action="edit"
                      onClick={() =>
                        lockOf(post)?.question
                          ? setOverriding(post.id)
                          : props.setEditing(post.id, true)
                      }
                    >
                      Edit<span class="visually-hidden"> “{post.headline}”</span>
                    </button>
                  ) : null}
                  {overriding === post.id ? (
                    <Confirm
                      label="Confirm editing"
                      question={lockOf(post)?.question ?? 'Edit anyway?'}
                      yes="Edit anyway"
                      no="Leave it"
                      onYes={() => {
                        setOverriding(null);
                        props.setEditing(post.id, true);
                      }}
                      onNo={() => setOverriding(null)}
                    />
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
                  {mayChange(post) ? (
                    <button
                      type="button"
                      class="button button--small"
                      data-action="history"
                      aria-expanded={historyOf === post.id}
                      onClick={() => setHistoryOf(historyOf === post.id ? null : post.id)}
                    >
                      History<span class="visually-hidden"> of “{post.headline}”</span>
                    </button>
                  ) : null}
                  {mayPin && removing !== post.id ? (
                    <button
                      type="button"
                      class="button button--small button--danger"
                      data-action="remove"
                      onClick={() => setRemoving(post.id)}
                    >
                      Remove for legal reasons
                      <span class="visually-hidden"> “{post.headline}”</span>
                    </button>
                  ) : null}
                  {confirming === post.id ? (
                    <Confirm
                      label="Confirm deletion"
                      question="Delete this post for everyone?"
                      yes="Yes, delete"
                      no="Keep it"
                      danger
                      onYes={() => {
                        setConfirming(null);
                        void act(() => api('DELETE', `/api/pages/${slug}/posts/${post.id}`));
                      }}
                      onNo={() => setConfirming(null)}
                    />
                  ) : null}
                </div>
                {removing === post.id ? (
                  <RemovalForm
                    label="Remove this post everywhere"
                    onCancel={() => setRemoving(null)}
                    onRemove={(reason) =>
                      act(async () => {
                        await api('POST', `/api/pages/${slug}/posts/${post.id}/removal`, {
                          reason,
                        });
                        setRemoving(null);
                      })
                    }
                  />
                ) : null}
                {historyOf === post.id ? (
                  <PostHistory
                    slug={slug}
                    postId={post.id}
                    me={me}
                    onClose={() => setHistoryOf(null)}
                  />
                ) : null}
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * A question a click asks (delete; edit a post someone else is editing): focus moves to the
 * "yes" button, and "no" is one Tab away.
 */
function Confirm(props: {
  label: string;
  question: string;
  yes: string;
  no: string;
  danger?: boolean;
  onYes: () => void;
  onNo: () => void;
}) {
  const yes = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => yes.current?.focus(), []);
  return (
    <span
      class={`confirm${props.danger ? '' : ' confirm--calm'}`}
      role="group"
      aria-label={props.label}
    >
      <span>{props.question}</span>
      <button
        type="button"
        class={`button button--small${props.danger ? ' button--danger' : ''}`}
        ref={yes}
        onClick={props.onYes}
      >
        {props.yes}
      </button>
      <button type="button" class="button button--small" onClick={props.onNo}>
        {props.no}
      </button>
    </span>
  );
}
