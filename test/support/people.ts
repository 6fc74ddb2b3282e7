import { randomBytes } from 'node:crypto';
import type { Role, User } from '../../src/domain/user.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { invitePerson, setPasswordWithLink } from '../../src/services/people.ts';
import type { TestApp } from './app.ts';

export interface Person {
  user: User;
  email: string;
  password: string;
}

let made = 0;

/**
 * A person who can sign in to the desk: invited through the same use case as the desk and
 * the CLI, with the password set through their one-time link. Unique e-mail and name unless
 * given.
 */
export async function createPerson(
  t: { services: ServiceDeps },
  options: {
    role?: Role;
    name?: string;
    email?: string;
    bylineRole?: string;
    password?: string;
  } = {},
): Promise<Person> {
  made += 1;
  const tag = `${made}-${randomBytes(3).toString('hex')}`;
  const email = options.email ?? `person-${tag}@newsroom.test`;
  const password = options.password ?? `correct horse ${tag}`;
  const { link } = await invitePerson(t.services, null, {
    email,
    name: options.name ?? `Person ${tag}`,
    role: options.role ?? 'editor',
    bylineRole: options.bylineRole ?? 'Reporter',
  });
  const user = await setPasswordWithLink(t.services, link.token, password);
  return { user, email, password };
}

/** A signed-in desk: what a browser holds after signing in, as request headers. */
export interface DeskSession {
  /** `name=value` of the session cookie. */
  cookie: string;
  csrfToken: string;
  user: { id: string; email: string | null; name: string; role: Role };
  /** Cookie, CSRF token and a same-origin Origin: what the desk app sends on a change. */
  headers: Record<string, string>;
}

function sessionOf(setCookie: string | string[] | undefined, body: unknown, origin: string) {
  const first = (Array.isArray(setCookie) ? setCookie : [setCookie ?? ''])[0] ?? '';
  const cookie = first.split(';')[0] ?? '';
  const { csrfToken, user } = body as { csrfToken: string; user: DeskSession['user'] };
  return {
    cookie,
    csrfToken,
    user,
    headers: { cookie, 'x-csrf-token': csrfToken, origin },
  };
}

/**
 * Signs in through POST /desk/api/sign-in: against a test app (injected) or a server's URL
 * (real HTTP). Throws unless the sign-in succeeds.
 */
export async function signIn(
  target: TestApp | string,
  email: string,
  password: string,
): Promise<DeskSession> {
  if (typeof target === 'string') {
    const origin = new URL(target).origin;
    const res = await fetch(`${target}/desk/api/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
    return sessionOf(res.headers.getSetCookie(), await res.json(), origin);
  }
  const res = await target.app.inject({
    method: 'POST',
    url: '/desk/api/sign-in',
    headers: { origin: target.origin },
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in answered ${res.statusCode}: ${res.body}`);
  return sessionOf(res.headers['set-cookie'], res.json(), target.origin);
}
