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
}
