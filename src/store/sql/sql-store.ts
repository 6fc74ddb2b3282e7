import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditEntry, AuditQuery, NewAuditEntry } from '../../domain/audit.ts';
import type { Change, ChangeData } from '../../domain/change.ts';
import { LivelineError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { LivePage } from '../../domain/page.ts';
import type { Post, Removal } from '../../domain/post.ts';
import type { HistoryEntry, NewHistoryEntry } from '../../domain/history.ts';
import type { LinkPurpose, OneTimeLink, Session } from '../../domain/session.ts';
import type { Role, User, UserChanges } from '../../domain/user.ts';
import type { TokenInfo } from '../../domain/token.ts';
import {
  IdempotencyConflict,
  type DueItem,
  type IdempotentResponse,
  type NewPage,
  type NewPerson,
  type NewPost,
  type PageChanges,
  type PostChanges,
  type PostKey,
  type Store,
  type StoreWriter,
} from '../store.ts';
import type { Codec } from './codec.ts';
import { claimPushAlert, SqlPushStore } from './push.ts';
import {
  toAuditEntry,
  toChange,
  toHistoryEntry,
  toLink,
  toPage,
  toPost,
  toSession,
  toUser,
} from './rows.ts';
import type { Database } from './schema.ts';
import * as outbox from './outbox.ts';
import * as webhooks from './webhooks.ts';
import type { NewWebhookEndpoint, WebhookDelivery, WebhookEndpoint } from '../../domain/webhook.ts';
import type { JobOutcome, NewJob, OutboxJob } from '../../outbox/job.ts';
import type { MediaItem, NewMediaItem } from '../../domain/media.ts';
import { getMedia, insertMedia } from './media.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A unique-constraint violation, as either driver reports it. */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return (
    e.code === '23505' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

function taken(field: string, what: string): LivelineError {
  return new LivelineError('VALIDATION_FAILED', `${field}: another user has this ${what}`, {
    problems: [{ field, reason: `another user has this ${what}` }],
  });
}

/** Reads and writes over one Kysely connection or transaction. */
class SqlAccess implements StoreWriter {
  constructor(
    protected readonly db: Db,
    protected readonly codec: Codec,
    protected readonly now: () => Date,
    readonly kind: 'sqlite' | 'postgres',
  ) {}

  async lockPage(slug: string): Promise<LivePage | null> {
    const query = this.db.selectFrom('pages').selectAll().where('slug', '=', slug);
    // SQLite has no row locks: its transactions begin with the database's write lock.
    const row = await (this.kind === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
    return row ? toPage(this.codec, row) : null;
  }

  async supersedeChanges(pageId: string, postId: string, beforeSeq: number): Promise<void> {
    const data: ChangeData = { kind: 'post.superseded', postId, supersededBy: beforeSeq };
    await this.db
      .updateTable('changes')
      .set({ kind: data.kind, data: this.codec.writeJson(data) })
      .where('page_id', '=', pageId)
      .where('post_id', '=', postId)
      .where('seq', '<', beforeSeq)
      .where('kind', '<>', data.kind)
      .execute();
  }

  async getPage(slug: string): Promise<LivePage | null> {
    const row = await this.db
      .selectFrom('pages')
      .selectAll()
      .where('slug', '=', slug)
      .executeTakeFirst();
    return row ? toPage(this.codec, row) : null;
  }

  async getPageById(id: string): Promise<LivePage | null> {
    const row = await this.db
      .selectFrom('pages')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toPage(this.codec, row) : null;
  }

  async listPages(): Promise<LivePage[]> {
    const rows = await this.db
      .selectFrom('pages')
      .selectAll()
      .orderBy('updated_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map((row) => toPage(this.codec, row));
  }

  async getPost(pageId: string, postId: string): Promise<Post | null> {
    const row = await this.db
      .selectFrom('posts')
      .selectAll()
      .where('page_id', '=', pageId)
      .where('id', '=', postId)
      .executeTakeFirst();
    return row ? toPost(this.codec, row) : null;
  }

  async getPinnedPost(pageId: string): Promise<Post | null> {
    const row = await this.db
      .selectFrom('posts')
      .selectAll()
      .where('page_id', '=', pageId)
      .where('status', '=', 'published')
      .where('pinned', '=', this.codec.writeBool(true))
      .executeTakeFirst();
    return row ? toPost(this.codec, row) : null;
  }

  async listPosts(pageId: string, offset: number, limit: number): Promise<Post[]> {
    const rows = await this.db
      .selectFrom('posts')
      .selectAll()
      .where('page_id', '=', pageId)
      .where('status', '=', 'published')
      .orderBy('pinned', 'desc')
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map((row) => toPost(this.codec, row));
  }

  async changesSince(pageId: string, since: number, limit: number): Promise<Change[]> {
    const rows = await this.db
      .selectFrom('changes')
      .selectAll()
      .where('page_id', '=', pageId)
      .where('seq', '>', since)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((row) => toChange(this.codec, row));
  }

  async findUserByTokenHash(hash: string): Promise<User | null> {
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('users')
      .where('api_tokens.hash', '=', hash)
      .executeTakeFirst();
    return row ? toUser(this.codec, row) : null;
  }

  async findUserByName(name: string): Promise<User | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toUser(this.codec, row) : null;
  }

  async getIdempotentResponse(userId: string, key: string): Promise<IdempotentResponse | null> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'status', 'headers', 'body'])
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row
      ? {
          fingerprint: row.fingerprint,
          status: row.status,
          headers: this.codec.readJson(row.headers) as Record<string, string>,
          body: this.codec.readJson(row.body),
        }
      : null;
  }

  async insertPage(page: NewPage): Promise<LivePage> {
    const at = this.now().toISOString();
    const live = page.status === 'live' || page.status === 'paused' || page.status === 'ended';
    try {
      const row = await this.db
        .insertInto('pages')
        .values({
          id: newId(),
          slug: page.slug,
          title: page.title,
          description: page.description,
          status: page.status,
          summary: this.codec.writeJson(page.summary),
          lead_media: page.leadMedia === null ? null : this.codec.writeJson(page.leadMedia),
          time_zone: page.timeZone,
          text_format: this.codec.writeJson(page.textFormat),
          revision: 1,
          last_seq: 0,
          post_count: 0,
          created_at: at,
          updated_at: at,
          started_at: live ? at : null,
          ended_at: page.status === 'ended' ? at : null,
          review_mode: page.reviewMode ?? 'direct',
          scheduled_for: page.scheduledFor ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPage(this.codec, row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new LivelineError(
          'SLUG_TAKEN',
          `A live page with the slug "${page.slug}" already exists.`,
        );
      throw error;
    }
  }

  async updatePage(
    pageId: string,
    revision: number,
    changes: PageChanges,
  ): Promise<LivePage | null> {
    const c = this.codec;
    const row = await this.db
      .updateTable('pages')
      .set((eb) => ({
        revision: eb('revision', '+', 1),
        updated_at: this.now().toISOString(),
        ...(changes.title !== undefined && { title: changes.title }),
        ...(changes.description !== undefined && { description: changes.description }),
        ...(changes.status !== undefined && { status: changes.status }),
        ...(changes.summary !== undefined && { summary: c.writeJson(changes.summary) }),
        ...(changes.leadMedia !== undefined && {
          lead_media: changes.leadMedia === null ? null : c.writeJson(changes.leadMedia),
        }),
        ...(changes.timeZone !== undefined && { time_zone: changes.timeZone }),
        ...(changes.textFormat !== undefined && { text_format: c.writeJson(changes.textFormat) }),
        ...(changes.startedAt !== undefined && { started_at: changes.startedAt }),
        ...(changes.endedAt !== undefined && { ended_at: changes.endedAt }),
        ...(changes.reviewMode !== undefined && { review_mode: changes.reviewMode }),
        ...(changes.scheduledFor !== undefined && { scheduled_for: changes.scheduledFor }),
      }))
      .where('id', '=', pageId)
      .where('revision', '=', revision)
      .returningAll()
      .executeTakeFirst();
    return row ? toPage(c, row) : null;
  }

  async insertPost(post: NewPost): Promise<Post> {
    const at = this.now().toISOString();
    const c = this.codec;
    const row = await this.db
      .insertInto('posts')
      .values({
        id: newId(),
        page_id: post.pageId,
        status: post.status,
        headline: post.headline,
        published_at: post.publishedAt,
        labels: c.writeJson(post.labels),
        pinned: c.writeBool(post.pinned),
        contributors: c.writeJson(post.contributors),
        body: c.writeJson(post.body),
        revision: 1,
        created_at: at,
        updated_at: at,
        author_id: post.authorId,
        scheduled_for: post.scheduledFor ?? null,
        review_note: post.reviewNote ?? null,
        corrections: c.writeJson(post.corrections ?? []),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPost(c, row);
  }

  async updatePost(
    pageId: string,
    postId: string,
    expectedRevision: number,
    changes: PostChanges,
  ): Promise<Post | null> {
    const c = this.codec;
    const row = await this.db
      .updateTable('posts')
      .set({
        ...(changes.status !== undefined && { status: changes.status }),
        ...(changes.headline !== undefined && { headline: changes.headline }),
        ...(changes.publishedAt !== undefined && { published_at: changes.publishedAt }),
        ...(changes.labels !== undefined && { labels: c.writeJson(changes.labels) }),
        ...(changes.pinned !== undefined && { pinned: c.writeBool(changes.pinned) }),
        ...(changes.contributors !== undefined && {
          contributors: c.writeJson(changes.contributors),
        }),
        ...(changes.body !== undefined && { body: c.writeJson(changes.body) }),
        ...(changes.revision !== undefined && { revision: changes.revision }),
        ...(changes.updatedAt !== undefined && { updated_at: changes.updatedAt }),
        ...(changes.scheduledFor !== undefined && { scheduled_for: changes.scheduledFor }),
        ...(changes.reviewNote !== undefined && { review_note: changes.reviewNote }),
        ...(changes.corrections !== undefined && {
          corrections: c.writeJson(changes.corrections),
        }),
        ...(changes.removal !== undefined && {
          removal: changes.removal === null ? null : c.writeJson(changes.removal),
        }),
      })
      .where('page_id', '=', pageId)
      .where('id', '=', postId)
      .where('revision', '=', expectedRevision)
      .returningAll()
      .executeTakeFirst();
    return row ? toPost(c, row) : null;
  }

  async adjustPostCount(pageId: string, delta: number): Promise<void> {
    await this.db
      .updateTable('pages')
      .set((eb) => ({ post_count: eb('post_count', '+', delta) }))
      .where('id', '=', pageId)
      .execute();
  }

  async appendChange(pageId: string, postId: string | null, data: ChangeData): Promise<Change> {
    // Taking the next number by updating the page row also locks it (PostgreSQL) or runs
    // under the single writer (SQLite), so numbers are handed out without gaps or races.
    const { last_seq } = await this.db
      .updateTable('pages')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
      .where('id', '=', pageId)
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    const row = await this.db
      .insertInto('changes')
      .values({
        page_id: pageId,
        seq: Number(last_seq),
        kind: data.kind,
        post_id: postId,
        at: this.now().toISOString(),
        data: this.codec.writeJson(data),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toChange(this.codec, row);
  }

  async insertUser(name: string, role: Role): Promise<User> {
    const row = await this.db
      .insertInto('users')
      .values({ id: newId(), name, role, created_at: this.now().toISOString() })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(this.codec, row);
  }

  async ensureUser(name: string, role: Role): Promise<User> {
    await this.db
      .insertInto('users')
      .values({ id: newId(), name, role, created_at: this.now().toISOString() })
      .onConflict((c) => c.column('name').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return toUser(this.codec, row);
  }

  async updateUserRole(userId: string, role: Role): Promise<User> {
    const row = await this.db
      .updateTable('users')
      .set({ role })
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(this.codec, row);
  }

  async insertToken(userId: string, hash: string): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({ hash, user_id: userId, created_at: this.now().toISOString() })
      .execute();
  }

  // API tokens (0003-tokens).

  async findActiveToken(hash: string, at: string): Promise<{ user: User; tokenId: string } | null> {
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('users')
      .select('api_tokens.id as token_id')
      .where('api_tokens.hash', '=', hash)
      .where('api_tokens.revoked_at', 'is', null)
      // A disabled user's tokens stop working at once, whatever else happened to them.
      .where('users.disabled', '=', this.codec.writeBool(false))
      .where((eb) =>
        eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', at)]),
      )
      .executeTakeFirst();
    if (!row) return null;
    const { token_id, ...user } = row;
    return { user: toUser(this.codec, user), tokenId: token_id ?? '' };
  }

  async listTokens(userId?: string): Promise<TokenInfo[]> {
    let query = this.db.selectFrom('api_tokens');
    if (userId !== undefined) query = query.where('api_tokens.user_id', '=', userId);
    const rows = await query
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select([
        'api_tokens.id',
        'api_tokens.created_at',
        'api_tokens.expires_at',
        'api_tokens.revoked_at',
        'api_tokens.last_used_at',
        'api_tokens.label',
        'users.id as user_id',
        'users.name',
        'users.role',
      ])
      .orderBy('api_tokens.created_at', 'desc')
      .orderBy('api_tokens.id', 'desc')
      .execute();
    const time = (value: unknown) => (value === null ? null : this.codec.readTime(value));
    return rows.map((row) => ({
      id: row.id ?? '',
      userId: row.user_id,
      userName: row.name,
      role: row.role as Role,
      createdAt: this.codec.readTime(row.created_at),
      lastUsedAt: time(row.last_used_at),
      expiresAt: time(row.expires_at),
      revokedAt: time(row.revoked_at),
      label: row.label,
    }));
  }

  async insertApiToken(token: {
    id: string;
    userId: string;
    hash: string;
    expiresAt: string | null;
    label?: string | null;
  }): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({
        id: token.id,
        hash: token.hash,
        user_id: token.userId,
        created_at: this.now().toISOString(),
        expires_at: token.expiresAt,
        label: token.label ?? null,
      })
      .execute();
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    const found = await this.db
      .selectFrom('api_tokens')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!found) return false;
    // A second revoke keeps the time of the first.
    await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    return true;
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .execute();
  }

  // People and sessions (0004-people).

  async getUser(id: string): Promise<User | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toUser(this.codec, row) : null;
  }

  async findUserByEmail(
    email: string,
  ): Promise<{ user: User; passwordHash: string | null } | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirst();
    return row ? { user: toUser(this.codec, row), passwordHash: row.password_hash } : null;
  }

  async listUsers(ids?: readonly string[]): Promise<User[]> {
    if (ids?.length === 0) return [];
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .$if(ids !== undefined, (query) => query.where('id', 'in', ids ?? []))
      .orderBy('name')
      .execute();
    return rows.map((row) => toUser(this.codec, row));
  }

  async findSession(hash: string): Promise<{ session: Session; user: User } | null> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select([
        'sessions.id as session_id',
        'sessions.hash as session_hash',
        'sessions.csrf_token',
        'sessions.created_at as session_created_at',
        'sessions.last_seen_at',
        'sessions.expires_at',
        'sessions.user_agent',
      ])
      .where('sessions.hash', '=', hash)
      .executeTakeFirst();
    if (!row) return null;
    const {
      session_id,
      session_hash,
      csrf_token,
      session_created_at,
      last_seen_at,
      expires_at,
      user_agent,
      ...user
    } = row;
    return {
      user: toUser(this.codec, user),
      session: toSession(this.codec, {
        id: session_id,
        hash: session_hash,
        user_id: user.id,
        csrf_token,
        created_at: session_created_at,
        last_seen_at,
        expires_at,
        user_agent,
      }),
    };
  }

  async listSessions(userId: string): Promise<Session[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map((row) => toSession(this.codec, row));
  }

  async findLink(hash: string): Promise<{ link: OneTimeLink; user: User } | null> {
    const link = await this.db
      .selectFrom('one_time_links')
      .selectAll()
      .where('hash', '=', hash)
      .executeTakeFirst();
    if (!link) return null;
    const user = await this.getUser(link.user_id);
    return user ? { link: toLink(this.codec, link), user } : null;
  }

  async lastPostTimes(): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('posts')
      .select(['page_id', sql<unknown>`max(published_at)`.as('last')])
      .where('status', '=', 'published')
      .groupBy('page_id')
      .execute();
    return new Map(
      rows.filter((r) => r.last !== null).map((r) => [r.page_id, this.codec.readTime(r.last)]),
    );
  }

  async listDeskPosts(pageId: string, limit: number): Promise<Post[]> {
    const rows = await this.db
      .selectFrom('posts')
      .selectAll()
      .where('page_id', '=', pageId)
      .where('status', '<>', 'deleted')
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => toPost(this.codec, row));
  }

  async listDue(at: string, limit: number): Promise<DueItem[]> {
    const pages = await this.db
      .selectFrom('pages')
      .select(['slug', 'scheduled_for'])
      .where('status', '=', 'scheduled')
      .where('scheduled_for', '<=', at)
      .orderBy('scheduled_for')
      .limit(limit)
      .execute();
    const posts = await this.db
      .selectFrom('posts')
      .innerJoin('pages', 'pages.id', 'posts.page_id')
      .select(['pages.slug', 'posts.id', 'posts.scheduled_for'])
      .where('posts.status', '=', 'scheduled')
      .where('posts.scheduled_for', '<=', at)
      .orderBy('posts.scheduled_for')
      .orderBy('posts.id')
      .limit(limit)
      .execute();
    // A page goes live before its posts of the same moment publish.
    return [
      ...pages.map((p) => ({
        kind: 'page' as const,
        slug: p.slug,
        scheduledFor: this.codec.readTime(p.scheduled_for),
      })),
      ...posts.map((p) => ({
        kind: 'post' as const,
        slug: p.slug,
        postId: p.id,
        scheduledFor: this.codec.readTime(p.scheduled_for),
      })),
    ];
  }

  async listHistory(pageId: string, postId: string): Promise<HistoryEntry[]> {
    const rows = await this.db
      .selectFrom('post_history')
      .selectAll()
      .where('post_id', '=', postId)
      .where('page_id', '=', pageId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((row) => toHistoryEntry(this.codec, row));
  }

  async appendHistory(entry: NewHistoryEntry): Promise<HistoryEntry> {
    const c = this.codec;
    const row = await this.db
      .insertInto('post_history')
      .values({
        id: newId(),
        page_id: entry.pageId,
        post_id: entry.postId,
        at: this.now().toISOString(),
        actor_id: entry.actor.kind === 'user' ? entry.actor.id : null,
        actor_system: entry.actor.kind === 'system' ? entry.actor.name : null,
        action: entry.action,
        revision: entry.revision,
        fields: c.writeJson(entry.fields),
        content: entry.content === null ? null : c.writeJson(entry.content),
        note: entry.note,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toHistoryEntry(c, row);
  }

  async scrubHistory(pageId: string, postId: string, removal: Removal): Promise<void> {
    await this.db
      .updateTable('post_history')
      .set({ content: null, note: null, removal: this.codec.writeJson(removal) })
      .where('page_id', '=', pageId)
      .where('post_id', '=', postId)
      .execute();
  }

  async removeVersionContent(
    pageId: string,
    postId: string,
    revision: number,
    removal: Removal,
  ): Promise<number> {
    const result = await this.db
      .updateTable('post_history')
      .set({ content: null, removal: this.codec.writeJson(removal) })
      .where('page_id', '=', pageId)
      .where('post_id', '=', postId)
      .where('revision', '=', revision)
      .where('content', 'is not', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async rewriteIdempotentAnswers(
    postId: string,
    answer: Omit<IdempotentResponse, 'fingerprint'>,
  ): Promise<number> {
    // Ids are 20 characters of [0-9a-z]: a text search finds the candidates on either
    // database, and only an answer that IS the post (its JSON's id) is rewritten.
    const candidates = await this.db
      .selectFrom('idempotency_keys')
      .select(['user_id', 'key', 'body'])
      .where(sql<string>`cast(body as text)`, 'like', `%${postId}%`)
      .execute();
    const carrying = candidates.filter((row) => {
      const body = this.codec.readJson(row.body) as { id?: unknown } | null;
      return body !== null && typeof body === 'object' && body.id === postId;
    });
    for (const row of carrying) {
      await this.db
        .updateTable('idempotency_keys')
        .set({
          status: answer.status,
          headers: this.codec.writeJson(answer.headers),
          body: this.codec.writeJson(answer.body),
        })
        .where('user_id', '=', row.user_id)
        .where('key', '=', row.key)
        .execute();
    }
    return carrying.length;
  }

  async insertPerson(person: NewPerson): Promise<User> {
    await this.refuseTaken(person.email, person.name, null);
    try {
      const row = await this.db
        .insertInto('users')
        .values({
          id: newId(),
          name: person.name,
          role: person.role,
          created_at: this.now().toISOString(),
          email: person.email,
          byline_role: person.bylineRole,
          disabled: this.codec.writeBool(false),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(this.codec, row);
    } catch (error) {
      // A concurrent insert won the race after the check above.
      if (isUniqueViolation(error)) throw taken('/email', 'e-mail or name');
      throw error;
    }
  }

  /**
   * Refuses an e-mail or name another user has, naming the field. Checked before writing:
   * after a failed statement PostgreSQL accepts no other in the same transaction.
   */
  private async refuseTaken(email: string | null, name: string | null, self: string | null) {
    for (const [column, value, field, what] of [
      ['email', email, '/email', 'e-mail'],
      ['name', name, '/name', 'name'],
    ] as const) {
      if (value === null) continue;
      const other = await this.db
        .selectFrom('users')
        .select('id')
        .where(column, '=', value)
        .executeTakeFirst();
      if (other && other.id !== self) throw taken(field, what);
    }
  }

  async updateUser(id: string, changes: UserChanges): Promise<User | null> {
    const c = this.codec;
    const set = {
      ...(changes.role !== undefined && { role: changes.role }),
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.bylineRole !== undefined && { byline_role: changes.bylineRole }),
      ...(changes.disabled !== undefined && { disabled: c.writeBool(changes.disabled) }),
    };
    if (Object.keys(set).length === 0) return this.getUser(id);
    await this.refuseTaken(null, changes.name ?? null, id);
    try {
      const row = await this.db
        .updateTable('users')
        .set(set)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row ? toUser(c, row) : null;
    } catch (error) {
      if (isUniqueViolation(error)) throw taken('/name', 'name');
      throw error;
    }
  }

  async setPasswordHash(userId: string, hash: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: hash })
      .where('id', '=', userId)
      .execute();
  }

  async insertSession(session: Session & { hash: string }): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        hash: session.hash,
        id: session.id,
        user_id: session.userId,
        csrf_token: session.csrfToken,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
        expires_at: session.expiresAt,
        user_agent: session.userAgent,
      })
      .execute();
  }

  async touchSession(hash: string, at: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: at })
      .where('hash', '=', hash)
      .execute();
  }

  async deleteSession(hash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('hash', '=', hash).execute();
  }

  async deleteSessionById(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async revokeUserTokens(userId: string, at: string): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async insertLink(link: {
    hash: string;
    userId: string;
    purpose: LinkPurpose;
    expiresAt: string;
  }): Promise<void> {
    await this.db
      .insertInto('one_time_links')
      .values({
        hash: link.hash,
        user_id: link.userId,
        purpose: link.purpose,
        created_at: this.now().toISOString(),
        expires_at: link.expiresAt,
      })
      .execute();
  }

  async useLink(hash: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('one_time_links')
      .set({ used_at: at })
      .where('hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async saveIdempotentResponse(
    userId: string,
    key: string,
    response: IdempotentResponse,
  ): Promise<void> {
    try {
      await this.db
        .insertInto('idempotency_keys')
        .values({
          user_id: userId,
          key,
          fingerprint: response.fingerprint,
          status: response.status,
          headers: this.codec.writeJson(response.headers),
          body: this.codec.writeJson(response.body),
          created_at: this.now().toISOString(),
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new IdempotencyConflict();
      throw error;
    }
  }

  // The audit log (0006-audit).

  async appendAudit(entry: NewAuditEntry): Promise<void> {
    const { actor } = entry;
    await this.db
      .insertInto('audit_log')
      .values({
        id: newId(),
        at: entry.at,
        actor_user_id: actor.kind === 'user' ? actor.userId : null,
        actor_token_id: actor.kind === 'user' ? actor.tokenId : null,
        actor_system: actor.kind === 'system' ? actor.name : null,
        action: entry.action,
        page_id: entry.pageId,
        post_id: entry.postId,
        summary: entry.summary,
        request_id: entry.requestId,
        address: entry.address,
      })
      .execute();
  }

  async listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    let select = this.db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
      .leftJoin('pages', 'pages.id', 'audit_log.page_id')
      .leftJoin('posts', 'posts.id', 'audit_log.post_id')
      .selectAll('audit_log')
      .select([
        'users.name as actor_name',
        'pages.slug as page_slug',
        'pages.title as page_title',
        'posts.headline as post_headline',
      ]);
    if (query.pageId !== undefined) select = select.where('audit_log.page_id', '=', query.pageId);
    if (query.userId !== undefined)
      select = select.where('audit_log.actor_user_id', '=', query.userId);
    const before = query.before;
    if (before !== undefined) {
      // Keyset paging: strictly older than the last entry shown, whatever was added since.
      select = select.where((eb) =>
        eb.or([
          eb('audit_log.at', '<', before.at),
          eb.and([eb('audit_log.at', '=', before.at), eb('audit_log.id', '<', before.id)]),
        ]),
      );
    }
    const rows = await select
      .orderBy('audit_log.at', 'desc')
      .orderBy('audit_log.id', 'desc')
      .limit(query.limit)
      .execute();
    return rows.map((row) => toAuditEntry(this.codec, row));
  }

  // Push alerts (0009-push): the SQL is in push.ts.
  claimAlert(pageId: string, postId: string): Promise<boolean> {
    return claimPushAlert(this.db, pageId, postId, this.now().toISOString());
  }

  // Webhooks and the outbox (0008-webhooks): the SQL is in outbox.ts and webhooks.ts.

  enqueueJob(job: NewJob): Promise<string> {
    return outbox.enqueueJob(this.db, this.codec, this.now().toISOString(), job);
  }

  claimJobs(owner: string, until: string, limit: number): Promise<OutboxJob[]> {
    const at = this.now().toISOString();
    return outbox.claimJobs(this.db, this.codec, { owner, at, until, limit });
  }

  finishJob(
    job: { id: string; owner: string; attempts: number },
    outcome: JobOutcome,
  ): Promise<boolean> {
    return outbox.finishJob(this.db, this.now().toISOString(), job, outcome);
  }

  renewClaim(
    job: { id: string; owner: string; attempts: number },
    until: string,
  ): Promise<boolean> {
    return outbox.renewClaim(this.db, job, until);
  }

  rewriteJobs(
    change: { topic: string; needle: string; error: string },
    rewrite: (payload: unknown) => unknown,
  ): Promise<string[]> {
    return outbox.rewriteJobs(this.db, this.codec, this.now().toISOString(), change, rewrite);
  }

  getJob(id: string): Promise<OutboxJob | null> {
    return outbox.getJob(this.db, this.codec, id);
  }

  listWebhooks(): Promise<WebhookEndpoint[]> {
    return webhooks.listWebhooks(this.db, this.codec);
  }

  getWebhook(id: string): Promise<WebhookEndpoint | null> {
    return webhooks.getWebhook(this.db, this.codec, id);
  }

  insertWebhook(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    return webhooks.insertWebhook(this.db, this.codec, this.now().toISOString(), endpoint);
  }

  deleteWebhook(id: string): Promise<boolean> {
    return webhooks.deleteWebhook(this.db, id);
  }

  markWebhookFailing(id: string, failing: boolean): Promise<void> {
    return webhooks.setWebhookFailing(this.db, id, failing ? this.now().toISOString() : null);
  }

  insertDelivery(delivery: WebhookDelivery): Promise<void> {
    return webhooks.insertDelivery(this.db, delivery);
  }

  blankDeliveryAnswers(jobIds: readonly string[]): Promise<void> {
    return webhooks.blankDeliveryAnswers(this.db, jobIds);
  }

  listDeliveries(endpointId: string, limit: number): Promise<WebhookDelivery[]> {
    return webhooks.listDeliveries(this.db, this.codec, endpointId, limit);
  }

  getDelivery(id: string): Promise<WebhookDelivery | null> {
    return webhooks.getDelivery(this.db, this.codec, id);
  }

  // Pictures (0007-media): src/store/sql/media.ts.
  getMedia(id: string): Promise<MediaItem | null> {
    return getMedia(this.db, this.codec, id);
  }

  insertMedia(item: NewMediaItem): Promise<MediaItem> {
    return insertMedia(this.db, this.codec, item, this.now().toISOString());
  }

  // Keyset paging of posts (issue 13).
  async listPostsAfter(pageId: string, after: PostKey, limit: number): Promise<Post[]> {
    const rows = await this.db
      .selectFrom('posts')
      .selectAll()
      .where('page_id', '=', pageId)
      .where('status', '=', 'published')
      // A row-value comparison: the index range starts right after the key.
      .where((eb) =>
        eb(
          eb.refTuple('pinned', 'published_at', 'id'),
          '<',
          eb.tuple(this.codec.writeBool(after.pinned), after.publishedAt, after.id),
        ),
      )
      .orderBy('pinned', 'desc')
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => toPost(this.codec, row));
  }
}

/** The Store over a Kysely database: SQLite and PostgreSQL differ only in their codec. */
export class SqlStore extends SqlAccess implements Store {
  constructor(
    private readonly kysely: Kysely<Database>,
    codec: Codec,
    kind: 'sqlite' | 'postgres',
    now: () => Date = () => new Date(),
  ) {
    super(kysely, codec, now, kind);
    this.push = new SqlPushStore(kysely, now);
  }

  // Push alerts (0009-push).
  readonly push: SqlPushStore;

  withClock(now: () => Date): SqlStore {
    return new SqlStore(this.kysely, this.codec, this.kind, now);
  }

  transaction<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T> {
    return this.kysely
      .transaction()
      .execute((trx) => work(new SqlAccess(trx, this.codec, this.now, this.kind)));
  }

  async ping(): Promise<void> {
    await this.kysely.selectFrom('pages').select('id').limit(1).execute();
  }

  close(): Promise<void> {
    return this.kysely.destroy();
  }
}
