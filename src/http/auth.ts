import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LivelineError } from '../domain/errors.ts';
import type { Session } from '../domain/session.ts';
import type { User } from '../domain/user.ts';
import { resumeSession } from '../services/sessions.ts';
import { authenticate } from '../services/tokens.ts';
import type { ServiceDeps } from '../services/deps.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user: by a valid bearer token or a desk session cookie. */
    actor: User | null;
    /** The id of the token that signed the request in. */
    actorTokenId: string | null;
    /** The desk session that signed the request in (never with a bearer token). */
    session: Session | null;
  }
}

/** The desk's session cookie: `__Host-` and Secure when the site is served over HTTPS. */
export interface SessionCookie {
  name: string;
  secure: boolean;
}

export function sessionCookieFor(publicUrl: string): SessionCookie {
  const secure = new URL(publicUrl).protocol === 'https:';
  return { name: secure ? '__Host-liveline_session' : 'liveline_session', secure };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The request came from a page of this site: its Origin is PUBLIC_URL's and Sec-Fetch-Site
 * says same-origin, when the browser sent them. With `required`, a request carrying neither
 * is refused too (every browser sends at least one on a cross-site POST; a cookie without
 * either has no business changing anything).
 */
export function checkSameOrigin(request: FastifyRequest, publicOrigin: string, required: boolean) {
  const origin = header(request, 'origin');
  const site = header(request, 'sec-fetch-site');
  if (origin === undefined && site === undefined) {
    if (required)
      throw new LivelineError(
        'CSRF_REJECTED',
        'A cookie-signed request must carry Origin or Sec-Fetch-Site.',
      );
    return;
  }
  if (origin !== undefined && origin !== publicOrigin)
    throw new LivelineError('CSRF_REJECTED', `Requests from ${origin} may not act on this site.`);
  if (site !== undefined && site !== 'same-origin')
    throw new LivelineError('CSRF_REJECTED', `A ${site} request may not act on this site.`);
}

/** The synchronizer token check, in constant time. */
function checkCsrfToken(request: FastifyRequest, session: Session): void {
  const sent = Buffer.from(header(request, 'x-csrf-token') ?? '');
  const expected = Buffer.from(session.csrfToken);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected))
    throw new LivelineError(
      'CSRF_REJECTED',
      "A cookie-signed change needs the session's x-csrf-token header.",
    );
}

/** A counter from @fastify/rate-limit's createRateLimit: counts one and says if over. */
export type RateCounter = (
  request: FastifyRequest,
) => Promise<{ isAllowed: true } | { isAllowed: false; isExceeded: boolean; ttlInSeconds: number }>;

export interface AuthLimits {
  /** Counts a failed authentication of the request's address. */
  authFailure: RateCounter;
  /** Counts a write by the request's token. */
  write: RateCounter;
}

/** Counts one against a limit; over it, a 429 problem with Retry-After. */
export async function spend(
  counter: RateCounter,
  request: FastifyRequest,
  reply: FastifyReply,
  what: string,
): Promise<void> {
  const result = await counter(request);
  if (result.isAllowed || !result.isExceeded) return;
  reply.header('retry-after', String(result.ttlInSeconds));
  throw new LivelineError('RATE_LIMITED', `${what}; try again in ${result.ttlInSeconds} s.`, {
    extra: { retryAfter: result.ttlInSeconds },
  });
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1])
    throw new LivelineError(
      'UNAUTHENTICATED',
      'The Authorization header must be "Bearer <token>".',
    );
  return match[1];
}

export interface AuthOptions {
  /** PUBLIC_URL: the only origin a cookie-signed change may come from. */
  publicUrl: string;
}

/**
 * The desk session of the request's cookie, if it is valid. A state-changing request signed
 * by it must come from this site and carry the session's CSRF token; that is checked here,
 * before the body is read, so a forged request writes nothing.
 */
async function resolveSession(
  deps: ServiceDeps,
  options: AuthOptions & { cookie: SessionCookie; origin: string },
  request: FastifyRequest,
): Promise<void> {
  const secret = request.cookies[options.cookie.name];
  if (!secret) return;
  const unsafe = !SAFE_METHODS.has(request.method);
  if (unsafe) checkSameOrigin(request, options.origin, true);
  const found = await resumeSession(deps, secret);
  if (!found) return;
  if (unsafe) checkCsrfToken(request, found.session);
  request.actor = found.user;
  request.session = found.session;
}

async function resolveActor(
  deps: ServiceDeps,
  limits: AuthLimits,
  options: AuthOptions & { cookie: SessionCookie; origin: string },
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  let token: string | null;
  try {
    token = bearerToken(request);
    // Machines sign with a bearer token (no CSRF: a browser never adds one by itself);
    // people at the desk with the session cookie.
    if (token === null) return await resolveSession(deps, options, request);
    const found = await authenticate(deps, token);
    if (!found) {
      throw new LivelineError(
        'UNAUTHENTICATED',
        'The bearer token is not valid (unknown, revoked or expired).',
      );
    }
    request.actor = found.user;
    request.actorTokenId = found.tokenId;
  } catch (error) {
    // Guessing tokens from one address is slowed down: past the limit, 429 instead of 401.
    if (error instanceof LivelineError && error.code === 'UNAUTHENTICATED') {
      await spend(limits.authFailure, request, reply, 'Too many failed authentications');
    }
    throw error;
  }
}

/**
 * Hooks that run before the body is read: a write without a valid token is refused before
 * anything else is looked at (and counted against the token's write limit); a read notes who
 * is asking, if anyone.
 */
export function authHooks(deps: ServiceDeps, limits: AuthLimits, authOptions: AuthOptions) {
  const options = {
    ...authOptions,
    cookie: sessionCookieFor(authOptions.publicUrl),
    origin: new URL(authOptions.publicUrl).origin,
  };
  return {
    cookie: options.cookie,
    origin: options.origin,
    requireUser: async (request: FastifyRequest, reply: FastifyReply) => {
      await resolveActor(deps, limits, options, request, reply);
      if (!request.actor)
        throw new LivelineError(
          'UNAUTHENTICATED',
          'This needs an "Authorization: Bearer <token>" header or a desk session.',
        );
      // Reads by signed-in people (the desk's lists and streams) are not writes.
      if (!SAFE_METHODS.has(request.method))
        await spend(limits.write, request, reply, 'Too many writes with this token');
    },
    identify: async (request: FastifyRequest, reply: FastifyReply) => {
      await resolveActor(deps, limits, options, request, reply);
    },
  };
}

/** The signed-in user of a route guarded by requireUser. */
export function actorOf(request: FastifyRequest): User {
  if (!request.actor) throw new LivelineError('UNAUTHENTICATED');
  return request.actor;
}
