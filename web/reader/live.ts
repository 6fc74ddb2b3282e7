/**
 * The live updater of a reader page: applies the page's change stream to the server-rendered
 * HTML. New posts appear at the top only while the reader is there; otherwise they wait
 * behind a "N new posts" button, so nothing moves under the reader's eyes.
 * Bundled by esbuild as an IIFE (/assets/reader.js); it exposes nothing global.
 */
import type {
  LiveEvent,
  LiveEventBase,
  PostLiveEvent,
  SnapshotLiveEvent,
} from '../../src/render/live-event-types.ts';
import { startCatchUp } from './catch-up.ts';
import { connect } from './connection.ts';
import { latencyReporter } from './latency.ts';
import { byId, parseFragment, reducedMotion, setContent } from './dom.ts';
import { enableEmbeds } from './embeds.ts';
import { insertionPoint, isAtTop, keepInView } from './placement.ts';

const HIGHLIGHT_MS = 6_000;
const ALERTS_SCRIPT = '/alerts.js';
const ANNOUNCE_DELAY_MS = 1_500;
const RECONNECTING_AFTER_MS = 1_000;

function start(data: DOMStringMap, eventsUrl: string) {
  const stream = byId('stream');
  const posts = byId('posts');
  if (!stream || !posts) return;
  const button = byId('new-posts');
  const announcer = byId('announcer');
  const canInsert = data.view === 'stream' && data.pageNumber === '1';
  const pageNumber = Number(data.pageNumber) || 1;
  let morePages = Number(data.pageCount) > 1;
  /** Posts waiting for the reader, by element id, oldest arrival first. */
  const queue = new Map<string, HTMLElement>();
  let baseTitle = document.title;
  let revealed = 0;
  let announceTimer = 0;

  const plural = (n: number) => `${n} new post${n === 1 ? '' : 's'}`;

  const announce = (message: string) => {
    if (!announcer) return;
    announcer.textContent = '';
    // A fresh text node after a pause makes screen readers speak a repeated message.
    window.setTimeout(() => (announcer.textContent = message), 50);
  };

  const announceNewPosts = () => {
    clearTimeout(announceTimer);
    announceTimer = window.setTimeout(() => {
      const count = queue.size || revealed;
      revealed = 0;
      if (count) announce(plural(count));
    }, ANNOUNCE_DELAY_MS);
  };

  const showQueue = () => {
    const count = queue.size;
    document.title = count ? `(${count}) ${baseTitle}` : baseTitle;
    if (!button) return;
    // The button sits in the flow above the posts: showing or hiding it while the reader is
    // further down must not move the text they are reading.
    keepInView(posts, () => {
      button.hidden = count === 0;
      button.textContent = plural(count);
    });
  };

  const highlight = (article: HTMLElement) => {
    if (reducedMotion()) return;
    article.classList.add('post--new');
    window.setTimeout(() => article.classList.remove('post--new'), HIGHLIGHT_MS);
  };

  const place = (article: HTMLElement) => {
    const before = insertionPoint(posts, article);
    // An unpinned post older than all of page 1 belongs on a later page.
    if (!before && morePages && posts.children.length > 0) return article.remove();
    posts.insertBefore(article, before);
    byId('stream-empty')?.remove();
  };

  const revealQueue = (byButton: boolean) => {
    const waiting = Array.from(queue.values());
    queue.clear();
    for (const article of waiting) {
      place(article);
      highlight(article);
    }
    showQueue();
    if (!byButton) return;
    stream.scrollIntoView({ block: 'start' });
    // The button is gone: give focus to the newest revealed post, not to <body>.
    const first = Array.from(posts.children).find((child) =>
      waiting.includes(child as HTMLElement),
    );
    if (first instanceof HTMLElement) {
      first.tabIndex = -1;
      first.focus({ preventScroll: true });
    }
  };

  /** "Page 1 of N (M posts)", and the "Older" link once there is an older page. */
  const showCounts = (event: LiveEventBase) => {
    morePages = event.pageCount > 1;
    const status = document.querySelector('.pagination__status');
    const total = status?.querySelector('.pagination__total');
    if (!status || !total) return;
    const noun = event.postCount === 1 ? 'post' : 'posts';
    total.textContent = ` (${event.postCount} ${noun})`;
    status.replaceChildren(`Page ${pageNumber} of ${event.pageCount}`, total);
    const older = document.querySelector('.pagination__link--older');
    if (pageNumber < event.pageCount && !older && data.liveUrl) {
      const link = document.createElement('a');
      link.className = 'pagination__link pagination__link--older';
      link.href = `${data.liveUrl}?page=${pageNumber + 1}`;
      link.rel = 'next';
      link.textContent = 'Older';
      status.after(link);
    } else if (pageNumber >= event.pageCount) older?.remove();
  };

  /** The page as it is now, sent instead of history when this reader was far behind. */
  const onSnapshot = (event: SnapshotLiveEvent) => {
    keepInView(posts, () => {
      const title = byId('page-title');
      if (title) title.textContent = event.title;
      setContent(byId('summary-slot'), event.summaryHtml);
      setContent(byId('lead-media-slot'), event.leadMediaHtml);
      setContent(byId('page-status'), event.badgeHtml);
      setContent(byId('coverage-notice'), event.noticeHtml);
      if (!canInsert) return;
      queue.clear();
      setContent(posts, event.postsHtml);
      if (posts.children.length > 0) byId('stream-empty')?.remove();
    });
    baseTitle = event.documentTitle;
    showQueue();
  };

  const onPost = (event: PostLiveEvent) => {
    const article = parseFragment(event.html);
    if (!article) return;
    const existing = byId(event.elementId);
    if (existing) {
      if (Number(existing.dataset.revision) > event.revision) return;
      // A replayed change that alters nothing leaves the article (and its highlight) alone.
      const same = existing.dataset.pinned === article.dataset.pinned;
      if (same && existing.innerHTML === article.innerHTML) return;
      const moving = canInsert && !same;
      keepInView(
        posts,
        () => {
          existing.replaceWith(article);
          if (moving) place(article);
        },
        moving ? existing : undefined,
      );
      return;
    }
    if (queue.has(event.elementId)) {
      queue.set(event.elementId, article);
      return;
    }
    if (event.kind !== 'post.published') {
      // An edit, pin or unpin of a post this page does not show is an upsert: its earlier
      // entries may have been superseded, so this is the post's whole current state.
      if (canInsert) keepInView(posts, () => place(article));
      return;
    }
    if (!canInsert) {
      const notice = byId('newer-notice');
      if (event.kind === 'post.published' && notice?.hidden) {
        notice.hidden = false;
        announce(notice.textContent ?? '');
      }
      return;
    }
    if (queue.size === 0 && isAtTop(stream)) {
      place(article);
      highlight(article);
      revealed += 1;
    } else {
      queue.set(event.elementId, article);
      showQueue();
    }
    announceNewPosts();
  };

  const apply = (event: LiveEvent) => {
    // An entry superseded by a later change of its post: nothing to show.
    if (event.kind === 'post.superseded') return;
    showCounts(event);
    const updated = byId('last-updated');
    if (updated) {
      updated.setAttribute('datetime', event.at);
      updated.textContent = event.atText;
    }
    switch (event.kind) {
      case 'post.published':
      case 'post.edited':
      case 'post.pinned':
      case 'post.unpinned':
        return onPost(event);
      case 'snapshot':
        return onSnapshot(event);
      case 'post.deleted': {
        const existing = byId(event.elementId);
        if (existing) keepInView(posts, () => existing.remove(), existing);
        if (queue.delete(event.elementId)) showQueue();
        return;
      }
      case 'page.updated':
        keepInView(posts, () => {
          const title = byId('page-title');
          if (title) title.textContent = event.title;
          setContent(byId('summary-slot'), event.summaryHtml);
          setContent(byId('lead-media-slot'), event.leadMediaHtml);
        });
        baseTitle = event.documentTitle;
        return showQueue();
      case 'page.status_changed':
        // The stream stays open after the end: corrections and deletions must still arrive,
        // and an ended page may go live again.
        return keepInView(posts, () => {
          setContent(byId('page-status'), event.badgeHtml);
          setContent(byId('coverage-notice'), event.noticeHtml);
        });
    }
  };

  button?.addEventListener('click', () => revealQueue(true));

  let scrollQueued = false;
  window.addEventListener(
    'scroll',
    () => {
      if (scrollQueued || queue.size === 0) return;
      scrollQueued = true;
      window.requestAnimationFrame(() => {
        scrollQueued = false;
        if (queue.size > 0 && isAtTop(stream)) revealQueue(false);
      });
    },
    { passive: true },
  );

  // "Copy link": copy the permalink where the Clipboard API exists, else follow the link.
  posts.addEventListener('click', (event) => {
    const link = (event.target as Element).closest<HTMLAnchorElement>('a[data-copy-link]');
    if (!link || !navigator.clipboard) return;
    event.preventDefault();
    navigator.clipboard.writeText(link.href).then(
      () => {
        announce('Link copied');
        link.classList.add('post__share--copied');
        window.setTimeout(() => link.classList.remove('post__share--copied'), 2_000);
      },
      () => (window.location.href = link.href),
    );
  });

  // "Reconnecting…" while the stream is down: a fixed overlay (nothing moves) in a polite
  // live region that exists from the start, so screen readers hear it once.
  const line = document.createElement('p');
  line.id = 'connection-status';
  line.className = 'connection-status';
  line.setAttribute('role', 'status');
  document.body.append(line);
  let lineTimer = 0;
  const onLine = (connected: boolean) => {
    clearTimeout(lineTimer);
    if (connected) {
      line.textContent = '';
      line.classList.remove('connection-status--down');
      return;
    }
    // A blip shorter than this is not worth a word.
    lineTimer = window.setTimeout(() => {
      line.textContent = 'Reconnecting…';
      line.classList.add('connection-status--down');
    }, RECONNECTING_AFTER_MS);
  };

  // "N new posts since your last visit", and the record of what this reader has seen.
  const catchUp =
    data.catchUp === 'on' && canInsert && data.slug && data.liveUrl
      ? startCatchUp({
          slug: data.slug,
          liveUrl: data.liveUrl,
          lastSeq: Number(data.lastSeq) || 0,
          pageCount: Number(data.pageCount) || 1,
          stream,
          posts,
          announce,
        })
      : null;

  // Times live changes for the desk's latency panel; it never touches the page.
  const latency = latencyReporter();
  const applyAndTime = (event: LiveEvent) => {
    apply(event);
    latency.applied(event);
    catchUp?.applied(event.seq);
  };
  connect(eventsUrl, Number(data.lastSeq) || 0, applyAndTime, onLine, latency.clock);
}

enableEmbeds(document);
const data = document.body.dataset;
if (data.eventsUrl && typeof EventSource === 'function') start(data, data.eventsUrl);
// Push alerts (issue 12): their script (web/reader/alerts.ts) loads only on a live page's
// stream in a browser that can take pushes, so it costs other readers nothing.
if (
  data.alertsUrl &&
  data.view === 'stream' &&
  'serviceWorker' in navigator &&
  'PushManager' in window
) {
  const script = document.createElement('script');
  script.src = ALERTS_SCRIPT;
  document.head.append(script);
}
