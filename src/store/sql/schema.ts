import type { ColumnType, Generated } from 'kysely';

/**
 * The tables as Kysely sees them. JSON, time and boolean columns are typed loosely here
 * because their wire form differs between SQLite and PostgreSQL; each adapter's codec
 * converts them (see ../sqlite/codec.ts and ../postgres/codec.ts).
 */
type Json = ColumnType<unknown, string, string>;
type NullableJson = ColumnType<unknown, string | null, string | null>;
type Time = ColumnType<unknown, string, string>;
type NullableTime = ColumnType<unknown, string | null, string | null>;
type Bool = ColumnType<unknown, boolean | number, boolean | number>;

export interface UsersTable {
  id: string;
  name: string;
  role: string;
  created_at: Time;
  /** From 0004-people. */
  email: string | null;
  byline_role: ColumnType<string, string | undefined, string>;
  password_hash: string | null;
  disabled: ColumnType<unknown, boolean | number | undefined, boolean | number>;
}

export interface SessionsTable {
  hash: string;
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Time;
  last_seen_at: Time;
  expires_at: Time;
  user_agent: string | null;
}

export interface OneTimeLinksTable {
  hash: string;
  user_id: string;
  purpose: string;
  created_at: Time;
  expires_at: Time;
  used_at: NullableTime;
}

export interface ApiTokensTable {
  hash: string;
  user_id: string;
  created_at: Time;
  /** From 0003-tokens: null only until that migration fills it. */
  id: string | null;
  expires_at: NullableTime;
  revoked_at: NullableTime;
  last_used_at: NullableTime;
  /** From 0004-people: the name a person gave their own token. */
  label: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PagesTable {
  id: string;
  slug: string;
  title: string;
  description: string;
  status: string;
  summary: Json;
  lead_media: NullableJson;
  time_zone: string;
  text_format: Json;
  revision: number;
  last_seq: number;
  post_count: number;
  created_at: Time;
  updated_at: Time;
  started_at: NullableTime;
  ended_at: NullableTime;
  /** From 0005-workflow. */
  review_mode: ColumnType<string, string | undefined, string>;
  scheduled_for: NullableTime;
}

export interface PostsTable {
  id: string;
  page_id: string;
  status: string;
  headline: string;
  published_at: Time;
  labels: Json;
  pinned: Bool;
  contributors: Json;
  body: Json;
  revision: number;
  created_at: Time;
  updated_at: Time;
  author_id: string | null;
  /** From 0005-workflow. */
  scheduled_for: NullableTime;
  review_note: string | null;
  corrections: ColumnType<unknown, string | undefined, string>;
  removal: NullableJson;
}

/** 0005-workflow: every step of a post's life. */
export interface PostHistoryTable {
  id: string;
  page_id: string;
  post_id: string;
  at: Time;
  actor_id: string | null;
  actor_system: string | null;
  action: string;
  revision: number;
  fields: Json;
  content: NullableJson;
  note: string | null;
  removal: NullableJson;
}

export interface ChangesTable {
  page_id: string;
  seq: number;
  kind: string;
  post_id: string | null;
  at: Time;
  data: Json;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  fingerprint: string;
  status: number;
  headers: Json;
  body: Json;
  created_at: Time;
}

/** From 0006-audit: one row per committed write. */
export interface AuditLogTable {
  id: string;
  at: Time;
  actor_user_id: string | null;
  actor_token_id: string | null;
  /** `scheduler`, `cli`...: a part of the system that acted; null for people and unknowns. */
  actor_system: string | null;
  action: string;
  page_id: string | null;
  post_id: string | null;
  summary: string;
  request_id: string | null;
  address: string | null;
}

/** From 0008-webhooks: the durable outbox (ADR 0022). */
export interface OutboxJobsTable {
  id: string;
  topic: string;
  payload: Json;
  attempts: number;
  next_at: Time;
  claimed_by: string | null;
  claimed_until: ColumnType<unknown, string | null, string | null>;
  state: string;
  last_error: string | null;
  created_at: Time;
  finished_at: ColumnType<unknown, string | null, string | null>;
}

/** From 0008-webhooks. */
export interface WebhookEndpointsTable {
  id: string;
  url: string;
  secret: string;
  pages: NullableJson;
  kinds: NullableJson;
  description: string;
  created_at: Time;
  created_by: string | null;
  failing_since: ColumnType<unknown, string | null, string | null>;
}

/** From 0008-webhooks: one row per attempt. */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  job_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  at: Time;
  outcome: string;
  status_code: number | null;
  response_body: string;
  error: string | null;
  duration_ms: number;
}

/** From 0007-media: pictures uploaded at the desk. */
export interface MediaTable {
  id: string;
  type: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  credit: string | null;
  caption: string | null;
  uploaded_by: string;
  uploaded_at: Time;
}

/** From 0009-push: readers' push subscriptions, the VAPID keys, the posts alerted. */
export interface PushSubscriptionsTable {
  id: string;
  page_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: Time;
  /** From 0010-push-strikes: alerts in a row the push service refused as this subscription's fault. */
  strikes: Generated<number>;
}

export interface PushKeysTable {
  id: string;
  public_key: string;
  private_key: string;
  created_at: Time;
}

export interface PushAlertsTable {
  page_id: string;
  post_id: string;
  at: Time;
}

export interface Database {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  pages: PagesTable;
  posts: PostsTable;
  changes: ChangesTable;
  idempotency_keys: IdempotencyKeysTable;
  sessions: SessionsTable;
  one_time_links: OneTimeLinksTable;
  post_history: PostHistoryTable;
  audit_log: AuditLogTable;
  // Webhooks and the outbox (0008-webhooks).
  outbox_jobs: OutboxJobsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  // Pictures (0007-media).
  media: MediaTable;
  // Push alerts (0009-push).
  push_subscriptions: PushSubscriptionsTable;
  push_keys: PushKeysTable;
  push_alerts: PushAlertsTable;
}
