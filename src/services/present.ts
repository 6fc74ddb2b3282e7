import type { Change } from '../domain/change.ts';
import type { LivePage } from '../domain/page.ts';
import type { Post } from '../domain/post.ts';
import type { WebhookDelivery, WebhookEndpoint } from '../domain/webhook.ts';

/**
 * The only ways domain objects become JSON: the API, the event stream, the feeds and the
 * idempotency records all use these, so every client sees one shape.
 */
export function presentPage(page: LivePage) {
  return {
    slug: page.slug,
    title: page.title,
    description: page.description,
    status: page.status,
    summary: page.summary,
    leadMedia: page.leadMedia,
    timeZone: page.timeZone,
    textFormat: page.textFormat,
    revision: page.revision,
    lastSeq: page.lastSeq,
    postCount: page.postCount,
    createdAt: page.createdAt,
    updatedAt: page.updatedAt,
    startedAt: page.startedAt,
    endedAt: page.endedAt,
    reviewMode: page.reviewMode,
    scheduledFor: page.scheduledFor,
  };
}

export function presentPost(post: Post) {
  return {
    id: post.id,
    status: post.status,
    headline: post.headline,
    publishedAt: post.publishedAt,
    labels: post.labels,
    pinned: post.pinned,
    contributors: post.contributors,
    body: post.body,
    revision: post.revision,
    createdAt: post.createdAt,
    updatedAt: post.updatedAt,
    /** Public corrections, oldest first: each note with its time (docs/corrections.md). */
    corrections: post.corrections,
    scheduledFor: post.scheduledFor,
  };
}

/**
 * A post as the desk sees it: who wrote it and the note an editor returned it with. Never
 * public: the review note is between the newsroom's people.
 */
export function presentDeskPost(post: Post) {
  return { ...presentPost(post), authorId: post.authorId, reviewNote: post.reviewNote };
}

export function presentChange(change: Change) {
  const base = { seq: change.seq, kind: change.kind, at: change.at, postId: change.postId };
  const data = change.data;
  switch (data.kind) {
    case 'post.deleted':
      return base;
    case 'post.superseded':
      // A newer entry replaced this one: only where to find it remains.
      return { ...base, supersededBy: data.supersededBy };
    case 'page.updated':
    case 'page.status_changed':
      return { ...base, page: presentPage(data.page) };
    default:
      return { ...base, post: presentPost(data.post) };
  }
}

/** A webhook endpoint as admins see it: never its secret (shown once, when it is made). */
export function presentWebhook(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    pages: endpoint.pages,
    kinds: endpoint.kinds,
    description: endpoint.description,
    createdAt: endpoint.createdAt,
    failingSince: endpoint.failingSince,
  };
}

export function presentDelivery(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    attempt: delivery.attempt,
    at: delivery.at,
    outcome: delivery.outcome,
    statusCode: delivery.statusCode,
    responseBody: delivery.responseBody,
    error: delivery.error,
    durationMs: delivery.durationMs,
  };
}

export type PageJson = ReturnType<typeof presentPage>;
export type PostJson = ReturnType<typeof presentPost>;
export type DeskPostJson = ReturnType<typeof presentDeskPost>;
export type ChangeJson = ReturnType<typeof presentChange>;
export type WebhookJson = ReturnType<typeof presentWebhook>;
export type DeliveryJson = ReturnType<typeof presentDelivery>;
