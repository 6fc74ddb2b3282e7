/**
 * Presence: who has a page's desk open and what they are doing there. Each open desk tab is
 * one entry, keyed by a random id its event stream was given; `editing` a post is the soft
 * lock others see. Entries live only as long as their heartbeats (ADR 0016): nothing of
 * this is stored in the database or the change log.
 */
export const ACTIVITIES = ['viewing', 'writing', 'editing'] as const;
export type Activity = (typeof ACTIVITIES)[number];

/** One open desk tab on one page. */
export interface PresenceEntry {
  /** The random id of the tab's desk event stream. */
  connection: string;
  pageId: string;
  userId: string;
  name: string;
  activity: Activity;
  /** The post being edited; null unless `editing`. */
  postId: string | null;
  /** When this activity (and post) began: kept while they stay the same. ISO 8601. */
  since: string;
}

/** What a desk reports; the board stamps `since`. */
export type PresenceReport = Omit<PresenceEntry, 'since'>;

/**
 * `join` creates the entry (or replaces it); `update` changes only an entry of the same user
 * that is still there, so a report racing the stream's close cannot bring a tab back.
 */
export type PutMode = 'join' | 'update';

/** `changed`: others were told; `same`: only the expiry moved; `missing`: nothing to update. */
export type PutResult = 'changed' | 'same' | 'missing';

export type PresenceListener = (entries: PresenceEntry[]) => void;

export interface PresenceBoard {
  /** How long an entry lives without a heartbeat (a put), in milliseconds. */
  readonly ttlMs: number;
  /** Creates, changes or refreshes an entry; every put moves its expiry to now + ttl. */
  put(report: PresenceReport, mode: PutMode): Promise<PutResult>;
  /** Removes a tab's entry at once (its event stream closed). */
  remove(pageId: string, connection: string): Promise<void>;
  /** The live entries of a page, oldest activity first; expired ones are dropped (and announced). */
  list(pageId: string): Promise<PresenceEntry[]>;
  /**
   * Calls `listener` with the page's entries each time they change (join, change, leave,
   * expiry), on every instance. Expiry is noticed within a third of the ttl while watched.
   */
  watch(pageId: string, listener: PresenceListener): () => void;
  close(): Promise<void>;
}

/** 30 s without a heartbeat ends an entry; desks answer the stream's ping every 10 s. */
export const DEFAULT_TTL_MS = 30_000;

/** Orders entries by when their activity began, then by connection, the same on every board. */
export function byActivityStart(a: PresenceEntry, b: PresenceEntry): number {
  return a.since.localeCompare(b.since) || a.connection.localeCompare(b.connection);
}

/** Whether two reports are the same activity on the same post (`since` is kept across them). */
export function sameActivity(
  a: Pick<PresenceEntry, 'activity' | 'postId'>,
  b: Pick<PresenceEntry, 'activity' | 'postId'>,
): boolean {
  return a.activity === b.activity && a.postId === b.postId;
}
