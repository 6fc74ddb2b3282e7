import type { FastifyReply, FastifyRequest } from 'fastify';
import { LivelineError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { authenticate } from '../services/tokens.ts';
import type { ServiceDeps } from '../services/deps.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, when the request carried a valid bearer token. */
    actor: User | null;
    /** The id of the token that signed the request in. */
    actorTokenId: string | null;
  }
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
async function spend(
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

async function resolveActor(
  deps: ServiceDeps,
  limits: AuthLimits,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  let token: string | null;
  try {
    token = bearerToken(request);
    if (token === null) return;
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
export function authHooks(deps: ServiceDeps, limits: AuthLimits) {
  return {
    requireUser: async (request: FastifyRequest, reply: FastifyReply) => {
      await resolveActor(deps, limits, request, reply);
      if (!request.actor)
        throw new LivelineError(
          'UNAUTHENTICATED',
          'Writes need an "Authorization: Bearer <token>" header.',
        );
      await spend(limits.write, request, reply, 'Too many writes with this token');
    },
    identify: async (request: FastifyRequest, reply: FastifyReply) => {
      await resolveActor(deps, limits, request, reply);
    },
  };
}

/** The signed-in user of a route guarded by requireUser. */
export function actorOf(request: FastifyRequest): User {
  if (!request.actor) throw new LivelineError('UNAUTHENTICATED');
  return request.actor;
}
