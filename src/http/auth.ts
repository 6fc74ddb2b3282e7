import type { FastifyReply, FastifyRequest } from 'fastify';
import { LivelineError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { authenticate } from '../services/tokens.ts';
import type { ServiceDeps } from '../services/deps.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, when the request carried a valid bearer token. */
    actor: User | null;
  }
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

async function resolveActor(deps: ServiceDeps, request: FastifyRequest): Promise<User | null> {
  const token = bearerToken(request);
  if (token === null) return null;
  const user = await authenticate(deps, token);
  if (!user) throw new LivelineError('UNAUTHENTICATED', 'The bearer token is not valid.');
  return user;
}

/**
 * Hooks that run before the body is read: a write without a valid token is refused before
 * anything else is looked at; a read notes who is asking, if anyone.
 */
export function authHooks(deps: ServiceDeps) {
  return {
    requireUser: async (request: FastifyRequest, _reply: FastifyReply) => {
      const actor = await resolveActor(deps, request);
      if (!actor)
        throw new LivelineError(
          'UNAUTHENTICATED',
          'Writes need an "Authorization: Bearer <token>" header.',
        );
      request.actor = actor;
    },
    identify: async (request: FastifyRequest, _reply: FastifyReply) => {
      request.actor = await resolveActor(deps, request);
    },
  };
}

/** The signed-in user of a route guarded by requireUser. */
export function actorOf(request: FastifyRequest): User {
  if (!request.actor) throw new LivelineError('UNAUTHENTICATED');
  return request.actor;
}
