import { createHash, randomBytes } from 'node:crypto';
import type { Role, User } from '../domain/user.ts';
import { commit, valueOf, type Work } from './commit.ts';
import type { ServiceDeps } from './deps.ts';

/** Only this hash of a token is stored; the token itself is shown once. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Creates a new API token for the named user, creating the user (or updating their role)
 * first. Returns the token: it cannot be recovered later.
 */
export async function createToken(
  deps: ServiceDeps,
  name: string,
  role: Role,
): Promise<{ user: User; token: string }> {
  const token = `ll_${randomBytes(32).toString('base64url')}`;
  const write = async ({ tx }: Work) => {
    const existing = await tx.findUserByName(name);
    const user = existing
      ? existing.role === role
        ? existing
        : await tx.updateUserRole(existing.id, role)
      : await tx.insertUser(name, role);
    await tx.insertToken(user.id, hashToken(token));
    return user;
  };
  const user = valueOf(await commit(deps, write));
  return { user, token };
}

/** The user a bearer token belongs to, or null. */
export function authenticate(deps: ServiceDeps, token: string): Promise<User | null> {
  return deps.store.findUserByTokenHash(hashToken(token));
}
