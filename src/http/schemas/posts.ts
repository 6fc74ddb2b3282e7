import { Type } from '@sinclair/typebox';
import { Body } from '../../domain/blocks.ts';
import { LIMITS } from '../../domain/limits.ts';
import { Contributor, Label } from '../../domain/post.ts';
import { Revision } from './common.ts';

const Headline = Type.String({ minLength: 1, maxLength: LIMITS.headline });
const Labels = Type.Array(Label, { maxItems: LIMITS.labels, uniqueItems: true });
const Contributors = Type.Array(Contributor, { maxItems: LIMITS.contributors });
const PublishState = Type.Union([Type.Literal('draft'), Type.Literal('published')]);
const Instant = Type.String({
  format: 'date-time',
  maxLength: 40,
  description: 'An ISO 8601 instant.',
});

/** What both a new post and an edit may set. */
const postFields = {
  labels: Type.Optional(Labels),
  contributors: Type.Optional(Contributors),
  pinned: Type.Optional(Type.Boolean()),
  status: Type.Optional(PublishState),
  publishedAt: Type.Optional(Instant),
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
  },
  { additionalProperties: false },
);

export const PostListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
});

export const ChangesQuery = Type.Object({
  since: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
