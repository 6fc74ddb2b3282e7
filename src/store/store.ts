import type { MediaItem, NewMediaItem } from '../domain/media.ts';
import type { AuditEntry, AuditQuery, NewAuditEntry } from '../domain/audit.ts';
import type { Change, ChangeData } from '../domain/change.ts';
import type { HistoryEntry, NewHistoryEntry } from '../domain/history.ts';
import type { LivePage } from '../domain/page.ts';
import type { Post, Removal } from '../domain/post.ts';
import type { LinkPurpose, OneTimeLink, Session } from '../domain/session.ts';
import type { Role, User, UserChanges } from '../domain/user.ts';
import type { TokenInfo } from '../domain/token.ts';
import type { NewWebhookEndpoint, WebhookDelivery, WebhookEndpoint } from '../domain/webhook.ts';
import type { JobOutcome, NewJob, OutboxJob } from '../outbox/job.ts';
import type { PushStore } from './push-store.ts';

/** The fields a new live page is created with; the store fills in ids, times and counters. */
export type NewPage = Pick<
  LivePage,
  'slug' | 'title' | 'description' | 'status' | 'summary' | 'leadMedia' | 'timeZone' | 'textFormat'
> &
  Partial<Pick<LivePage, 'reviewMode' | 'scheduledFor'>>;

/** The fields a page edit may change. */
export type PageChanges = Partial<
  Pick<
    LivePage,
    | 'title'
    | 'description'
    | 'status'
    | 'summary'
    | 'leadMedia'
    | 'timeZone'
    | 'textFormat'
    | 'startedAt'
    | 'endedAt'
    | 'reviewMode'
    | 'scheduledFor'
  >
>;

export type NewPost = Pick<
  Post,
  | 'pageId'
  | 'status'
  | 'headline'
  | 'publishedAt'
  | 'labels'
  | 'pinned'
  | 'contributors'
  | 'body'
  | 'authorId'
> &
  Partial<Pick<Post, 'scheduledFor' | 'reviewNote' | 'corrections'>>;

export type PostChanges = Partial<
  Pick<
    Post,
    | 'status'
    | 'headline'
    | 'publishedAt'
    | 'labels'
    | 'pinned'
    | 'contributors'
    | 'body'
    | 'scheduledFor'
    | 'reviewNote'
    | 'corrections'
    | 'removal'
  >
> & { revision?: number; updatedAt?: string };

/** A stored response to a request made with an Idempotency-Key. */
export interface IdempotentResponse {
  fingerprint: string;
  status: number;
  /** The headers that belong to the answer (Location...), replayed as they were sent. */
  headers: Record<string, string>;
  body: unknown;
}

/** A post or a page whose scheduled time has come, as the scheduler finds it. */
export type DueItem =
  | { kind: 'post'; slug: string; postId: string; scheduledFor: string }
  | { kind: 'page'; slug: string; scheduledFor: string };

export interface PostPage {
  posts: Post[];
  total: number;
}

/**
 * Everything Liveline reads and writes, in the newsroom's terms. Two adapters implement it
 * (SQLite and PostgreSQL); one contract suite (test/contract/) runs against both.
 */
export interface StoreReader {
  getPage(slug: string): Promise<LivePage | null>;
  getPageById(id: string): Promise<LivePage | null>;
  listPages(): Promise<LivePage[]>;
  getPost(pageId: string, postId: string): Promise<Post | null>;
  getPinnedPost(pageId: string): Promise<Post | null>;
  /** Published posts, pinned first then newest first, `limit` from `offset`. */
  listPosts(pageId: string, offset: number, limit: number): Promise<Post[]>;
  /** Change-log entries with seq > `since`, oldest first, at most `limit`. */
  changesSince(pageId: string, since: number, limit: number): Promise<Change[]>;
  findUserByTokenHash(hash: string): Promise<User | null>;
  findUserByName(name: string): Promise<User | null>;
  getIdempotentResponse(userId: string, key: string): Promise<IdempotentResponse | null>;
  // API tokens (0003-tokens).
  /** The user of a token that is neither revoked nor expired at `at`, and the token's id. */
  findActiveToken(hash: string, at: string): Promise<{ user: User; tokenId: string } | null>;
  /** Every token (or one user's), newest first, with its user; never a secret. */
  listTokens(userId?: string): Promise<TokenInfo[]>;
  // People and sessions (0004-people).
  getUser(id: string): Promise<User | null>;
  /** The user with this (normalised) e-mail and their password hash, if they have one. */
  findUserByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | null>;
  /** Every user, people and token-only users (or only those with these ids), by name. */
  listUsers(ids?: readonly string[]): Promise<User[]>;
  /** The session whose secret has this hash, with its user; expiry is the caller's to judge. */
  findSession(hash: string): Promise<{ session: Session; user: User } | null>;
  /** The user's sessions, newest first. */
  listSessions(userId: string): Promise<Session[]>;
  /** The one-time link whose token has this hash, with its user. */
  findLink(hash: string): Promise<{ link: OneTimeLink; user: User } | null>;
  /** The newest published post time of each page that has one, by page id. */
  lastPostTimes(): Promise<Map<string, string>>;
  /**
   * A page's posts that are not deleted (published, drafts, submissions, scheduled), newest
   * first, at most `limit`: the desk's view.
   */
  listDeskPosts(pageId: string, limit: number): Promise<Post[]>;
  // The editorial workflow (0005-workflow).
  /** Every step of a post, oldest first. */
  listHistory(pageId: string, postId: string): Promise<HistoryEntry[]>;
  // The audit log (0006-audit).
  /** Audit entries newest first (by at, then id), filtered by page and acting user. */
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
  /**
   * Scheduled pages and posts whose time is at or before `at`, oldest first, at most `limit`
   * of each: two range scans of the (status, scheduled_for) indexes.
   */
  listDue(at: string, limit: number): Promise<DueItem[]>;
  // Webhooks and the outbox (0008-webhooks, ADR 0022).
  /** Every webhook endpoint, oldest first, secrets included (the deliverer signs with them). */
  listWebhooks(): Promise<WebhookEndpoint[]>;
  getWebhook(id: string): Promise<WebhookEndpoint | null>;
  /** An endpoint's deliveries (one per attempt), newest first, at most `limit`. */
  listDeliveries(endpointId: string, limit: number): Promise<WebhookDelivery[]>;
  getDelivery(id: string): Promise<WebhookDelivery | null>;
  getJob(id: string): Promise<OutboxJob | null>;
  // Pictures (0007-media).
  /** The uploaded picture with this content id. */
  getMedia(id: string): Promise<MediaItem | null>;
  // Keyset paging of posts (issue 13).
  /**
   * Published posts after `after` in the reader's order (pinned first, then newest first), at
   * most `limit`: a seek of the posts_stream index, as cheap deep in a page as at its top.
   */
  listPostsAfter(pageId: string, after: PostKey, limit: number): Promise<Post[]>;
}

/** Where a post stands in the reader's order: the cursor of keyset paging. */
export interface PostKey {
  pinned: boolean;
  publishedAt: string;
  id: string;
}

/** A person the desk knows by e-mail. */
export interface NewPerson {
  email: string;
  name: string;
  bylineRole: string;
  role: Role;
}

export interface StoreWriter extends StoreReader {
  /**
   * The live page with this slug, its row locked until the transaction ends (PostgreSQL
   * `FOR UPDATE`; SQLite transactions already hold the one write lock). Every write
   * transaction on a page takes this first, so its reads after it see the latest commit.
   */
  lockPage(slug: string): Promise<LivePage | null>;
  /**
   * Rewrites the change-log entries of a post before `beforeSeq` to `post.superseded`
   * tombstones pointing at `beforeSeq`, so the log keeps no earlier text of the post.
   */
  supersedeChanges(pageId: string, postId: string, beforeSeq: number): Promise<void>;
  insertPage(page: NewPage): Promise<LivePage>;
  /** Applies the changes when the page is at `revision`, bumping it; null when it is stale. */
  updatePage(pageId: string, revision: number, changes: PageChanges): Promise<LivePage | null>;
  insertPost(post: NewPost): Promise<Post>;
  /** Applies the changes when the post is at `expectedRevision`; null when it is not. */
  updatePost(
    pageId: string,
    postId: string,
    expectedRevision: number,
    changes: PostChanges,
  ): Promise<Post | null>;
  /** Adds `delta` to the page's count of published posts. */
  adjustPostCount(pageId: string, delta: number): Promise<void>;
  /** Records a step of a post's life, stamped now. */
  appendHistory(entry: NewHistoryEntry): Promise<HistoryEntry>;
  // Legal removal (docs/corrections.md).
  /**
   * Blanks every step of a post's history: no content, no note (correction and review notes
   * may quote the text), and the removal recorded on each.
   */
  scrubHistory(pageId: string, postId: string, removal: Removal): Promise<void>;
  /**
   * Blanks the content of every step of a post that kept it at `revision` and records the
   * removal there; how many steps that was.
   */
  removeVersionContent(
    pageId: string,
    postId: string,
    revision: number,
    removal: Removal,
  ): Promise<number>;
  /**
   * Replaces the stored answers to Idempotency-Keys that carry the post (its JSON, found by
   * its id) with `answer`, keeping each key's fingerprint: a replay can no longer send the
   * removed text. How many answers were replaced.
   */
  rewriteIdempotentAnswers(
    postId: string,
    answer: Omit<IdempotentResponse, 'fingerprint'>,
  ): Promise<number>;
  /** Appends an entry to the page's change log with the next sequence number. */
  appendChange(pageId: string, postId: string | null, data: ChangeData): Promise<Change>;
  insertUser(name: string, role: Role): Promise<User>;
  /**
   * The user with this name, created with `role` if there is none. Writers racing to create
   * the same name all get the one row (an insert that yields to the unique name).
   */
  ensureUser(name: string, role: Role): Promise<User>;
  updateUserRole(userId: string, role: Role): Promise<User>;
  insertToken(userId: string, hash: string): Promise<void>;
  // API tokens (0003-tokens).
  insertApiToken(token: {
    id: string;
    userId: string;
    hash: string;
    expiresAt: string | null;
    label?: string | null;
  }): Promise<void>;
  /** Revokes the token at `at`; false when no token has this id. */
  revokeToken(id: string, at: string): Promise<boolean>;
  touchToken(id: string, at: string): Promise<void>;
  // People and sessions (0004-people).
  /** Throws VALIDATION_FAILED when the e-mail or the name is taken. */
  insertPerson(person: NewPerson): Promise<User>;
  /** Throws VALIDATION_FAILED when the new name is taken; null when no user has this id. */
  updateUser(id: string, changes: UserChanges): Promise<User | null>;
  setPasswordHash(userId: string, hash: string): Promise<void>;
  insertSession(session: Session & { hash: string }): Promise<void>;
  touchSession(hash: string, at: string): Promise<void>;
  deleteSession(hash: string): Promise<void>;
  /** Ends one of the user's sessions by its public id; false when they have none with it. */
  deleteSessionById(userId: string, id: string): Promise<boolean>;
  deleteUserSessions(userId: string): Promise<void>;
  /** Revokes every live token of the user at `at`. */
  revokeUserTokens(userId: string, at: string): Promise<void>;
  insertLink(link: {
    hash: string;
    userId: string;
    purpose: LinkPurpose;
    expiresAt: string;
  }): Promise<void>;
  /**
   * Marks the link used at `at` if it is unused and unexpired then; false otherwise. One
   * conditional update, so two concurrent uses cannot both succeed.
   */
  useLink(hash: string, at: string): Promise<boolean>;
  /** Records a response; throws IdempotencyConflict when the key is taken meanwhile. */
  saveIdempotentResponse(userId: string, key: string, response: IdempotentResponse): Promise<void>;
  /** Appends an audit entry (0006-audit); only the commit path calls it, inside the write's transaction. */
  appendAudit(entry: NewAuditEntry): Promise<void>;
  // Webhooks and the outbox (0008-webhooks, ADR 0022).
  /** Adds a job to the outbox, stamped now; it commits (or not) with the transaction. */
  enqueueJob(job: NewJob): Promise<string>;
  /**
   * Claims up to `limit` due jobs for `owner` until `until` (a lease), counting the attempt;
   * concurrent claimers never get the same job while its lease runs.
   */
  claimJobs(owner: string, until: string, limit: number): Promise<OutboxJob[]>;
  /** Records how a claimed attempt ended; false when the claim was lost (lease ran out). */
  finishJob(
    job: { id: string; owner: string; attempts: number },
    outcome: JobOutcome,
  ): Promise<boolean>;
  /**
   * Extends the claim of a job still running to `until`; false when the claim is lost (its
   * lease ran out and another instance claimed it, or it was given up).
   */
  renewClaim(job: { id: string; owner: string; attempts: number }, until: string): Promise<boolean>;
  /**
   * Rewrites each `topic` job whose payload mentions `needle` and that `rewrite` says carries
   * it (it returns the new payload, null for the others); a pending one is given up with
   * `error` and never runs. A text search, for legal removal only. The jobs' ids.
   */
  rewriteJobs(
    change: { topic: string; needle: string; error: string },
    rewrite: (payload: unknown) => unknown,
  ): Promise<string[]>;
  insertWebhook(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint>;
  deleteWebhook(id: string): Promise<boolean>;
  /** Marks the endpoint failing from now (kept if it already was), or healthy with false. */
  markWebhookFailing(id: string, failing: boolean): Promise<void>;
  insertDelivery(delivery: WebhookDelivery): Promise<void>;
  /** Blanks what receivers answered to these jobs' deliveries (an answer may quote its event). */
  blankDeliveryAnswers(jobIds: readonly string[]): Promise<void>;
  // Push alerts (0009-push, ADR 0023).
  /** Records the post's alert as sent: true for the first caller only (the commit's job). */
  claimAlert(pageId: string, postId: string): Promise<boolean>;
  // Pictures (0007-media).
  /** Records an uploaded picture, stamped now; the existing row when its content id is known. */
  insertMedia(item: NewMediaItem): Promise<MediaItem>;
}

export interface Store extends StoreReader {
  /** Runs `work` in one transaction: all of its writes commit together or not at all. */
  transaction<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T>;
  /** Which database this is, for logs and /healthz. */
  readonly kind: 'sqlite' | 'postgres';
  /** The same store, stamping its writes with times from `now` (the services' clock). */
  withClock(now: () => Date): Store;
  ping(): Promise<void>;
  close(): Promise<void>;
  // Push alerts (0009-push): readers' subscriptions, VAPID keys, alerts sent (ADR 0023).
  readonly push: PushStore;
}

/** Thrown when a concurrent request saved a response under the same Idempotency-Key first. */
export class IdempotencyConflict extends Error {
  constructor() {
    super('Idempotency-Key taken by a concurrent request');
    this.name = 'IdempotencyConflict';
  }
}
