/**
 * A signed-in browser. The cookie holds a random secret; the database keeps only its hash,
 * under a separate public id that the user sees in the list of their sessions.
 */
export interface Session {
  id: string;
  userId: string;
  /** The synchronizer token every state-changing request of this session must carry. */
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  /** The absolute end: a session never outlives it, however busy. */
  expiresAt: string;
  userAgent: string | null;
}

/** How long sessions live. */
export const SESSION_TIMES = {
  /** Unused this long, a session ends (a desk left open overnight). */
  idleMs: 12 * 60 * 60 * 1000,
  /** However used, a session ends this long after sign-in. */
  absoluteMs: 7 * 24 * 60 * 60 * 1000,
  /** "Last seen" is written at most this often per session, not on every request. */
  touchMs: 60 * 1000,
} as const;

/** Whether a session is still valid at `now`. */
export function sessionLive(session: Session, now: Date): boolean {
  const at = now.getTime();
  return (
    at < Date.parse(session.expiresAt) && at < Date.parse(session.lastSeenAt) + SESSION_TIMES.idleMs
  );
}

export const LINK_PURPOSES = ['set-password', 'reset-password'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

/** How long one-time links are valid. */
export const LINK_TTL_MS: Record<LinkPurpose, number> = {
  'set-password': 7 * 24 * 60 * 60 * 1000,
  'reset-password': 24 * 60 * 60 * 1000,
};

/** A one-time link as stored: only the hash of its token is kept. */
export interface OneTimeLink {
  userId: string;
  purpose: LinkPurpose;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}
