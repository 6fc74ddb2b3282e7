import { createHash, randomBytes } from 'node:crypto';
import { LivelineError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { SESSION_TIMES, sessionLive, type Session } from '../domain/session.ts';
import type { User } from '../domain/user.ts';
import { commitValue } from './commit.ts';
import type { ServiceDeps } from './deps.ts';

/** Only this hash of a session's secret is stored; the secret lives in the cookie. */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface StartedSession {
  /** The cookie's value: shown to the browser once, never stored. */
  secret: string;
  session: Session;
}

/**
 * Signs a user in: a new session with a fresh secret, id and CSRF token. A session the
 * browser held before (`previousSecret`) ends here, so signing in always rotates the id.
 */
export async function startSession(
  deps: ServiceDeps,
  user: User,
  options: { userAgent?: string | undefined; previousSecret?: string | undefined } = {},
): Promise<StartedSession> {
  const secret = randomBytes(32).toString('base64url');
  const now = deps.now();
  const session: Session = {
    id: newId(),
    userId: user.id,
    csrfToken: randomBytes(32).toString('base64url'),
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_TIMES.absoluteMs).toISOString(),
    userAgent: options.userAgent?.slice(0, 400) ?? null,
  };
  // Sessions of this user that ended unseen are cleared here, so they do not pile up.
  const ended = (await deps.store.listSessions(user.id)).filter((s) => !sessionLive(s, now));
  await commitValue(deps, async ({ tx }) => {
    for (const old of ended) await tx.deleteSessionById(user.id, old.id);
    if (options.previousSecret) await tx.deleteSession(hashSecret(options.previousSecret));
    await tx.insertSession({ ...session, hash: hashSecret(secret) });
  });
  return { secret, session };
}

/**
 * The user and session a cookie's secret belongs to, or null: unknown, idle too long, past
 * its absolute end, or its user disabled (checked on every request, so disabling works at
 * once). "Last seen" is written at most once a minute per session; a check that is no sign
 * of the person (`touch: false`: an open stream's heartbeat) leaves it.
 */
export async function resumeSession(
  deps: ServiceDeps,
  secret: string,
  options: { touch?: boolean } = {},
): Promise<{ user: User; session: Session } | null> {
  const hash = hashSecret(secret);
  const found = await deps.store.findSession(hash);
  if (!found) return null;
  const now = deps.now();
  if (!sessionLive(found.session, now)) {
    await commitValue(deps, ({ tx }) => tx.deleteSession(hash));
    return null;
  }
  if (found.user.disabled) return null;
  const touch = options.touch ?? true;
  if (touch && now.getTime() - Date.parse(found.session.lastSeenAt) >= SESSION_TIMES.touchMs) {
    const at = now.toISOString();
    await commitValue(deps, ({ tx }) => tx.touchSession(hash, at));
    found.session.lastSeenAt = at;
  }
  return found;
}

/** Signs out: the session is deleted, its cookie worthless from now on. */
export async function endSession(deps: ServiceDeps, secret: string): Promise<void> {
  await commitValue(deps, ({ tx }) => tx.deleteSession(hashSecret(secret)));
}

/** The user's sessions that are still valid, newest first. */
export async function listSessions(deps: ServiceDeps, user: User): Promise<Session[]> {
  const now = deps.now();
  return (await deps.store.listSessions(user.id)).filter((s) => sessionLive(s, now));
}

/** Ends one of the user's own sessions by its id; another user's is not found. */
export async function revokeSession(deps: ServiceDeps, user: User, id: string): Promise<void> {
  // Refused inside the commit, which then rolls back and leaves no audit entry.
  await commitValue(deps, async ({ tx }) => {
    if (!(await tx.deleteSessionById(user.id, id)))
      throw new LivelineError('SESSION_NOT_FOUND', `You have no session with the id "${id}".`);
  });
}
