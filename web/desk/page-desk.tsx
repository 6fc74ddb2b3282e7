import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { api, type DeskPage, type DeskPost, type User } from './api.ts';
import type { Person } from './bylines.tsx';
import { Composer, type ConflictInfo } from './composer.tsx';
import { ConflictView } from './conflict.tsx';
import { dropDraft, draftKey, postsWithDrafts, type Composition } from './drafts.ts';
import { PageSettings } from './page-settings.tsx';
import { WidgetSnippet } from './widget-snippet.tsx';
import { ActivityReporter, followPresence, OnThisPage, type Colleague } from './presence.tsx';
import { DeskStream } from './stream.tsx';
import { ErrorNote } from './fields.tsx';
import { LatencyPanel } from './latency.tsx';
import { filterPosts, PostFilters, type PostFilter } from './filters.tsx';

/**
 * A live page's desk: the composer on top, the stream below (live through the desk's own
 * authenticated event stream), and the page's settings.
 */
export function PageDesk(props: { slug: string; me: User; readerCss: string }) {
  const { slug, me } = props;
  const [page, setPage] = useState<DeskPage | null>(null);
  const [posts, setPosts] = useState<DeskPost[]>([]);
  const [people, setPeople] = useState<Person[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [online, setOnline] = useState(false);
  const [view, setView] = useState<'posts' | 'settings'>('posts');
  // Posts with an unsaved edit in this browser reopen in edit mode after a reload.
  const [editing, setEditingSet] = useState<Set<string>>(() => postsWithDrafts(slug));
  const [starts, setStarts] = useState<Map<string, Composition>>(new Map());
  const [conflict, setConflict] = useState<{ post: DeskPost; info: ConflictInfo } | null>(null);
  const [clashes, setClashes] = useState<string[]>([]);
  // Presence: colleagues on this page, and what this tab reports (web/desk/presence.tsx).
  const [others, setOthers] = useState<Colleague[]>([]);
  const [streamEpoch, setStreamEpoch] = useState(0);
  const reporter = useMemo(
    () => new ActivityReporter(slug, () => setStreamEpoch((n) => n + 1)),
    [slug],
  );
  useEffect(() => () => reporter.stop(), [reporter]);
  useEffect(() => reporter.editingOpen([...editing]), [reporter, editing]);
  const [filter, setFilter] = useState<PostFilter>('all');

  const refresh = useCallback(async () => {
    try {
      const [p, list] = await Promise.all([
        api<DeskPage>('GET', `/api/pages/${slug}`),
        api<{ posts: DeskPost[] }>('GET', `/desk/api/pages/${slug}/posts`),
      ]);
      setPage(p);
      setPosts(list.posts);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, [slug]);

  useEffect(() => {
    void refresh();
    api<{ people: Person[] }>('GET', '/desk/api/people')
      .then((r) => setPeople(r.people))
      .catch(() => setPeople([]));
    // Any write on the page (drafts too) says "changed"; the desk reads the posts again.
    // EventSource reconnects by itself; on reconnect we read again, so nothing is missed.
    const events = new EventSource(`/desk/api/pages/${slug}/events`);
    events.onopen = () => {
      setOnline(true);
      void refresh();
    };
    events.onerror = () => setOnline(false);
    events.addEventListener('changed', () => void refresh());
    followPresence(events, reporter, setOthers);
    return () => events.close();
  }, [slug, refresh, reporter, streamEpoch]);

  const setEditing = (id: string, on: boolean) =>
    setEditingSet((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  if (!page) {
    return (
      <main id="main" class="shell" tabIndex={-1}>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : (
          <p>Loading…</p>
        )}
      </main>
    );
  }

  return (
    <main id="main" class="shell shell--page" tabIndex={-1}>
      <div class="page-head">
        <div>
          <p class="muted">
            <a href="/desk">All pages</a> ·{' '}
            <span class={`status status--${page.status}`}>{page.status}</span> ·{' '}
            <a href={`/live/${slug}`} target="_blank" rel="noopener">
              Reader page
            </a>
          </p>
          <h1 class="page-head__title">{page.title}</h1>
          <LatencyPanel slug={slug} />
        </div>
        <p class={`connection${online ? ' connection--on' : ''}`} role="status">
          {online ? 'Connected' : 'Reconnecting…'}
        </p>
      </div>
      <OnThisPage others={others} posts={posts} me={me} />
      <nav class="tabs" aria-label="Page desk">
        <button
          type="button"
          class="tab"
          aria-pressed={view === 'posts'}
          onClick={() => setView('posts')}
        >
          Posts
        </button>
        <button
          type="button"
          class="tab"
          aria-pressed={view === 'settings'}
          onClick={() => setView('settings')}
        >
          Page settings
        </button>
      </nav>
      <ErrorNote error={error} />
      {view === 'settings' ? (
        <>
          <PageSettings page={page} onSaved={(p) => setPage(p)} />
          <WidgetSnippet slug={page.slug} />
        </>
      ) : conflict ? (
        <ConflictView
          slug={slug}
          conflict={conflict.info}
          readerCss={props.readerCss}
          onReapply={(composition, found) => {
            setStarts(new Map(starts).set(conflict.post.id, composition));
            setClashes(found);
            setConflict(null);
          }}
          onTakeTheirs={() => {
            dropDraft(draftKey(slug, conflict.post.id));
            setEditing(conflict.post.id, false);
            setConflict(null);
          }}
        />
      ) : (
        <>
          {clashes.length > 0 ? (
            <p class="notice" role="status">
              You and a colleague both changed: {clashes.join(', ')}. Your version is in the
              composer; check it against theirs before saving.
            </p>
          ) : null}
          <div onInput={() => reporter.typed(null)}>
            <Composer
              slug={slug}
              post={null}
              people={people}
              readerCss={props.readerCss}
              submitForReview={page.reviewMode === 'review' && me.role === 'contributor'}
              timeZone={page.timeZone}
              onSaved={() => {
                reporter.wrote();
                void refresh();
              }}
              onConflict={() => undefined}
            />
          </div>
          <PostFilters posts={posts} me={me} value={filter} onChange={setFilter} />
          <DeskStream
            slug={slug}
            page={page}
            posts={filterPosts(posts, filter, me)}
            me={me}
            people={people}
            readerCss={props.readerCss}
            editing={editing}
            others={others}
            onTyping={(id) => reporter.typed(id)}
            setEditing={(id, on) => {
              setEditing(id, on);
              if (!on) {
                const next = new Map(starts);
                next.delete(id);
                setStarts(next);
                setClashes([]);
              }
            }}
            starts={starts}
            onConflict={(post, info) => setConflict({ post, info })}
            onChanged={() => void refresh()}
          />
        </>
      )}
    </main>
  );
}
