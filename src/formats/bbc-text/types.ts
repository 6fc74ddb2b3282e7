import type { Body } from '../../domain/blocks.ts';
import type { KeyPoint, LeadMedia, TextFormatSettings } from '../../domain/page.ts';
import type { Contributor, Label } from '../../domain/post.ts';

/** How to read a capture: which zone its times are in, and what its dates leave unsaid. */
export interface ParseOptions {
  /** The year of the capture's newest posts, for dates written without one. */
  year?: number;
  /** The local date the capture was made (YYYY-MM-DD): the day of posts with no date. */
  captureDate?: string;
  /** IANA zone the times are written in; default Europe/London. */
  timeZone?: string;
  /** Import the posts that parse and list the rest in `dropped`, instead of throwing. */
  partial?: boolean;
}

/** A post as the capture shows it. */
export interface ParsedPost {
  headline: string;
  /** UTC instant, in `Date.prototype.toISOString()` form. */
  publishedAt: string;
  labels: Label[];
  contributors: Contributor[];
  body: Body;
}

/** What partial mode left out: the line where the post failed and why. */
export interface DroppedPost {
  line: number;
  reason: string;
}

/** A capture read into Liveline's model. */
export interface ParsedCapture {
  summary: KeyPoint[];
  leadMedia: LeadMedia | null;
  /** N of the `LIVE stream page N` line, null when the capture has none. */
  streamPage: number | null;
  /** The zone the times were read in. */
  timeZone: string;
  /** How the capture wrote times and furniture, so an export can write it the same way. */
  textFormat: TextFormatSettings;
  /** Newest first, as on the page. */
  posts: ParsedPost[];
  /** Every guess the parser made (years, the capture date, inconsistent formatting). */
  assumptions: string[];
  dropped: DroppedPost[];
}

/** The post fields the text format carries. */
export type RenderablePost = Pick<
  ParsedPost,
  'headline' | 'publishedAt' | 'labels' | 'contributors' | 'body'
>;

/** What `render` writes: a page's head, its settings and one page of posts, newest first. */
export interface RenderInput {
  summary: readonly KeyPoint[];
  leadMedia: LeadMedia | null;
  timeZone: string;
  textFormat: TextFormatSettings;
  posts: readonly RenderablePost[];
  /** N of `LIVE stream page N`, written when textFormat.streamPageLine (1 when null). */
  pageNumber: number | null;
}
