/**
 * "14 new posts since your last visit": what a reader missed while away, read in order,
 * oldest first, before rejoining the live stream. Kept in the reader's own browser only
 * (localStorage, per live page: the last sequence number seen and the newest post seen then),
 * never a cookie or a server-side profile, so it works across tabs and days (ADR 0024).
 *
 * The new posts are counted and shown from the page itself: page 1, already in hand, holds
 * the newest 20; only when all of them are new are older pages read, as the same cached HTML
 * a reader gets (`/live/{slug}?page=N`), at most MAX_EXTRA_PAGES of them.
 */

const KEY_PREFIX = 'liveline:last-seen:';
/** Pages read beyond page 1 at most: 4 more pages, so up to 100 new posts are counted. */
export const MAX_EXTRA_PAGES = 4;

/** What the reader had seen of a page when last here. */
interface Seen {
  /** The page's change-log position. */
  seq: number;
  /** The newest publication time among the posts the reader had on screen (ISO 8601). */
  newest: string;
}

function load(slug: string): Seen | null {
  try {
    const value = JSON.parse(window.localStorage.getItem(KEY_PREFIX + slug) ?? 'null') as unknown;
    const seen = value as Partial<Seen> | null;
    if (typeof seen?.seq !== 'number' || typeof seen.newest !== 'string') return null;
    return { seq: seen.seq, newest: seen.newest };
  } catch {
    // Storage refused (private mode, a full quota) or a value we did not write.
    return null;
  }
}

/** Records what was seen, never going back: another tab may have seen more. */
function save(slug: string, seen: Seen): void {
  const before = load(slug);
  const merged = before
    ? {
        seq: Math.max(before.seq, seen.seq),
        newest: before.newest > seen.newest ? before.newest : seen.newest,
      }
    : seen;
  try {
    window.localStorage.setItem(KEY_PREFIX + slug, JSON.stringify(merged));
  } catch {
    // Without storage there is no catch-up; the page works as before.
  }
}

const articlesOf = (root: ParentNode): HTMLElement[] =>
  Array.from(root.querySelectorAll<HTMLElement>('#posts > article'));

const publishedAt = (article: HTMLElement) => article.dataset.publishedAt ?? '';

/** The newest publication time of the posts on screen ('' for none). */
function newestOf(posts: HTMLElement): string {
  return Array.from(posts.querySelectorAll<HTMLElement>(':scope > article')).reduce(
    (newest, article) => (publishedAt(article) > newest ? publishedAt(article) : newest),
    '',
  );
}

/**
 * The posts published after `since`, from page 1 in hand and then older pages while every
 * post of the last one read was new. `more` is true when the reading stopped at the bound.
 */
async function newPosts(
  options: CatchUpOptions,
  since: string,
): Promise<{ posts: HTMLElement[]; more: boolean }> {
  const found = new Map<string, HTMLElement>();
  let page = articlesOf(document);
  for (let n = 1; ;) {
    const fresh = page.filter((article) => publishedAt(article) > since);
    for (const article of fresh) if (!found.has(article.id)) found.set(article.id, article);
    const allNew = page.filter((a) => a.dataset.pinned !== 'true').every((a) => fresh.includes(a));
    if (!allNew || page.length === 0 || n >= options.pageCount) break;
    if (n > MAX_EXTRA_PAGES) return { posts: [...found.values()], more: true };
    n += 1;
    try {
      const res = await fetch(`${options.liveUrl}?page=${n}`, { headers: { accept: 'text/html' } });
      if (!res.ok) return { posts: [...found.values()], more: true };
      page = articlesOf(new DOMParser().parseFromString(await res.text(), 'text/html'));
    } catch {
      return { posts: [...found.values()], more: true };
    }
  }
  return { posts: [...found.values()], more: false };
}

/** A copy of an article for the catch-up list: ids dropped, so the live script never finds it. */
function copyOf(article: HTMLElement): HTMLElement {
  const copy = article.cloneNode(true) as HTMLElement;
  copy.dataset.catchUpOf = article.id;
  for (const element of [copy, ...Array.from(copy.querySelectorAll<HTMLElement>('[id]'))]) {
    element.removeAttribute('id');
  }
  copy.removeAttribute('aria-labelledby');
  return copy;
}

const button = (text: string, className: string) => {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = text;
  return element;
};

export interface CatchUpOptions {
  slug: string;
  liveUrl: string;
  /** The page's change-log position as served. */
  lastSeq: number;
  pageCount: number;
  stream: HTMLElement;
  posts: HTMLElement;
  announce: (message: string) => void;
}

/** The count line: "1 new post since your last visit", "More than 100 new posts ...". */
export function catchUpHeading(count: number, more: boolean): string {
  const noun = count === 1 && !more ? 'post' : 'posts';
  return `${more ? 'More than ' : ''}${count} new ${noun} since your last visit`;
}

/**
 * Offers what was published since the last visit, then keeps the record of what was seen
 * as live changes arrive. Returns what the live script calls after each change it applies.
 */
export function startCatchUp(options: CatchUpOptions): { applied(seq: number): void } {
  const { slug, posts } = options;
  let seq = options.lastSeq;
  let tracking = false;
  const track = () => {
    tracking = true;
    save(slug, { seq, newest: newestOf(posts) });
  };

  const previous = load(slug);
  if (!previous || (previous.seq >= seq && previous.newest >= newestOf(posts))) track();
  else void offer(previous);

  async function offer(since: Seen) {
    const found = await newPosts(options, since.newest);
    if (found.posts.length === 0) return track();
    // Oldest first; ISO instants of one format sort as strings, ids break ties in order.
    const ordered = found.posts.sort((a, b) =>
      publishedAt(a) === publishedAt(b)
        ? a.id.localeCompare(b.id)
        : publishedAt(a) < publishedAt(b)
          ? -1
          : 1,
    );
    const heading = catchUpHeading(ordered.length, found.more);
    const panel = document.createElement('section');
    panel.id = 'catch-up';
    panel.className = 'catch-up';
    panel.setAttribute('aria-labelledby', 'catch-up-heading');
    const title = document.createElement('h2');
    title.id = 'catch-up-heading';
    title.className = 'catch-up__heading';
    title.textContent = heading;
    const read = button('Read them, oldest first', 'catch-up__read');
    const dismiss = button('Dismiss', 'catch-up__dismiss');
    const list = document.createElement('ol');
    list.className = 'catch-up__posts';
    list.hidden = true;
    const done = button('Back to live', 'catch-up__done');
    done.hidden = true;
    panel.append(title, read, dismiss, list, done);
    options.stream.before(panel);
    options.announce(heading);

    read.addEventListener('click', () => {
      list.replaceChildren(
        ...ordered.map((article) => {
          const item = document.createElement('li');
          item.append(copyOf(article));
          return item;
        }),
      );
      read.hidden = true;
      dismiss.hidden = true;
      list.hidden = false;
      done.hidden = false;
      const first = list.querySelector<HTMLElement>('article');
      if (first) {
        first.tabIndex = -1;
        first.focus();
      }
    });
    const finish = () => {
      panel.remove();
      track();
      options.stream.scrollIntoView({ block: 'start' });
    };
    dismiss.addEventListener('click', finish);
    done.addEventListener('click', finish);
  }

  return {
    applied(next: number) {
      seq = Math.max(seq, next);
      if (tracking) save(slug, { seq, newest: newestOf(posts) });
    },
  };
}
