import type { Role } from './user.ts';

/** An API token as the console lists it: everything but its secret, which is never stored. */
export interface TokenInfo {
  id: string;
  userId: string;
  userName: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  /** Null for a token that does not expire. */
  expiresAt: string | null;
  revokedAt: string | null;
  /** The name a person gave their own token from the desk; null for the CLI's. */
  label: string | null;
}
