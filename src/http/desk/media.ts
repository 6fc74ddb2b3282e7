import { rm } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { LivelineError, invalid } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import { MEDIA_ID_PATTERN } from '../../domain/media.ts';
import { textProblem } from '../../domain/text-rule.ts';
import { receiveFile, type IncomingFile } from '../../media/incoming.ts';
import type { MediaLibrary } from '../../media/library.ts';
import {
  originalPicture,
  presentMedia,
  uploadPicture,
  type PictureUpload,
} from '../../services/media.ts';
import { actorOf } from '../auth.ts';
import type { DeskDeps } from './deps.ts';

const FIELDS = { alt: LIMITS.alt, credit: LIMITS.credit, caption: LIMITS.caption } as const;
type FieldName = keyof typeof FIELDS;

const MediaParams = Type.Object(
  { id: Type.String({ pattern: MEDIA_ID_PATTERN }) },
  { additionalProperties: false },
);

/** The text of one form field, checked as post text is; null when empty. */
function fieldText(name: FieldName, value: string): string | null {
  const text = value.trim();
  if (text.length > FIELDS[name]) throw invalid(`/${name}`, `at most ${FIELDS[name]} characters`);
  const problem = textProblem(text);
  if (problem !== null) throw invalid(`/${name}`, problem);
  return text === '' ? null : text;
}

const tooLarge = () =>
  new LivelineError('MEDIA_TOO_LARGE', 'file: the picture is larger than uploads may be.');

/**
 * The upload's parts: the file (written to the library's work folder as it arrives; the
 * name and claimed type are ignored) and the alt, credit and caption fields. Anything else,
 * or a file over the limit, is refused, and the file removed.
 */
async function readUpload(request: FastifyRequest, workDir: string): Promise<PictureUpload> {
  const fields: Partial<Record<FieldName, string | null>> = {};
  let file: IncomingFile | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file !== null) {
          throw invalid(`/${part.fieldname}`, 'send one picture, in the field "file"');
        }
        file = await receiveFile(part.file, workDir);
        if (part.file.truncated) throw tooLarge();
      } else if (part.fieldname in FIELDS) {
        fields[part.fieldname as FieldName] = fieldText(
          part.fieldname as FieldName,
          String(part.value),
        );
      } else {
        throw invalid(
          `/${part.fieldname}`,
          'unknown field (alt, credit, caption and file are read)',
        );
      }
    }
    if (file === null || file.bytes === 0) throw invalid('/file', 'choose a picture to upload');
    if (!fields.alt) throw invalid('/alt', 'describe the picture in its alt text');
  } catch (error) {
    if (file !== null) await rm(file.path, { force: true });
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
      throw new LivelineError('UNSUPPORTED_MEDIA_TYPE', 'Send the picture as multipart/form-data.');
    }
    throw error;
  }
  return { file, alt: fields.alt, credit: fields.credit ?? null, caption: fields.caption ?? null };
}

/**
 * /desk/api/media: pictures from the desk (ADR 0020). Uploads are multipart, signed in with
 * a session (CSRF checked before the body is read) or a bearer token; the original file is
 * served back to editors only.
 */
export const deskMediaRoutes: FastifyPluginAsyncTypebox<
  DeskDeps & { media: MediaLibrary }
> = async (app, { services, auth, media }) => {
  // This scope reads multipart bodies and nothing else (JSON here is a 415).
  app.removeAllContentTypeParsers();
  await app.register(multipart, {
    limits: { fileSize: media.maxBytes, files: 1, fields: 3, fieldSize: 4096, parts: 4 },
  });

  app.post(
    '/desk/api/media',
    {
      onRequest: auth.requireUser,
      config: { audit: 'media.upload' },
      schema: { tags: ['desk'], hide: true },
    },
    async (request, reply) => {
      const upload = await readUpload(request, media.workDir);
      const item = await uploadPicture(services, media, actorOf(request), upload);
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ media: presentMedia(item) });
    },
  );

  app.get(
    '/desk/api/media/:id/original',
    { onRequest: auth.requireUser, schema: { tags: ['desk'], hide: true, params: MediaParams } },
    async (request, reply) => {
      const { item, bytes } = await originalPicture(
        services,
        media,
        actorOf(request),
        request.params.id,
      );
      return reply
        .header('content-type', item.type)
        .header('cache-control', 'private, no-store')
        .header('content-disposition', 'attachment')
        .send(bytes);
    },
  );
};
