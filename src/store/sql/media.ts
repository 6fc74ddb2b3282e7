import type { Kysely, Transaction } from 'kysely';
import type { AcceptedImageType, MediaItem, NewMediaItem } from '../../domain/media.ts';
import type { Codec } from './codec.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Pictures (0007-media): the SQL behind the store's media methods. */

export async function getMedia(db: Db, codec: Codec, id: string): Promise<MediaItem | null> {
  const row = await db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    type: row.type as AcceptedImageType,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    alt: row.alt,
    credit: row.credit,
    caption: row.caption,
    uploadedBy: row.uploaded_by,
    uploadedAt: codec.readTime(row.uploaded_at),
  };
}

/**
 * Records a picture unless one with its content id exists (the same file uploaded again);
 * the stored row either way.
 */
export async function insertMedia(
  db: Db,
  codec: Codec,
  item: NewMediaItem,
  at: string,
): Promise<MediaItem> {
  await db
    .insertInto('media')
    .values({
      id: item.id,
      type: item.type,
      width: item.width,
      height: item.height,
      bytes: item.bytes,
      alt: item.alt,
      credit: item.credit,
      caption: item.caption,
      uploaded_by: item.uploadedBy,
      uploaded_at: at,
    })
    .onConflict((c) => c.column('id').doNothing())
    .execute();
  return (await getMedia(db, codec, item.id)) as MediaItem;
}
