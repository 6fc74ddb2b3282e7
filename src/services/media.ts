import { createHash } from 'node:crypto';
import { LivelineError } from '../domain/errors.ts';
import { MEDIA_MIME, originalKey, variantKey, type MediaItem } from '../domain/media.ts';
import { authorize } from '../domain/permissions.ts';
import type { User } from '../domain/user.ts';
import type { MediaLibrary } from '../media/library.ts';
import { sniffImageType } from '../media/sniff.ts';
import { commitValue } from './commit.ts';
import type { ServiceDeps } from './deps.ts';

export interface PictureUpload {
  bytes: Buffer;
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
  authorize(actor, 'post.create');
  const type = sniffImageType(upload.bytes);
  if (type === null) {
    throw new LivelineError(
      'MEDIA_TYPE_REFUSED',
      'file: this file is not a JPEG, PNG, WebP, GIF or AVIF picture (judged by its content, not its name).',
    );
  }
  const id = createHash('sha256').update(upload.bytes).digest('hex');
  const known = await deps.store.getMedia(id);
  let size = known && { width: known.width, height: known.height };
  if (!size) {
    const processed = await media.queue.run(() => media.processor.process(upload.bytes));
    // Variants first, the row last: a row always names files that exist.
    await Promise.all(
      processed.variants.map((v) =>
        media.storage.put(variantKey(id, v.width, v.format), v.bytes, MEDIA_MIME[v.format]),
      ),
    );
    await media.storage.put(originalKey(id), upload.bytes, type);
    size = { width: processed.width, height: processed.height };
  }
  const sized = size;
  return commitValue(deps, ({ tx }) =>
    tx.insertMedia({
      id,
      type,
      ...sized,
      bytes: upload.bytes.length,
      alt: upload.alt,
      credit: upload.credit,
      caption: upload.caption,
      uploadedBy: actor.id,
    }),
  );
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
