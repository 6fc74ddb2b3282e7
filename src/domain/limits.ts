/**
 * Limits shared by every schema, so no string in Liveline is unbounded and no page costs more
 * than milliseconds to render. The post limits leave five times the room of the longest post
 * in the BBC samples (1,811 characters, 9 blocks); test/http/render-limits.test.ts renders a
 * page of 20 posts at these limits and bounds its size.
 */
export const LIMITS = {
  slug: 80,
  title: 300,
  description: 2_000,
  headline: 300,
  keyPoint: 500,
  keyPoints: 12,
  inlineText: 10_000,
  inlineRuns: 100,
  blocks: 30,
  listItems: 30,
  /** Pictures in one gallery block (ADR 0020). */
  galleryImages: 20,
  /** Every character of a post's body together: text, captions, links, attributions. */
  postText: 5_000,
  /** Every block, run, list item and object of a post's body together. */
  postNodes: 300,
  caption: 1_000,
  alt: 1_000,
  credit: 200,
  url: 2_048,
  contributorName: 100,
  contributorRole: 150,
  contributors: 5,
  labels: 3,
  timeZone: 64,
  idempotencyKey: 200,
  /** A public correction note ("Correction: the figure was 2,400, not 24,000"). */
  correctionNote: 500,
  /** Why a post or a version was removed for legal reasons (editors only). */
  removalReason: 1_000,
  /** An editor's note returning a submission to its author. */
  reviewNote: 2_000,
} as const;
