/**
 * Where pictures' files live: a folder on disk (one instance, DATA_DIR/media) or an
 * S3-compatible bucket (several instances share it). Keys are content-addressed
 * (src/domain/media.ts), so a key is written once and never changes: `put` of a key that
 * exists may be skipped, and what `get` returns may be cached forever.
 */
export interface MediaStorage {
  readonly kind: 'disk' | 's3';
  /** Stores the file at `path` (left where it is) under `key`. */
  put(key: string, path: string, contentType: string): Promise<void>;
  /** The stored bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Buffer | null>;
  close(): Promise<void>;
}
