import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditActor } from '../domain/audit.ts';
import type { User } from '../domain/user.ts';

/**
 * Who is acting and what the action is called, for every commit made while it is set: the
 * HTTP layer sets it for each write route (src/http/audit-context.ts), the CLI for each
 * command, background jobs with `asActor`. The commit path reads it (ADR 0019); nothing
 * else needs to pass it along.
 */
export interface AuditContext {
  actor: AuditActor;
  /** E.g. `post.publish`; see docs/architecture.md, "The audit log". */
  action: string;
  requestId: string | null;
  /** The client's address (as `trustProxy` resolves it). */
  address: string | null;
  /** A line the entry point adds to the summary, e.g. the e-mail a failed sign-in tried. */
  note?: string;
  /** Record the commit even when it wrote nothing (a failed sign-in writes only its entry). */
  always?: boolean;
}

const storage = new AsyncLocalStorage<AuditContext>();

/** The audit context of the code running now, if any. */
export function currentAudit(): AuditContext | undefined {
  return storage.getStore();
}

/** Runs `fn` with `context`: every commit inside it is recorded with that actor and action. */
export function withAudit<T>(context: AuditContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The actor of a signed-in user, by session (no token) or by one of their API tokens. */
export function userActor(user: User, tokenId: string | null): AuditActor {
  return { kind: 'user', userId: user.id, tokenId };
}

/**
 * Runs `fn` as `actor`, e.g. `asActor({ kind: 'system', name: 'scheduler' }, 'post.publish',
 * () => publishDue(...))`: for work that no request started (jobs, the CLI).
 */
export function asActor<T>(actor: AuditActor, action: string, fn: () => Promise<T>): Promise<T> {
  return withAudit({ actor, action, requestId: null, address: null }, fn);
}

/** Runs `fn` as the same actor under another action name (a sign-in after setting a password). */
export function asAction<T>(action: string, fn: () => Promise<T>): Promise<T> {
  const context = currentAudit();
  return context ? withAudit({ ...context, action }, fn) : fn();
}
