import { AUDIT_SUMMARY_MAX, type NewAuditEntry } from '../domain/audit.ts';
import type { Change } from '../domain/change.ts';
import type { LivePage } from '../domain/page.ts';
import type { Post } from '../domain/post.ts';
import { PageEditBody } from '../domain/schemas.ts';
import type { User } from '../domain/user.ts';
import type { PageChanges, PostChanges, StoreReader, StoreWriter } from '../store/store.ts';
import type { AuditContext } from './audit-context.ts';
import { CONTENT_FIELDS } from './history.ts';

/**
 * The store's reads: calls through the watched writer that write nothing. Typed as a record
 * of every reader method, so a new read that is not listed here fails to compile instead of
 * counting as a write. Only the names matter (`name in READS`): a value made `false` changes
 * nothing, so the mutation tester is told not to try (docs/TESTING.md).
 */
// Stryker disable BooleanLiteral: the values are never read, only the keys.
const READS = {
  getPage: true,
  getPageById: true,
  listPages: true,
  getPost: true,
  getPinnedPost: true,
  listPosts: true,
  changesSince: true,
  findUserByTokenHash: true,
  findUserByName: true,
  getIdempotentResponse: true,
  findActiveToken: true,
  listTokens: true,
  getUser: true,
  findUserByEmail: true,
  listUsers: true,
  findSession: true,
  listSessions: true,
  findLink: true,
  lastPostTimes: true,
  listDeskPosts: true,
  listAudit: true,
  listHistory: true,
  listDue: true,
  // Webhooks and the outbox (0008-webhooks).
  listWebhooks: true,
  getWebhook: true,
  listDeliveries: true,
  getDelivery: true,
  getJob: true,
  getMedia: true,
  listPostsAfter: true,
} satisfies Record<keyof StoreReader, true>;
// Stryker restore BooleanLiteral

type Args<K extends keyof StoreWriter> = Parameters<StoreWriter[K]>;
type Result<K extends keyof StoreWriter> = Awaited<ReturnType<StoreWriter[K]>>;

/**
 * A page's editable fields but its status, which an entry tells as a move: read off the edit
 * schema, so a field added there is named here too.
 */
const PAGE_FIELDS = Object.keys(PageEditBody.properties).filter(
  (field) => field !== 'revision' && field !== 'status',
);

/**
 * What one commit did, noted from the writes it made through the store: the page and post it
 * was about and a line per write worth telling an admin. Use cases know nothing of it.
 */
class CommitNotes {
  wrote = false;
  page: LivePage | null = null;
  /** The post the commit is about, and the changes made to it (null: it was created). */
  post: { post: Post; changes: PostChanges | null } | null = null;
  /** Posts created: more than one (an import) and no one post is the subject. */
  created = 0;
  /** A person who proved who they are in this commit (a new session, a password set by link). */
  proven: string | null = null;
  /** What a user edit changed, in action words: `user.role`, `user.disable`... */
  userEdit: string | null = null;
  readonly lines: string[] = [];

  /**
   * The last post written is the subject. Unpinning the post pinned before, a side effect of
   * pinning another, is always written first (`unpinOthers` runs before the write it makes
   * room for), so the pinned post is the subject.
   */
  notePost(post: Post | null, changes: PostChanges | null): void {
    if (post) this.post = { post, changes };
  }

  notePage(before: LivePage | null, after: LivePage | null, changes: PageChanges): void {
    if (!after) return;
    const parts: string[] = [];
    // An edit's changes hold only the fields that differ, so a status in them moved.
    if (changes.status !== undefined)
      parts.push(`status ${before?.status ?? '?'} → ${after.status}`);
    const fields = PAGE_FIELDS.filter((f) => f in changes);
    if (fields.length > 0) parts.push(`changed ${fields.join(', ')}`);
    this.page = after;
    this.lines.push(`${after.title}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`);
  }

  noteUser(before: User | null, after: User | null): void {
    if (!after) return;
    const parts: string[] = [];
    if (before && before.disabled !== after.disabled) {
      parts.push(after.disabled ? 'disabled' : 'enabled');
      this.userEdit = after.disabled ? 'user.disable' : 'user.enable';
    }
    if (before && before.role !== after.role) {
      parts.push(`${before.role} → ${after.role}`);
      this.userEdit ??= 'user.role';
    }
    if (before && before.name !== after.name) parts.push(`name ${before.name} → ${after.name}`);
    if (before && before.bylineRole !== after.bylineRole)
      parts.push(`byline role "${before.bylineRole}" → "${after.bylineRole}"`);
    this.lines.push(`${after.name}: ${parts.length > 0 ? parts.join(', ') : 'unchanged'}`);
  }
}

/**
 * Notes a write once it has been made; `before` is what a user looked like before it. A write
 * that finds nothing to change is refused inside its commit, which rolls back with its entry:
 * only a sign-in's clearing of ended sessions can find one gone (a racing request's doing).
 */
function noteWrite(
  notes: CommitNotes,
  name: keyof StoreWriter,
  args: unknown[],
  result: unknown,
  before: User | null,
): void {
  switch (name) {
    case 'insertPage':
      notes.page = result as Result<'insertPage'>;
      notes.lines.push(notes.page.title);
      return;
    case 'updatePage':
      notes.notePage(notes.page, result as Result<'updatePage'>, (args as Args<'updatePage'>)[2]);
      return;
    case 'insertPost':
      notes.created += 1;
      notes.notePost(result as Result<'insertPost'>, null);
      return;
    case 'updatePost':
      notes.notePost(result as Result<'updatePost'>, (args as Args<'updatePost'>)[3]);
      return;
    case 'insertUser': {
      const [userName, role] = args as Args<'insertUser'>;
      notes.lines.push(`new user ${userName} (${role})`);
      return;
    }
    case 'insertPerson': {
      const [person] = args as Args<'insertPerson'>;
      notes.lines.push(`${person.name} <${person.email}> as ${person.role}`);
      return;
    }
    case 'updateUser':
    case 'updateUserRole':
      notes.noteUser(before, result as User | null);
      return;
    case 'insertApiToken': {
      const [token] = args as Args<'insertApiToken'>;
      notes.lines.push(`token ${token.id}${token.label ? ` "${token.label}"` : ''}`);
      return;
    }
    case 'revokeToken':
      notes.lines.push(`token ${(args as Args<'revokeToken'>)[0]} revoked`);
      return;
    case 'revokeUserTokens':
      notes.lines.push('tokens revoked');
      return;
    case 'insertSession': {
      const [session] = args as Args<'insertSession'>;
      notes.proven = session.userId;
      notes.lines.push(
        `session ${session.id}${session.userAgent ? ` (${session.userAgent})` : ''}`,
      );
      return;
    }
    case 'deleteSession':
      notes.lines.push('session ended');
      return;
    case 'deleteSessionById':
      if (result) notes.lines.push(`session ${(args as Args<'deleteSessionById'>)[1]} ended`);
      return;
    case 'setPasswordHash':
      notes.proven = (args as Args<'setPasswordHash'>)[0];
      notes.lines.push('password set');
      return;
    case 'insertMedia': {
      const [item] = args as Args<'insertMedia'>;
      notes.lines.push(
        `picture ${item.id.slice(0, 12)} (${item.width}×${item.height}): ${item.alt}`,
      );
      return;
    }
    case 'insertLink':
      notes.lines.push(`${(args as Args<'insertLink'>)[0].purpose} link`);
      return;
    // Webhooks (0008-webhooks): never the secret.
    case 'insertWebhook':
      notes.lines.push(`webhook ${(args as Args<'insertWebhook'>)[0].url}`);
      return;
    case 'deleteWebhook':
      notes.lines.push(`webhook ${(args as Args<'deleteWebhook'>)[0]} removed`);
      return;
    case 'enqueueJob':
      notes.lines.push(`${(args as Args<'enqueueJob'>)[0].topic} job queued`);
      return;
    default:
      return;
  }
}

/**
 * A view of the transaction's writer that notes each write it makes. Reads pass straight
 * through; `lockPage` notes the page as it was before the commit changed it.
 */
function watch(tx: StoreWriter, notes: CommitNotes): StoreWriter {
  return new Proxy(tx, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const name = property as keyof StoreWriter;
      const method = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
      if (name in READS) return method;
      if (name === 'lockPage')
        return async (...args: unknown[]) => {
          const page = (await method(...args)) as LivePage | null;
          notes.page ??= page;
          return page;
        };
      return async (...args: unknown[]) => {
        // A role or an account changes: the entry says from what to what.
        const before =
          name === 'updateUser' || name === 'updateUserRole'
            ? await target.getUser(String(args[0]))
            : null;
        const result = await method(...args);
        notes.wrote = true;
        noteWrite(notes, name, args, result, before);
        return result;
      };
    },
  });
}

/**
 * The generic actions say what they turned out to be: `post.publish` of a draft is
 * `post.draft`; `post.edit` publishing a draft, unpublishing, pinning or unpinning; `user.edit`
 * a role change or (dis)abling.
 */
function refine(declared: string, notes: CommitNotes): string {
  const subject = notes.created > 1 ? null : notes.post;
  if (declared === 'user.edit') return notes.userEdit ?? declared;
  if (declared === 'post.publish' && subject?.changes === null && subject.post.status === 'draft')
    return 'post.draft';
  if (declared !== 'post.edit' || !subject?.changes) return declared;
  const { changes, post } = subject;
  if (changes.status === 'published') return 'post.publish';
  if (changes.status === 'draft') return 'post.unpublish';
  const content = CONTENT_FIELDS.some((field) => field in changes);
  if (!content && changes.pinned !== undefined) return post.pinned ? 'post.pin' : 'post.unpin';
  return declared;
}

/**
 * What a commit did to a post, in words that carry none of its text: the audit log must not
 * keep what a legal removal takes out (the admin's screen shows the post's current headline,
 * read at the time it is shown).
 */
function postLine(subject: NonNullable<CommitNotes['post']>): string {
  const { post, changes } = subject;
  const changed = changes ? CONTENT_FIELDS.filter((field) => field in changes) : [];
  const parts = [
    ...(post.status === 'published' || post.status === 'deleted' ? [] : [post.status]),
    ...(changed.length > 0 ? [`changed ${changed.join(', ')}`] : []),
  ];
  return parts.length > 0 ? parts.join(', ') : 'post';
}

function clip(text: string): string {
  return text.length <= AUDIT_SUMMARY_MAX ? text : `${text.slice(0, AUDIT_SUMMARY_MAX - 1)}…`;
}

/** The audit of one commit in the making: watches its writes, then appends its entry. */
export class CommitAudit {
  private readonly notes = new CommitNotes();

  constructor(
    private readonly context: AuditContext,
    private readonly now: () => Date,
  ) {}

  /** The transaction's writer, watched. */
  watch(tx: StoreWriter): StoreWriter {
    return watch(tx, this.notes);
  }

  /** Appends the commit's entry, in its transaction, unless the commit wrote nothing. */
  async append(tx: StoreWriter, logged: readonly Change[]): Promise<void> {
    const { notes, context } = this;
    if (!notes.wrote && logged.length === 0 && !context.always) return;
    const subject = notes.created > 1 ? null : notes.post;
    const lines = [
      ...(context.note !== undefined ? [context.note] : []),
      ...(subject ? [postLine(subject)] : []),
      ...notes.lines,
      ...(notes.created > 1 ? [`${notes.created} posts`] : []),
    ];
    // An anonymous request that signed in or used a one-time link proved who it is.
    const actor =
      context.actor.kind === 'anonymous' && notes.proven !== null
        ? { kind: 'user' as const, userId: notes.proven, tokenId: null }
        : context.actor;
    const entry: NewAuditEntry = {
      at: this.now().toISOString(),
      actor,
      action: refine(context.action, notes),
      pageId: notes.page?.id ?? subject?.post.pageId ?? logged[0]?.pageId ?? null,
      postId: subject?.post.id ?? null,
      summary: clip(lines.join('; ')),
      requestId: context.requestId,
      address: context.address,
    };
    await tx.appendAudit(entry);
  }
}
