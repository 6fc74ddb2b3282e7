import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LivelineError } from '../domain/errors.ts';
import {
  MEDIA_MIME,
  originalKey,
  variantKey,
  type AcceptedImageType,
  type MediaItem,
} from '../domain/media.ts';
import { authorize } from '../domain/permissions.ts';
import type { User } from '../domain/user.ts';
import type { IncomingFile } from '../media/incoming.ts';
import type { MediaLibrary } from '../media/library.ts';
import { sniffImageType } from '../media/sniff.ts';
import { commitValue } from './commit.ts';
import type { ServiceDeps } from './deps.ts';

export interface PictureUpload {
  /** The file as received, in the library's work folder; removed once stored or refused. */
  file: IncomingFile;
  alt: string;
  credit: string | null;
  caption: string | null;
}

/**
 * Takes a picture from the desk: its type decided by its bytes, every variant made and
 * stored, then its row written through the commit path (so the audit log has it). A refused
 * file stores nothing. The same file uploaded again is the same picture (its content id):
 * it is neither processed nor stored twice.
 */
export async function uploadPicture(
  deps: ServiceDeps,
  media: MediaLibrary,
  actor: User,
  upload: PictureUpload,
): Promise<MediaItem> {
  try {
    authorize(actor, 'post.create');
    const type = sniffImageType(upload.file.head);
    if (type === null) {
      throw new LivelineError(
        'MEDIA_TYPE_REFUSED',
        'file: this file is not a JPEG, PNG, WebP, GIF or AVIF picture (judged by its content, not its name).',
      );
    }
    const id = upload.file.sha256;
    const known = await deps.store.getMedia(id);
    const size = known
      ? { width: known.width, height: known.height }
      : await storePicture(media, id, upload.file.path, type);
    return await commitValue(deps, ({ tx }) =>
      tx.insertMedia({
        id,
        type,
        ...size,
        bytes: upload.file.bytes,
        alt: upload.alt,
        credit: upload.credit,
        caption: upload.caption,
        uploadedBy: actor.id,
      }),
    );
  } finally {
    await rm(upload.file.path, { force: true });
  }
}

/**
 * Makes the picture's variants (in the processing process) and stores them and the original:
 * variants first, so a row, written last, always names files that exist.
 */
async function storePicture(
  media: MediaLibrary,
  id: string,
  original: string,
  type: AcceptedImageType,
): Promise<{ width: number; height: number }> {
  const outDir = await mkdtemp(join(media.workDir, 'variants-'));
  try {
    const processed = await media.queue.run(() => media.processor.process(original, outDir));
    await Promise.all(
      processed.variants.map((v) =>
        media.storage.put(variantKey(id, v.width, v.format), v.file, MEDIA_MIME[v.format]),
      ),
    );
    await media.storage.put(originalKey(id), original, type);
    return { width: processed.width, height: processed.height };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
/** The file as uploaded, for editors (readers only ever get the processed variants). */
export async function originalPicture(
  deps: ServiceDeps,
  media: MediaLibrary,
  actor: User,
  id: string,
): Promise<{ item: MediaItem; bytes: Buffer }> {
  authorize(actor, 'media.original');
  const item = await deps.store.getMedia(id);
  const bytes = item && (await media.storage.get(originalKey(id)));
  if (!item || !bytes) throw new LivelineError('MEDIA_NOT_FOUND', `No picture has the id "${id}".`);
  return { item, bytes };
}

/** The JSON shape of a picture for the desk. */
export function presentMedia(item: MediaItem) {
  return {
    id: item.id,
    type: item.type,
    width: item.width,
    height: item.height,
    bytes: item.bytes,
    alt: item.alt,
    credit: item.credit,
    caption: item.caption,
    uploadedBy: item.uploadedBy,
    uploadedAt: item.uploadedAt,
  };
}
export type MediaJson = ReturnType<typeof presentMedia>;
