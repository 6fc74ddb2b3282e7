import { Type } from '@sinclair/typebox';
import { ID_PATTERN } from '../../domain/ids.ts';
import { LIMITS } from '../../domain/limits.ts';
import { Slug } from '../../domain/schemas.ts';

/** Schemas shared by several routes. */
export { Revision, Slug } from '../../domain/schemas.ts';
export const PostId = Type.String({ pattern: ID_PATTERN });

export const SlugParams = Type.Object({ slug: Slug }, { additionalProperties: false });
export const PostParams = Type.Object({ slug: Slug, id: PostId }, { additionalProperties: false });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: LIMITS.idempotencyKey,
      description:
        'Repeat a POST with the same key and it returns the first response, creating nothing new.',
    }),
  ),
});

/** An RFC 9457 problem document, as every error is sent. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), reason: Type.String() }))),
  },
  { $id: 'Problem' },
);
export const BearerAuth = [{ bearer: [] }];
