import { Type } from '@sinclair/typebox';
import { SafeCount } from '../../domain/schemas.ts';

/** The post schemas live in the domain, shared with the CLI and the importer. */
export { NewPostBody, PostEditBody } from '../../domain/schemas.ts';

export const PostListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  after: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'The `next` of an earlier page: the posts after it (keyset paging, as cheap on a deep page as on the first). Wins over `page`.',
    }),
  ),
});

export const ChangesQuery = Type.Object({
  since: Type.Optional({ ...SafeCount(0), default: 0 }),
});
