import { Type, type Static } from '@sinclair/typebox';
import { LIMITS } from './limits.ts';
import { MEDIA_SRC_PATTERN } from './blocks.ts';
import { MEDIA_ID_PATTERN } from './media.ts';

/** A live page moves scheduled -> live <-> paused -> ended (ended may reopen as live). */
export const PAGE_STATUSES = ['scheduled', 'live', 'paused', 'ended'] as const;
export type PageStatus = (typeof PAGE_STATUSES)[number];
export const PageStatus = Type.Union(PAGE_STATUSES.map((s) => Type.Literal(s)));

/** Whether contributors' posts publish directly or wait for an editor's review. */
export const REVIEW_MODES = ['direct', 'review'] as const;
export type ReviewMode = (typeof REVIEW_MODES)[number];
export const ReviewMode = Type.Union(REVIEW_MODES.map((m) => Type.Literal(m)));

export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';
export const DEFAULT_TIME_ZONE = 'Europe/London';

/** A key point of the summary box. An object, so it can later cite the posts it sums up. */
export const KeyPoint = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: LIMITS.keyPoint }) },
  { additionalProperties: false },
);
export type KeyPoint = Static<typeof KeyPoint>;

/** The video or image at the head of the page, with its "Media caption". */
export const LeadMedia = Type.Object(
  {
    kind: Type.Union([Type.Literal('video'), Type.Literal('image')]),
    src: Type.Optional(Type.String({ maxLength: LIMITS.url, pattern: MEDIA_SRC_PATTERN })),
    alt: Type.Optional(Type.String({ maxLength: LIMITS.alt })),
    caption: Type.String({ maxLength: LIMITS.caption }),
    credit: Type.Optional(Type.String({ maxLength: LIMITS.credit })),
    /** A lead video's still, shown before it plays (ADR 0021). */
    poster: Type.Optional(Type.String({ maxLength: LIMITS.url, pattern: MEDIA_SRC_PATTERN })),
    // An uploaded lead picture (ADR 0020): its content id and size.
    media: Type.Optional(Type.String({ pattern: MEDIA_ID_PATTERN })),
    width: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000 })),
    height: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000 })),
  },
  { additionalProperties: false },
);
export type LeadMedia = Static<typeof LeadMedia>;

/**
 * How times and page furniture are written when the page is exported as text. An import
 * records what the capture did; an editor may change it.
 */
export const TextFormatSettings = Type.Object(
  {
    /** "Greenwich Mean Time" (long) or "GMT" (short). */
    zoneStyle: Type.Union([Type.Literal('long'), Type.Literal('short')]),
    /** "20 March 2025" rather than "20 March". */
    showYear: Type.Boolean(),
    /** The second, zone-less "published at 18:10 20 March" line some captures carry. */
    repeatTimeLine: Type.Boolean(),
    /** Whether the "LIVE stream page N" line is written. */
    streamPageLine: Type.Boolean(),
    /** The local date of the capture (YYYY-MM-DD): posts of that day are written without a date. */
    captureDate: Type.Union([Type.String({ format: 'date', maxLength: 10 }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type TextFormatSettings = Static<typeof TextFormatSettings>;

export const DEFAULT_TEXT_FORMAT: TextFormatSettings = {
  zoneStyle: 'long',
  showYear: false,
  repeatTimeLine: false,
  streamPageLine: true,
  captureDate: null,
};

/** A live page as the newsroom sees it. Times are UTC instants in ISO 8601. */
export interface LivePage {
  id: string;
  slug: string;
  title: string;
  description: string;
  status: PageStatus;
  summary: KeyPoint[];
  leadMedia: LeadMedia | null;
  timeZone: string;
  textFormat: TextFormatSettings;
  /** Bumped by every change to the page's own fields; PATCH must name the one it edits. */
  revision: number;
  /** The sequence number of the newest change-log entry (0 before any change). */
  lastSeq: number;
  /** How many published posts the page holds. */
  postCount: number;
  createdAt: string;
  updatedAt: string;
  /** When the page first went live, and when it ended (for "coverage start/end"). */
  startedAt: string | null;
  endedAt: string | null;
  /** Whether contributors' posts go to review first. */
  reviewMode: ReviewMode;
  /** When a `scheduled` page goes live by itself (UTC), if it has a time. */
  scheduledFor: string | null;
}

/** A live page as the front page lists it: when its story was last updated. */
export interface ListedPage {
  page: LivePage;
  /** The newest post's time; the page's start (or creation) while it has no posts. */
  lastUpdated: string;
}

/** True when the IANA zone name is one this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
