/**
 * The audit log: who wrote what, one entry per committed write (publish, edit, delete, role
 * change, sign-in...), appended in the write's own transaction (ADR 0019). Unlike the change
 * log it is not public and not per page: it answers "who did this?" for admins.
 */

/** Who acted: a person (signed in, or by one of their API tokens), a named part of the system, or nobody known. */
export type AuditActor =
  | { kind: 'user'; userId: string; tokenId: string | null }
  | { kind: 'system'; name: string }
  | { kind: 'anonymous' };

/** An entry as it is appended; the store gives it its id. */
export interface NewAuditEntry {
  at: string;
  actor: AuditActor;
  /** What was done, e.g. `post.publish`, `user.role`, `session.sign_in`. */
  action: string;
  pageId: string | null;
  postId: string | null;
  /**
   * A short line for people: "changed headline, body", "editor → contributor", the e-mail
   * tried. Never a post's text, which a legal removal must be able to take out.
   */
  summary: string;
  requestId: string | null;
  address: string | null;
}

/** A stored entry, with the names an admin reads (the actor's, the page's). */
export interface AuditEntry extends NewAuditEntry {
  id: string;
  actorName: string | null;
  pageSlug: string | null;
  pageTitle: string | null;
  /** The post's headline as it is now (empty once removed), read when the log is read. */
  postHeadline: string | null;
}

/** Where one page of the audit log ends: the (at, id) of its last entry. */
export interface AuditPosition {
  at: string;
  id: string;
}

export interface AuditQuery {
  pageId?: string | undefined;
  /** The acting user (by session or by token). */
  userId?: string | undefined;
  /** Entries strictly older than this position. */
  before?: AuditPosition | undefined;
  limit: number;
}

/** The longest summary kept: a headline fits, a pasted essay does not. */
export const AUDIT_SUMMARY_MAX = 300;
