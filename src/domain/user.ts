export const ROLES = ['admin', 'editor', 'contributor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Someone who writes in the newsroom. People who sign in to the desk have an e-mail; the
 * token-only users of the API (issue 8) have none.
 */
export interface User {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  /** Lower-case; unique among users. Null for a token-only user. */
  email: string | null;
  /** Shown under the name on posts, e.g. "Europe correspondent"; may be empty. */
  bylineRole: string;
  /** A disabled user's sessions and tokens are refused on every request. */
  disabled: boolean;
}

/** The fields an admin may change on a user. */
export interface UserChanges {
  role?: Role;
  disabled?: boolean;
  name?: string;
  bylineRole?: string;
}

/** One spelling per address: e-mails compare case-insensitively, so they are kept lower-case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
