import {
  MEDIA_FORMATS,
  MEDIA_MIME,
  variantHeight,
  variantKey,
  variantWidths,
  type MediaFormat,
} from '../domain/media.ts';

/** An uploaded picture as a block or the lead media names it (ADR 0020). */
export interface PictureRef {
  media: string;
  width: number;
  height: number;
  alt: string;
}

/**
 * How wide a picture is drawn: the reader's column (42rem) less its gaps on a phone. The
 * browser picks the variant from this before any CSS has loaded.
 */
export const COLUMN_SIZES = '(min-width: 44rem) 42rem, calc(100vw - 2rem)';
/** A gallery's pictures are two to a row from 40rem up. */
export const GALLERY_SIZES =
  '(min-width: 44rem) 20.5rem, (min-width: 40rem) calc(50vw - 1.5rem), calc(100vw - 2rem)';

/** The address of one variant: served by Liveline at /media/ (src/http/reader/media.ts). */
export function variantUrl(id: string, width: number, format: MediaFormat): string {
  return `/media/${variantKey(id, width, format)}`;
}

function srcset(ref: PictureRef, format: MediaFormat): string {
  return variantWidths(ref.width)
    .map((w) => `${variantUrl(ref.media, w, format)} ${w}w`)
    .join(', ');
}

/**
 * An uploaded picture: AVIF, then WebP, then JPEG, each at every width, for the browser to
 * choose; width and height set so the space is kept before a byte arrives. `eager` for what
 * is on the first screen, lazy for the rest.
 */
export function Picture({
  picture,
  sizes = COLUMN_SIZES,
  eager = false,
  class: className = 'media__image',
}: {
  picture: PictureRef;
  sizes?: string;
  eager?: boolean;
  class?: string;
}) {
  const widths = variantWidths(picture.width);
  // The fallback src: a middling width, for browsers without srcset.
  const fallback = widths.find((w) => w >= 640) ?? (widths.at(-1) as number);
  return (
    <picture>
      {MEDIA_FORMATS.filter((f) => f !== 'jpeg').map((format) => (
        <source
          key={format}
          type={MEDIA_MIME[format]}
          srcset={srcset(picture, format)}
          sizes={sizes}
        />
      ))}
      <img
        class={className}
        src={variantUrl(picture.media, fallback, 'jpeg')}
        srcset={srcset(picture, 'jpeg')}
        sizes={sizes}
        alt={picture.alt}
        width={fallback}
        height={variantHeight(picture.width, picture.height, fallback)}
        loading={eager ? 'eager' : 'lazy'}
        decoding="async"
        {...(eager && { fetchpriority: 'high' })}
      />
    </picture>
  );
}

/** The picture a block or lead media refers to, when it has all it needs to draw one. */
export function pictureOf(item: {
  media?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  alt?: string | undefined;
}): PictureRef | null {
  if (!item.media || !item.width || !item.height) return null;
  return { media: item.media, width: item.width, height: item.height, alt: item.alt ?? '' };
}
