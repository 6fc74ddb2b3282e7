import { join } from 'node:path';
import sharp, { type OutputInfo, type Sharp } from 'sharp';

// One libvips thread per operation: with JobQueue's bound, processing takes one core at most.
sharp.concurrency(1);
import { LivelineError } from '../domain/errors.ts';
import { MEDIA_FORMATS, variantWidths, type MediaFormat } from '../domain/media.ts';

/** The most pixels a file may decode to: a 50-megapixel camera, not a decompression bomb. */
export const MAX_INPUT_PIXELS = 50_000_000;

export interface Variant {
  width: number;
  format: MediaFormat;
  /** The encoded file, in the job's folder. */
  file: string;
  bytes: number;
}

export interface ProcessedImage {
  /** Width and height after the orientation is applied: as readers see it. */
  width: number;
  height: number;
  variants: Variant[];
}

/** Encoder settings: speed matters (the desk waits), the results are still small. */
const ENCODE = {
  avif: (image: Sharp) => image.avif({ quality: 55, effort: 2 }),
  webp: (image: Sharp) => image.webp({ quality: 75, effort: 3 }),
  jpeg: (image: Sharp) => image.jpeg({ quality: 80, mozjpeg: true }),
} satisfies Record<MediaFormat, (image: Sharp) => Sharp>;

/**
 * Every variant of the picture in the file `input`, written to files in `outDir`. sharp (libvips) works on libuv's thread pool, so the event loop
 * serving readers never waits on it. The file is decoded once, turned upright by its EXIF
 * orientation and reduced to the largest width; every variant is made from those pixels.
 * sharp writes no metadata unless asked, so no EXIF (GPS included), XMP or IPTC leaves here;
 * pixels are converted to sRGB.
 */
export async function processImage(input: string, outDir: string): Promise<ProcessedImage> {
  let upright: { data: Buffer; info: OutputInfo };
  let size: { width: number; height: number };
  try {
    const meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    if (!meta.width || !meta.height) throw new Error('no size');
    const sideways = (meta.orientation ?? 1) >= 5;
    size = sideways
      ? { width: meta.height, height: meta.width }
      : { width: meta.width, height: meta.height };
    const largest = variantWidths(size.width).at(-1) as number;
    upright = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: largest, withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new LivelineError(
      'MEDIA_UNREADABLE',
      `The picture could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const { data, info } = upright;
  const raw = { width: info.width, height: info.height, channels: info.channels };
  // One encode at a time: each runs on one libvips thread (sharp.concurrency), so a picture
  // being processed holds one core and leaves the others to the event loop (bench/media-upload.ts).
  const variants: Variant[] = [];
  for (const width of variantWidths(size.width)) {
    for (const format of MEDIA_FORMATS) {
      const resized = sharp(data, { raw }).resize({ width });
      const file = join(outDir, `${width}.${format}`);
      const { size } = await ENCODE[format](resized).toFile(file);
      variants.push({ width, format, file, bytes: size });
    }
  }
  return { ...size, variants };
}
