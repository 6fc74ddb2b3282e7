import { randomBytes } from 'node:crypto';
import { LivelineError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { checkPassword } from '../domain/password.ts';
import { authorize } from '../domain/permissions.ts';
import { LINK_TTL_MS, type LinkPurpose } from '../domain/session.ts';
import { normaliseEmail, type Role, type User, type UserChanges } from '../domain/user.ts';
import { commitValue, type Work } from './commit.ts';
import type { ServiceDeps } from './deps.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { hashToken } from './tokens.ts';

/**
 * The absolute URL of a one-time link on the desk. `publicUrl` is PUBLIC_URL as the config
 * and buildApp hold it, without a trailing slash (both strip it).
 */
export function linkUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/desk/link/${token}`;
}

export interface IssuedLink {
  token: string;
  expiresAt: string;
}

/** Stores a one-time link in the write in hand; only its hash is kept. */
async function issueLink(
  { tx }: Work,
  now: Date,
  userId: string,
  purpose: LinkPurpose,
): Promise<IssuedLink> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + LINK_TTL_MS[purpose]).toISOString();
  await tx.insertLink({ hash: hashToken(token), userId, purpose, expiresAt });
  return { token, expiresAt };
}

export interface NewPersonInput {
  email: string;
  name: string;
  role: Role;
  bylineRole?: string | undefined;
}

/**
 * Adds a person and issues the one-time link with which they set their password (valid 7
 * days). `actor` null is the server's console (the CLI), which may create the first admin.
 */
export async function invitePerson(
  deps: ServiceDeps,
  actor: User | null,
  input: NewPersonInput,
): Promise<{ user: User; link: IssuedLink }> {
  if (actor) authorize(actor, 'people.manage');
  // The person and their link in one commit: never a person nobody can sign in as.
  return commitValue(deps, async (w) => {
    const user = await w.tx.insertPerson({
      email: normaliseEmail(input.email),
      name: input.name.trim(),
      role: input.role,
      bylineRole: input.bylineRole?.trim() ?? '',
    });
    return { user, link: await issueLink(w, deps.now(), user.id, 'set-password') };
  });
}

const noUserWithId = (id: string) =>
  new LivelineError('USER_NOT_FOUND', `No user has the id "${id}".`);

async function userById(deps: ServiceDeps, id: string): Promise<User> {
  const user = await deps.store.getUser(id);
  if (!user) throw noUserWithId(id);
  return user;
}

/** A link with which the user sets a new password (valid 24 h); the old one works until then. */
export async function issueResetLink(
  deps: ServiceDeps,
  actor: User | null,
  userId: string,
): Promise<IssuedLink> {
  if (actor) authorize(actor, 'people.manage');
  const user = await userById(deps, userId);
  if (user.email === null) {
    throw new LivelineError(
      'VALIDATION_FAILED',
      `${user.name} is a token-only user with no e-mail, and cannot sign in.`,
      { problems: [{ field: '/id', reason: 'is a token-only user' }] },
    );
  }
  return commitValue(deps, (w) => issueLink(w, deps.now(), user.id, 'reset-password'));
}

/** The user with this e-mail, for the console. */
export async function findPersonByEmail(deps: ServiceDeps, email: string): Promise<User> {
  const found = await deps.store.findUserByEmail(normaliseEmail(email));
  if (!found) throw new LivelineError('USER_NOT_FOUND', `No user has the e-mail "${email}".`);
  return found.user;
}

/** What a one-time link is for, if it is still usable. */
export async function inspectLink(
  deps: ServiceDeps,
  token: string,
): Promise<{ purpose: LinkPurpose; user: User }> {
  const found = await deps.store.findLink(hashToken(token));
  const now = deps.now();
  if (
    !found ||
    found.link.usedAt !== null ||
    Date.parse(found.link.expiresAt) <= now.getTime() ||
    found.user.disabled
  ) {
    throw new LivelineError('LINK_NOT_FOUND');
  }
  return { purpose: found.link.purpose, user: found.user };
}

/**
 * Sets the password through a one-time link and uses the link up, in one transaction: of
 * two concurrent uses only one succeeds. A reset also ends every session the user had.
 */
export async function setPasswordWithLink(
  deps: ServiceDeps,
  token: string,
  password: string,
): Promise<User> {
  checkPassword(password);
  const { purpose, user } = await inspectLink(deps, token);
  const hash = await hashPassword(password);
  const at = deps.now().toISOString();
  await commitValue(deps, async ({ tx }) => {
    if (!(await tx.useLink(hashToken(token), at))) throw new LivelineError('LINK_NOT_FOUND');
    await tx.setPasswordHash(user.id, hash);
    if (purpose === 'reset-password') await tx.deleteUserSessions(user.id);
  });
  return user;
}

/**
 * The user an e-mail and password belong to, or null. Unknown e-mails, users without a
 * password and disabled users cost the same argon2 verification as a wrong password and get
 * the same null, so the answer tells nothing about who has an account.
 */
export async function checkCredentials(
  deps: ServiceDeps,
  email: string,
  password: string,
): Promise<User | null> {
  const found = await deps.store.findUserByEmail(normaliseEmail(email));
  const ok = await verifyPassword(found?.passwordHash ?? null, password);
  if (!found || !ok || found.user.disabled) return null;
  return found.user;
}

export function listUsers(deps: ServiceDeps, actor: User | null): Promise<User[]> {
  if (actor) authorize(actor, 'people.manage');
  return deps.store.listUsers();
}

/** The enabled people with an e-mail: the desk's byline picker. */
export async function listPeople(deps: ServiceDeps): Promise<User[]> {
  return (await deps.store.listUsers()).filter((u) => u.email !== null && !u.disabled);
}

/**
 * Changes a user's role, name, byline role or whether they are disabled. Disabling ends
 * their sessions and revokes their tokens in the same transaction (and every request checks
 * the flag as well). An admin cannot disable or demote themself: a newsroom keeps an admin.
 */
export async function updatePerson(
  deps: ServiceDeps,
  actor: User,
  id: string,
  changes: UserChanges,
): Promise<User> {
  authorize(actor, 'people.manage');
  if (
    id === actor.id &&
    (changes.disabled === true || (changes.role && changes.role !== 'admin'))
  ) {
    throw new LivelineError('VALIDATION_FAILED', 'You cannot disable or demote yourself.', {
      problems: [
        { field: changes.disabled ? '/disabled' : '/role', reason: 'is your own account' },
      ],
    });
  }
  const at = deps.now().toISOString();
  return commitValue(deps, async ({ tx }) => {
    const user = await tx.updateUser(id, {
      ...changes,
      ...(changes.name !== undefined && { name: changes.name.trim() }),
      ...(changes.bylineRole !== undefined && { bylineRole: changes.bylineRole.trim() }),
    });
    // Thrown inside the commit, which then rolls back and leaves no audit entry.
    if (!user) throw noUserWithId(id);
    if (changes.disabled === true) {
      await tx.deleteUserSessions(id);
      await tx.revokeUserTokens(id, at);
    }
    return user;
  });
}

/** A personal API token of the signed-in user, shown once. */
export async function createPersonalToken(
  deps: ServiceDeps,
  user: User,
  label: string,
): Promise<{ id: string; token: string }> {
  const token = `ll_${randomBytes(32).toString('base64url')}`;
  const id = newId();
  await commitValue(deps, ({ tx }) =>
    tx.insertApiToken({ id, userId: user.id, hash: hashToken(token), expiresAt: null, label }),
  );
  return { id, token };
}

/** The signed-in user's own tokens, newest first; never a secret. */
export function listOwnTokens(deps: ServiceDeps, user: User) {
  return deps.store.listTokens(user.id);
}

/** Revokes one of the user's own tokens; another user's is not found. */
export async function revokeOwnToken(deps: ServiceDeps, user: User, id: string): Promise<void> {
  const own = (await deps.store.listTokens(user.id)).some((t) => t.id === id);
  if (!own) throw new LivelineError('TOKEN_NOT_FOUND', `You have no token with the id "${id}".`);
  const at = deps.now().toISOString();
  await commitValue(deps, ({ tx }) => tx.revokeToken(id, at));
}

/** The one JSON shape of a user: never a hash. */
export function presentUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    bylineRole: user.bylineRole,
    role: user.role,
    disabled: user.disabled,
    createdAt: user.createdAt,
  };
}
