import type { Selectable } from 'kysely';
import type { AuditActor, AuditEntry } from '../../domain/audit.ts';
import type { Change, ChangeData, ChangeKind } from '../../domain/change.ts';
import type { HistoryAction, HistoryEntry, PostContent } from '../../domain/history.ts';
import type { LivePage, PageStatus, ReviewMode } from '../../domain/page.ts';
import type { Correction, Label, Post, PostStatus, Removal } from '../../domain/post.ts';
import type { Role, User } from '../../domain/user.ts';
import type { Codec } from './codec.ts';
import type { LinkPurpose, OneTimeLink, Session } from '../../domain/session.ts';
import type {
  AuditLogTable,
  ChangesTable,
  OneTimeLinksTable,
  PagesTable,
  PostHistoryTable,
  PostsTable,
  SessionsTable,
  UsersTable,
} from './schema.ts';

/** Turns database rows into domain objects. Rows never leave src/store/. */
export function toPage(codec: Codec, row: Selectable<PagesTable>): LivePage {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    status: row.status as PageStatus,
    summary: codec.readJson(row.summary) as LivePage['summary'],
    leadMedia:
      row.lead_media === null ? null : (codec.readJson(row.lead_media) as LivePage['leadMedia']),
    timeZone: row.time_zone,
    textFormat: codec.readJson(row.text_format) as LivePage['textFormat'],
    revision: row.revision,
    lastSeq: Number(row.last_seq),
    postCount: Number(row.post_count),
    createdAt: codec.readTime(row.created_at),
    updatedAt: codec.readTime(row.updated_at),
    startedAt: row.started_at === null ? null : codec.readTime(row.started_at),
    endedAt: row.ended_at === null ? null : codec.readTime(row.ended_at),
    reviewMode: row.review_mode as ReviewMode,
    scheduledFor: row.scheduled_for === null ? null : codec.readTime(row.scheduled_for),
  };
}

export function toPost(codec: Codec, row: Selectable<PostsTable>): Post {
  return {
    id: row.id,
    pageId: row.page_id,
    status: row.status as PostStatus,
    headline: row.headline,
    publishedAt: codec.readTime(row.published_at),
    labels: codec.readJson(row.labels) as Label[],
    pinned: codec.readBool(row.pinned),
    contributors: codec.readJson(row.contributors) as Post['contributors'],
    body: codec.readJson(row.body) as Post['body'],
    revision: row.revision,
    createdAt: codec.readTime(row.created_at),
    updatedAt: codec.readTime(row.updated_at),
    authorId: row.author_id,
    scheduledFor: row.scheduled_for === null ? null : codec.readTime(row.scheduled_for),
    reviewNote: row.review_note,
    corrections: codec.readJson(row.corrections) as Correction[],
    removal: row.removal === null ? null : (codec.readJson(row.removal) as Removal),
  };
}

export function toHistoryEntry(codec: Codec, row: Selectable<PostHistoryTable>): HistoryEntry {
  return {
    id: row.id,
    pageId: row.page_id,
    postId: row.post_id,
    at: codec.readTime(row.at),
    actor:
      row.actor_id !== null
        ? { kind: 'user', id: row.actor_id }
        : { kind: 'system', name: row.actor_system ?? 'liveline' },
    action: row.action as HistoryAction,
    revision: row.revision,
    fields: codec.readJson(row.fields) as string[],
    content: row.content === null ? null : (codec.readJson(row.content) as PostContent),
    note: row.note,
    removal: row.removal === null ? null : (codec.readJson(row.removal) as Removal),
  };
}

export function toChange(codec: Codec, row: Selectable<ChangesTable>): Change {
  return {
    pageId: row.page_id,
    seq: Number(row.seq),
    kind: row.kind as ChangeKind,
    postId: row.post_id,
    at: codec.readTime(row.at),
    data: codec.readJson(row.data) as ChangeData,
  };
}

export function toUser(codec: Codec, row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    createdAt: codec.readTime(row.created_at),
    email: row.email,
    bylineRole: row.byline_role,
    disabled: codec.readBool(row.disabled),
  };
}

export function toSession(codec: Codec, row: Selectable<SessionsTable>): Session {
  return {
    id: row.id,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: codec.readTime(row.created_at),
    lastSeenAt: codec.readTime(row.last_seen_at),
    expiresAt: codec.readTime(row.expires_at),
    userAgent: row.user_agent,
  };
}

export function toLink(codec: Codec, row: Selectable<OneTimeLinksTable>): OneTimeLink {
  return {
    userId: row.user_id,
    purpose: row.purpose as LinkPurpose,
    createdAt: codec.readTime(row.created_at),
    expiresAt: codec.readTime(row.expires_at),
    usedAt: row.used_at === null ? null : codec.readTime(row.used_at),
  };
}

/** An audit row and the names it is shown with (null when what it names is gone). */
export type AuditRow = Selectable<AuditLogTable> & {
  actor_name: string | null;
  page_slug: string | null;
  page_title: string | null;
  post_headline: string | null;
};

export function toAuditEntry(codec: Codec, row: AuditRow): AuditEntry {
  const actor: AuditActor =
    row.actor_user_id !== null
      ? { kind: 'user', userId: row.actor_user_id, tokenId: row.actor_token_id }
      : row.actor_system !== null
        ? { kind: 'system', name: row.actor_system }
        : { kind: 'anonymous' };
  return {
    id: row.id,
    at: codec.readTime(row.at),
    actor,
    action: row.action,
    pageId: row.page_id,
    postId: row.post_id,
    summary: row.summary,
    requestId: row.request_id,
    address: row.address,
    actorName: row.actor_name,
    pageSlug: row.page_slug,
    pageTitle: row.page_title,
    postHeadline: row.post_headline,
  };
}
