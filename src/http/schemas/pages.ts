import { Type } from '@sinclair/typebox';
import { LIMITS } from '../../domain/limits.ts';
import { KeyPoint, LeadMedia, PageStatus, TextFormatSettings } from '../../domain/page.ts';
import { Revision, Slug } from './common.ts';

const Title = Type.String({ minLength: 1, maxLength: LIMITS.title });
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

/** What both a new page and an edit may set. */
const pageFields = {
  description: Type.Optional(Description),
  status: Type.Optional(PageStatus),
  summary: Type.Optional(Summary),
  leadMedia: Type.Optional(Type.Union([LeadMedia, Type.Null()])),
  timeZone: Type.Optional(TimeZone),
  textFormat: Type.Optional(TextFormatSettings),
};

export const NewPageBody = Type.Object(
  { slug: Slug, title: Title, ...pageFields },
  { additionalProperties: false },
);

export const PageEditBody = Type.Object(
  { revision: Revision, title: Type.Optional(Title), ...pageFields },
  { additionalProperties: false },
);
