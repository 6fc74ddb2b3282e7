/**
 * Pictures uploaded at the desk (ADR 0020). A picture is known by its content id, the
 * SHA-256 of the bytes uploaded, so the same file uploaded twice is one picture and every
 * address derived from the id names exactly one set of bytes (served as immutable).
 * Type imports only elsewhere: the desk and the reader renderer use these without I/O.
 */

/** The formats every picture is encoded in, best first: <picture> offers them in this order. */
export const MEDIA_FORMATS = ['avif', 'webp', 'jpeg'] as const;
export type MediaFormat = (typeof MEDIA_FORMATS)[number];

export const MEDIA_MIME: Record<MediaFormat, string> = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
};

const EXTENSION: Record<MediaFormat, string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg' };

/** The widths readers' screens choose among (a phone at 1x up to a wide screen at 2x). */
export const MEDIA_WIDTHS = [320, 640, 960, 1280, 1920] as const;

/** A content id: lower-case hex SHA-256 of the uploaded file. */
export const MEDIA_ID_PATTERN = '^[0-9a-f]{64}$';

/**
 * The widths a picture `width` pixels wide is served at: every standard width below it and
 * the picture's own (capped at the largest), never enlarged. A pure function of the width,
 * so the renderer needs nothing but the block to write the srcset.
 */
export function variantWidths(width: number): number[] {
  const largest = Math.min(width, MEDIA_WIDTHS[MEDIA_WIDTHS.length - 1] as number);
  const widths: number[] = MEDIA_WIDTHS.filter((w) => w < largest);
  widths.push(largest);
  return widths;
}

/** The height of the variant `width` wide of a picture of `width0` x `height0`. */
export function variantHeight(width0: number, height0: number, width: number): number {
  return Math.max(1, Math.round((height0 * width) / width0));
}

/** The storage key (and public path below /media/) of one variant. */
export function variantKey(id: string, width: number, format: MediaFormat): string {
  return `${id}/${width}.${EXTENSION[format]}`;
}

/** The storage key of the file as uploaded: never served to readers. */
export function originalKey(id: string): string {
  return `originals/${id}`;
}

/** The format of a variant's file name (`640.webp`), or null for any other name. */
export function formatOfFile(name: string): { width: number; format: MediaFormat } | null {
  const match = /^([1-9]\d{0,4})\.(avif|webp|jpg)$/.exec(name);
  if (!match) return null;
  const format = match[2] === 'jpg' ? 'jpeg' : (match[2] as MediaFormat);
  return { width: Number(match[1]), format };
}

/** The types accepted from the desk, as sniffed from the file's first bytes. */
export const ACCEPTED_IMAGE_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
] as const;
export type AcceptedImageType = (typeof ACCEPTED_IMAGE_TYPES)[number];

/** An uploaded picture: its size after orientation is fixed, and what the desk said of it. */
export interface MediaItem {
  id: string;
  /** The type of the file as uploaded (sniffed from its bytes). */
  type: AcceptedImageType;
  width: number;
  height: number;
  /** Size of the original file in bytes. */
  bytes: number;
  alt: string;
  credit: string | null;
  caption: string | null;
  uploadedBy: string;
  uploadedAt: string;
}

export type NewMediaItem = Omit<MediaItem, 'uploadedAt'>;
