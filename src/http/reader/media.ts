import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LivelineError } from '../../domain/errors.ts';
import { MEDIA_ID_PATTERN, MEDIA_MIME, formatOfFile, variantKey } from '../../domain/media.ts';
import type { MediaLibrary } from '../../media/library.ts';

const VariantParams = Type.Object(
  {
    id: Type.String({ pattern: MEDIA_ID_PATTERN }),
    file: Type.String({ pattern: '^[1-9][0-9]{0,4}\\.(avif|webp|jpg)$' }),
  },
  { additionalProperties: false },
);

/** A year: the most a cache is asked to keep anything; the bytes at an address never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * GET /media/{id}/{width}.{avif|webp|jpg}: the processed pictures readers see, from disk or
 * the bucket. The address is derived from the file's content, so it is cached for good.
 */
export const mediaRoutes: FastifyPluginAsyncTypebox<{ media: MediaLibrary }> = async (
  app,
  { media },
) => {
  app.get(
    '/media/:id/:file',
    { schema: { tags: ['reader'], hide: true, params: VariantParams } },
    async (request, reply) => {
      const { id, file } = request.params;
      const variant = formatOfFile(file);
      const bytes =
        variant && (await media.storage.get(variantKey(id, variant.width, variant.format)));
      if (!variant || !bytes) {
        throw new LivelineError('MEDIA_NOT_FOUND', `No picture is stored at /media/${id}/${file}.`);
      }
      return reply
        .header('content-type', MEDIA_MIME[variant.format])
        .header('cache-control', IMMUTABLE)
        .header('x-content-type-options', 'nosniff')
        .send(bytes);
    },
  );
};
