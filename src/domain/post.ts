import { Type, type Static } from '@sinclair/typebox';
import { LIMITS } from './limits.ts';
import type { Body } from './blocks.ts';

export const LABELS = ['breaking', 'analysis', 'key'] as const;
export type Label = (typeof LABELS)[number];
export const Label = Type.Union(LABELS.map((l) => Type.Literal(l)));

/**
 * A post is a `draft` until it is published; on a page in review mode a contributor's post
 * waits as `submitted` for an editor; a `scheduled` post publishes itself at `scheduledFor`.
 * Only `published` posts are public.
 */
export const POST_STATUSES = ['draft', 'submitted', 'scheduled', 'published', 'deleted'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/** A public correction: shown on the post with its time ("Correction: the figure was..."). */
export interface Correction {
  note: string;
  at: string;
}

/** Who removed a post, or a version of it, for legal reasons, when and why: editors only. */
export interface Removal {
  byId: string | null;
  byName: string;
  at: string;
  reason: string;
}

/** A byline: "Frank Gardner" / "Security correspondent". A desk attribution has no role. */
export const Contributor = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: LIMITS.contributorName }),
    role: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.contributorRole })),
  },
  { additionalProperties: false },
);
export type Contributor = Static<typeof Contributor>;

/** A post on a live page. Times are UTC instants in ISO 8601. */
export interface Post {
  id: string;
  pageId: string;
  status: PostStatus;
  headline: string;
  publishedAt: string;
  labels: Label[];
  pinned: boolean;
  contributors: Contributor[];
  body: Body;
  /** 1 when written; each edit of the content adds one. */
  revision: number;
  createdAt: string;
  /** The time of the last content edit; equal to createdAt until edited. */
  updatedAt: string;
  /** The user who wrote it: contributors may only change their own posts. */
  authorId: string | null;
  /** When a `scheduled` post publishes itself (UTC). */
  scheduledFor: string | null;
  /** The note an editor returned a submission with, until it is submitted again. */
  reviewNote: string | null;
  /** Public corrections, oldest first. */
  corrections: Correction[];
  /** Set when the post was removed for legal reasons; its text is gone. */
  removal: Removal | null;
}

/** Posts are shown 20 to a page, like the BBC's. */
export const POSTS_PER_PAGE = 20;

/** Sort labels into their canonical order and drop duplicates. */
export function normaliseLabels(labels: readonly Label[]): Label[] {
  return LABELS.filter((label) => labels.includes(label));
}
