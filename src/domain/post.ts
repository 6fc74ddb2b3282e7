import { Type, type Static } from '@sinclair/typebox';
import { LIMITS } from './limits.ts';
import type { Body } from './blocks.ts';

export const LABELS = ['breaking', 'analysis', 'key'] as const;
export type Label = (typeof LABELS)[number];
export const Label = Type.Union(LABELS.map((l) => Type.Literal(l)));

export const POST_STATUSES = ['draft', 'published', 'deleted'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

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
}

/** Posts are shown 20 to a page, like the BBC's. */
export const POSTS_PER_PAGE = 20;

/** Sort labels into their canonical order and drop duplicates. */
export function normaliseLabels(labels: readonly Label[]): Label[] {
  return LABELS.filter((label) => labels.includes(label));
}
