import { Type } from '@sinclair/typebox';
import { Body } from './blocks.ts';
import { LIMITS } from './limits.ts';
import {
  KeyPoint,
  LeadMedia,
  PageStatus,
  ReviewMode,
  SLUG_PATTERN,
  TextFormatSettings,
} from './page.ts';
import { Contributor, Label } from './post.ts';

/**
 * What a client may send to create or edit pages and posts. The HTTP routes, the CLI and the
 * importer all check against these (with src/domain/validate.ts), so every entry point
 * accepts exactly the same pages and posts.
 */

export const Slug = Type.String({ pattern: SLUG_PATTERN, minLength: 1, maxLength: LIMITS.slug });

/** Counters are JavaScript numbers: beyond 2^53-1 they stop being exact. */
export const SafeCount = (minimum: number, description?: string) =>
  Type.Integer({
    minimum,
    maximum: Number.MAX_SAFE_INTEGER,
    ...(description !== undefined && { description }),
  });

export const Revision = SafeCount(1, 'The revision this edit was made against.');

export const Title = Type.String({ minLength: 1, maxLength: LIMITS.title });
const Description = Type.String({ maxLength: LIMITS.description });
const Summary = Type.Array(KeyPoint, {
  maxItems: LIMITS.keyPoints,
  description: 'The key points, in order.',
});
const TimeZone = Type.String({
  minLength: 1,
  maxLength: LIMITS.timeZone,
  description: 'An IANA time zone.',
});

export const Instant = Type.String({
  format: 'date-time',
  maxLength: 40,
  description: 'An RFC 3339 instant (years 0001 to 9999, no leap second).',
});

/** What both a new page and an edit may set. */
const pageFields = {
  description: Type.Optional(Description),
  status: Type.Optional(PageStatus),
  summary: Type.Optional(Summary),
  leadMedia: Type.Optional(Type.Union([LeadMedia, Type.Null()])),
  timeZone: Type.Optional(TimeZone),
  textFormat: Type.Optional(TextFormatSettings),
  reviewMode: Type.Optional(ReviewMode),
  scheduledFor: Type.Optional(
    Type.Union([Instant, Type.Null()], {
      description: 'When a "scheduled" page goes live by itself.',
    }),
  ),
};

export const NewPageBody = Type.Object(
  { slug: Slug, title: Title, ...pageFields },
  { additionalProperties: false },
);

export const PageEditBody = Type.Object(
  { revision: Revision, title: Type.Optional(Title), ...pageFields },
  { additionalProperties: false },
);

const Headline = Type.String({ minLength: 1, maxLength: LIMITS.headline });
const Labels = Type.Array(Label, { maxItems: LIMITS.labels, uniqueItems: true });
const Contributors = Type.Array(Contributor, { maxItems: LIMITS.contributors });
/** The statuses a writer may ask for; docs/workflow.md says who may ask for which. */
const PublishState = Type.Union(
  (['draft', 'submitted', 'scheduled', 'published'] as const).map((s) => Type.Literal(s)),
);

/** Text with at least one character that is not white space. */
function NonBlank(maxLength: number, description: string) {
  return Type.String({ minLength: 1, maxLength, pattern: '\\S', description });
}

/**
 * An edit of a published post that corrects it: the note is shown on the post to readers
 * with the time of the correction (docs/corrections.md). Without it an edit is a silent fix.
 */
const Correction = Type.Object(
  {
    note: NonBlank(
      LIMITS.correctionNote,
      'The public note, e.g. "The figure was 2,400, not 24,000."',
    ),
  },
  { additionalProperties: false },
);

/** What both a new post and an edit may set. */
const postFields = {
  labels: Type.Optional(Labels),
  contributors: Type.Optional(Contributors),
  pinned: Type.Optional(Type.Boolean()),
  status: Type.Optional(PublishState),
  publishedAt: Type.Optional(Instant),
  scheduledFor: Type.Optional(
    Type.String({
      format: 'date-time',
      maxLength: 40,
      description: 'With status "scheduled": when the post publishes itself.',
    }),
  ),
};

export const NewPostBody = Type.Object(
  { headline: Headline, body: Body, ...postFields },
  { additionalProperties: false },
);

export const PostEditBody = Type.Object(
  {
    revision: Revision,
    headline: Type.Optional(Headline),
    body: Type.Optional(Body),
    ...postFields,
    correction: Type.Optional(Correction),
  },
  { additionalProperties: false },
);

/** Why a post or one of its versions is removed for legal reasons: for editors' eyes only. */
export const RemovalBody = Type.Object(
  { reason: NonBlank(LIMITS.removalReason, 'Why, for the record: only editors see it.') },
  { additionalProperties: false },
);

/** The name of a user, as `liveline token create --name` gives it. */
export const UserName = Type.String({ minLength: 1, maxLength: LIMITS.contributorName });

/** Submit, approve or unschedule a post: at the revision the person read. */
export const PostMoveBody = Type.Object({ revision: Revision }, { additionalProperties: false });

/** Return a submission to its author with what to change. */
export const PostReturnBody = Type.Object(
  {
    revision: Revision,
    note: Type.String({
      minLength: 1,
      maxLength: LIMITS.reviewNote,
      description: 'What the author should change; shown to them on the desk.',
    }),
  },
  { additionalProperties: false },
);

/** Schedule a post: it publishes itself at `at`. */
export const PostScheduleBody = Type.Object(
  { revision: Revision, at: { ...Instant, description: 'When the post publishes itself.' } },
  { additionalProperties: false },
);
