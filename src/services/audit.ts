import type { AuditEntry, AuditPosition } from '../domain/audit.ts';
import { LivelineError } from '../domain/errors.ts';
import { authorize } from '../domain/permissions.ts';
import type { User } from '../domain/user.ts';
import { currentAudit, withAudit } from './audit-context.ts';
import { commitValue } from './commit.ts';
import type { ServiceDeps } from './deps.ts';
import { findPage } from './pages.ts';

/** Entries on one screen of the audit log. */
export const AUDIT_PAGE_SIZE = 50;

/**
 * Records a failed sign-in: an entry and nothing else, in the request's context (anonymous,
 * its address), naming the e-mail tried. Bounded by the sign-in limits, which refuse (and do
 * not record) attempts past them, and cheap beside the password check each attempt costs.
 */
export async function recordFailedSignIn(deps: ServiceDeps, email: string): Promise<void> {
  const context = currentAudit();
  if (!context) return;
  const failed = {
    ...context,
    action: 'session.sign_in_failed',
    // The sign-in schema holds it to RFC 5321's 254 characters.
    note: email,
    always: true,
  };
  await withAudit(failed, () => commitValue(deps, async () => undefined));
}

/** The opaque cursor of "older than this entry". */
export function auditCursor(position: AuditPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

function readCursor(cursor: string): AuditPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      typeof value[1] === 'string'
    )
      return { at: new Date(value[0]).toISOString(), id: value[1] };
  } catch {
    // Reported below, like any other cursor this server did not give.
  }
  throw new LivelineError('VALIDATION_FAILED', 'before: not a cursor this server gave', {
    problems: [{ field: '/before', reason: 'is not a cursor from an earlier page' }],
  });
}

export interface AuditFilter {
  /** A live page's slug. */
  page?: string | undefined;
  /** The acting user's id. */
  user?: string | undefined;
  /** The `next` of the page before. */
  before?: string | undefined;
}

/** One screen of the audit log, newest first, for admins; `next` pages back. */
export async function listAuditLog(
  deps: ServiceDeps,
  actor: User,
  filter: AuditFilter,
): Promise<{ entries: AuditEntry[]; next: string | null }> {
  authorize(actor, 'audit.read');
  const page = filter.page === undefined ? null : await findPage(deps.store, filter.page);
  const found = await deps.store.listAudit({
    pageId: page?.id,
    userId: filter.user,
    before: filter.before === undefined ? undefined : readCursor(filter.before),
    limit: AUDIT_PAGE_SIZE + 1,
  });
  const entries = found.slice(0, AUDIT_PAGE_SIZE);
  const last = entries.at(-1);
  return { entries, next: found.length > AUDIT_PAGE_SIZE && last ? auditCursor(last) : null };
}

/** The one JSON shape of an audit entry. */
export function presentAuditEntry(entry: AuditEntry) {
  const { actor } = entry;
  return {
    id: entry.id,
    at: entry.at,
    action: entry.action,
    actor: {
      kind:
        actor.kind === 'user'
          ? actor.tokenId === null
            ? ('user' as const)
            : ('token' as const)
          : actor.kind === 'system'
            ? ('system' as const)
            : ('unknown' as const),
      userId: actor.kind === 'user' ? actor.userId : null,
      tokenId: actor.kind === 'user' ? actor.tokenId : null,
      name: actor.kind === 'system' ? actor.name : entry.actorName,
    },
    page:
      entry.pageId === null
        ? null
        : { id: entry.pageId, slug: entry.pageSlug, title: entry.pageTitle },
    post: entry.postId === null ? null : { id: entry.postId, headline: entry.postHeadline },
    summary: entry.summary,
    requestId: entry.requestId,
    address: entry.address,
  };
}

export type PresentedAuditEntry = ReturnType<typeof presentAuditEntry>;
