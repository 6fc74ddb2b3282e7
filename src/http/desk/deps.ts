import type { FastifyReply } from 'fastify';
import type { PresenceBoard } from '../../presence/presence.ts';
import type { FanoutHub } from '../../realtime/hub.ts';
import type { StreamLimits } from '../../realtime/stream-limits.ts';
import type { Session } from '../../domain/session.ts';
import type { User } from '../../domain/user.ts';
import { presentUser } from '../../services/people.ts';
import type { HttpDeps } from '../deps.ts';

/** What the desk's JSON routes are given. */
export interface DeskDeps extends HttpDeps {
  hub: FanoutHub;
  limits: StreamLimits;
  /** PUBLIC_URL without a trailing slash: one-time links and the allowed Origin. */
  publicUrl: string;
  /** Sign-in attempts per 15 minutes. */
  signInLimits: { perAccount: number; perAddress: number };
  heartbeatMs: number;
  /** Who is on each page's desk and what they are doing (ADR 0016). */
  presence: PresenceBoard;
}

/** Gives the browser its session cookie: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS. */
export function setSessionCookie(
  reply: FastifyReply,
  deps: DeskDeps,
  secret: string,
  session: Session,
): void {
  const { name, secure } = deps.auth.cookie;
  const maxAge = Math.max(
    0,
    Math.floor((Date.parse(session.expiresAt) - deps.services.now().getTime()) / 1000),
  );
  reply.setCookie(name, secret, { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge });
}

export function clearSessionCookie(reply: FastifyReply, deps: DeskDeps): void {
  const { name, secure } = deps.auth.cookie;
  reply.clearCookie(name, { httpOnly: true, sameSite: 'lax', path: '/', secure });
}

/** The answer of sign-in, `me` and a used link: who you are and your CSRF token. */
export function signedIn(user: User, session: Session) {
  return { user: presentUser(user), csrfToken: session.csrfToken };
}
