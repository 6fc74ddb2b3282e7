import { createHash, randomBytes } from 'node:crypto';
import { LivelineError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import type { TokenInfo } from '../domain/token.ts';
import type { Role, User } from '../domain/user.ts';
import { commitValue, type Work } from './commit.ts';
import type { ServiceDeps } from './deps.ts';

/** Only this hash of a token is stored; the token itself is shown once. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function article(role: Role): string {
  return `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
}

export interface CreatedToken {
  user: User;
  token: string;
  id: string;
  expiresAt: string | null;
}

/**
 * Creates a new API token for the named user, creating the user first if needed. A token
 * acts with its user's role: asking for another role than the user has is refused, never a
 * silent change of what the user's other tokens may do. Returns the token: it cannot be
 * recovered later.
 */
export async function createToken(
  deps: ServiceDeps,
  name: string,
  role: Role,
  options: { expiresInMs?: number } = {},
): Promise<CreatedToken> {
  const token = `ll_${randomBytes(32).toString('base64url')}`;
  const id = newId();
  const expiresAt =
    options.expiresInMs === undefined
      ? null
      : new Date(deps.now().getTime() + options.expiresInMs).toISOString();
  const write = async ({ tx }: Work) => {
    const existing = await tx.findUserByName(name);
    if (existing && existing.role !== role) {
      throw new LivelineError(
        'VALIDATION_FAILED',
        `${name} is ${article(existing.role)}, and a token acts with its user's role: ask for --role ${existing.role}, or use another name for ${article(role)}.`,
        { problems: [{ field: '--role', reason: `${name} is ${article(existing.role)}` }] },
      );
    }
    const user = existing ?? (await tx.insertUser(name, role));
    await tx.insertApiToken({ id, userId: user.id, hash: hashToken(token), expiresAt });
    return user;
  };
  const user = await commitValue(deps, write);
  return { user, token, id, expiresAt };
}

export function listTokens(deps: ServiceDeps): Promise<TokenInfo[]> {
  return deps.store.listTokens();
}

/** Revokes a token by its id: from now on it is refused. */
export async function revokeToken(deps: ServiceDeps, id: string): Promise<void> {
  const at = deps.now().toISOString();
  // Refused inside the commit, which then rolls back and leaves no audit entry.
  await commitValue(deps, async ({ tx }) => {
    if (!(await tx.revokeToken(id, at)))
      throw new LivelineError('VALIDATION_FAILED', `No token has the id "${id}".`, {
        problems: [{ field: 'id', reason: 'is not the id of a token' }],
      });
  });
}

/** "Last used" is written at most this often per token, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;
const touched = new Map<string, number>();

/** The user a bearer token belongs to and the token's id, or null (unknown, revoked, expired). */
export async function authenticate(
  deps: ServiceDeps,
  token: string,
): Promise<{ user: User; tokenId: string } | null> {
  const now = deps.now();
  const found = await deps.store.findActiveToken(hashToken(token), now.toISOString());
  if (!found) return null;
  const last = touched.get(found.tokenId) ?? 0;
  if (now.getTime() - last >= TOUCH_INTERVAL_MS) {
    touched.set(found.tokenId, now.getTime());
    if (touched.size > 10_000) touched.clear();
    await commitValue(deps, ({ tx }) => tx.touchToken(found.tokenId, now.toISOString()));
  }
  return found;
}
