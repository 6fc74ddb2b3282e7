import type { PresenceJson } from '../../src/presence/activity.ts';
import type { Activity } from '../../src/presence/presence.ts';
import { api, ApiError, type DeskPost, type User } from './api.ts';

/** A colleague's desk tab on this page, as the desk stream's `presence` event lists it. */
export type Colleague = PresenceJson;

/**
 * A lock (editing) or writing with no keystroke for this long drops back to `viewing`, so a
 * composer left open over lunch holds no lock; the next keystroke takes it again (ADR 0016).
 */
export const IDLE_MS = 2 * 60_000;

/**
 * What this tab tells the server it is doing. The activity follows the composers: a post
 * open for editing is `editing` it (the one typed in last, else the last opened), typing in
 * the new-post composer is `writing`, anything else `viewing`. Each change is reported at
 * once; each `ping` of the stream is answered with the current one (the heartbeat).
 */
export class ActivityReporter {
  private connection: string | null = null;
  private open: string[] = [];
  private writing = false;
  /** The post last typed in or opened; null for the new-post composer. */
  private focus: string | null = null;
  private idle = false;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private sent = '';

  constructor(
    private readonly slug: string,
    /** The server no longer knows this tab: the desk opens its stream again. */
    private readonly lost: () => void,
  ) {}

  /** The stream (re)connected under this id: report at once, so a lock survives a reconnect. */
  connect(connection: string): void {
    this.connection = connection;
    this.send(true);
  }

  /** Answers the stream's ping: the tab is alive. */
  ping(): void {
    this.send(true);
  }

  /** The posts open for editing in this tab changed. */
  editingOpen(ids: string[]): void {
    const opened = ids.find((id) => !this.open.includes(id));
    this.open = ids;
    if (opened) {
      this.focus = opened;
      this.wake();
    }
    this.send(false);
  }

  /** A keystroke in the composer of `postId` (null: the new post). */
  typed(postId: string | null): void {
    this.focus = postId;
    if (postId === null) this.writing = true;
    this.wake();
    this.send(false);
  }

  /** The new post was published or saved as a draft. */
  wrote(): void {
    this.writing = false;
    this.send(false);
  }

  stop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.connection = null;
  }

  private now(): { activity: Activity; postId?: string } {
    if (this.idle) return { activity: 'viewing' };
    const editing =
      this.focus !== null && this.open.includes(this.focus) ? this.focus : this.open.at(-1);
    if (editing !== undefined) return { activity: 'editing', postId: editing };
    return { activity: this.writing ? 'writing' : 'viewing' };
  }

  private wake(): void {
    this.idle = false;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idle = true;
      this.send(false);
    }, IDLE_MS);
  }

  private send(always: boolean): void {
    const connection = this.connection;
    if (!connection) return;
    const now = this.now();
    const key = JSON.stringify(now);
    if (!always && key === this.sent) return;
    this.sent = key;
    api('PUT', `/desk/api/pages/${this.slug}/presence`, { connection, ...now }).catch(
      (error: unknown) => {
        if (!(error instanceof ApiError) || connection !== this.connection) return;
        if (error.code === 'PRESENCE_NOT_FOUND') {
          this.connection = null;
          this.lost();
        } else if (error.code === 'POST_NOT_FOUND') {
          // The post was deleted meanwhile: there is nothing to lock.
          this.open = this.open.filter((id) => id !== now.postId);
          this.send(false);
        }
      },
    );
  }
}

/** Hands the desk stream's presence events to the reporter and the screen. */
export function followPresence(
  events: EventSource,
  reporter: ActivityReporter,
  show: (others: Colleague[]) => void,
): void {
  events.addEventListener('changed', (event) => {
    const { connection } = JSON.parse((event as MessageEvent<string>).data) as {
      connection?: string;
    };
    if (connection) reporter.connect(connection);
  });
  events.addEventListener('presence', (event) => {
    show((JSON.parse((event as MessageEvent<string>).data) as { others: Colleague[] }).others);
  });
  events.addEventListener('ping', () => reporter.ping());
  // A closed stream's colleagues are unknown until it is back.
  events.addEventListener('error', () => show([]));
}

/**
 * The soft lock on a post: the mark on its card and the question its Edit button asks (none
 * when it is only this person, in another tab: they know what they are doing there).
 */
export interface Lock {
  mark: string;
  question: string | null;
}

/**
 * Who is editing a post: "Ana Lopez is editing", "Ana Lopez and Bo Chen are editing", or
 * this person in another of their tabs; null when nobody is.
 */
export function editorsOf(others: Colleague[], postId: string, me: User): Lock | null {
  const editing = others.filter((o) => o.activity === 'editing' && o.postId === postId);
  const names = [...new Set(editing.filter((o) => o.userId !== me.id).map((o) => o.name))];
  if (names.length === 0) {
    if (editing.length === 0) return null;
    return {
      mark: 'You are editing this in another tab',
      question: null,
    };
  }
  const who =
    names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const verb = names.length === 1 ? 'is' : 'are';
  return {
    mark: `${who} ${verb} editing`,
    question: `${who} ${verb} editing this post. Edit anyway?`,
  };
}

/** The soft lock on a post's card: "Ana Lopez is editing". */
export function LockMark(props: { lock: Lock | null }) {
  return props.lock ? <p class="lock">{props.lock.mark}</p> : null;
}

function doing(colleague: Colleague, posts: DeskPost[]): string {
  if (colleague.activity === 'writing') return 'writing a new post';
  if (colleague.activity === 'viewing') return 'viewing';
  const headline = posts.find((p) => p.id === colleague.postId)?.headline;
  return headline ? `editing “${headline}”` : 'editing a post';
}

/**
 * "On this page": the colleagues on this page's desk and what each is doing. Read out
 * politely as it changes; it never takes the focus.
 */
export function OnThisPage(props: { others: Colleague[]; posts: DeskPost[]; me: User }) {
  const rows = new Map<string, { who: string; what: string }>();
  for (const o of props.others) {
    const what = doing(o, props.posts);
    const who = o.userId === props.me.id ? 'You (in another tab)' : o.name;
    rows.set(`${o.userId} ${what}`, { who, what });
  }
  return (
    <section class="presence" aria-labelledby="presence-title">
      <h2 id="presence-title" class="presence__title">
        On this page
      </h2>
      <div aria-live="polite">
        {rows.size === 0 ? (
          <p class="muted presence__empty">No one else.</p>
        ) : (
          <ul class="presence__list">
            {[...rows].map(([key, row]) => (
              <li key={key} class="presence__person">
                <span class="presence__name">{row.who}</span>{' '}
                <span class="presence__doing">{row.what}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
