import type { Body } from './blocks.ts';
import type { Contributor, Label, Removal } from './post.ts';

/**
 * The steps of a post's life that its history keeps: every one is who, when and what, and
 * the ones that change the text keep the post's content at that revision.
 */
export const HISTORY_ACTIONS = [
  'created',
  'saved',
  'submitted',
  'returned',
  'approved',
  'scheduled',
  'unscheduled',
  'published',
  'edited',
  'corrected',
  'unpublished',
  'pinned',
  'unpinned',
  'deleted',
  'removed',
  'version_removed',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** The content of a post at one revision: what a diff compares. */
export interface PostContent {
  headline: string;
  body: Body;
  labels: Label[];
  contributors: Contributor[];
  publishedAt: string;
}

/** Who took a step: a person (or their token), or Liveline itself (the scheduler). */
export type StepActor = { kind: 'user'; id: string } | { kind: 'system'; name: string };

export interface HistoryEntry {
  id: string;
  pageId: string;
  postId: string;
  at: string;
  actor: StepActor;
  action: HistoryAction;
  /** The post's revision after this step. */
  revision: number;
  /** The fields this step changed (headline, body, labels, ...). */
  fields: string[];
  /** The content at this revision, when the step wrote content; null once removed. */
  content: PostContent | null;
  /** The review note, correction note or reason that came with the step. */
  note: string | null;
  /** Set when this version's content was removed for legal reasons. */
  removal: Removal | null;
}

export type NewHistoryEntry = Omit<HistoryEntry, 'id' | 'at' | 'removal'>;
