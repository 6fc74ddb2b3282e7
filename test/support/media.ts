import assert from 'node:assert/strict';
import sharp from 'sharp';

/**
 * Photos made at test time (no binary fixtures): a gradient so encoders have work, with EXIF
 * as a phone writes it: a GPS position, the camera, and an orientation (6: the camera was
 * turned, the pixels are stored sideways).
 */
export async function aPhoto(
  options: { width?: number; height?: number; orientation?: number; colour?: string } = {},
): Promise<Buffer> {
  const width = options.width ?? 1600;
  const height = options.height ?? 1200;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g"><stop offset="0" stop-color="${options.colour ?? '#1d5d9b'}"/>
    <stop offset="1" stop-color="#f4d160"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/><circle cx="30%" cy="40%" r="15%" fill="#c33"/></svg>`;
  return sharp(Buffer.from(svg))
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: {
        Make: 'Liveline Test Camera',
        Model: 'LT-1',
      },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 2634/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 3948/100',
      },
    })
    .withMetadata(options.orientation !== undefined ? { orientation: options.orientation } : {})
    .toBuffer();
}

/** Whether a file's EXIF has a GPS section (tag 0x8825, in either byte order). */
export async function hasGps(bytes: Buffer): Promise<boolean> {
  const exif = (await sharp(bytes).metadata()).exif;
  if (!exif) return false;
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}

/** A Linux program's first bytes and some more: what a renamed executable looks like. */
export function anExecutable(): Buffer {
  const header = Buffer.from('7f454c4602010100000000000000000002003e0001000000', 'hex');
  return Buffer.concat([header, Buffer.alloc(4096, 0x90)]);
}

/** A multipart/form-data body as a browser's FormData sends it, for inject or fetch. */
export async function multipart(
  fields: Record<string, string>,
  file?: { bytes: Buffer; name: string; type: string },
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file)
    form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const request = new Request('http://liveline.test/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type') ?? '' },
  };
}

/** Fails unless the file carries no EXIF, XMP or IPTC at all (so no GPS position). */
export async function assertNoMetadata(bytes: Buffer, what: string): Promise<void> {
  const meta = await sharp(bytes).metadata();
  assert.equal(meta.exif, undefined, `${what} carries EXIF`);
  assert.equal(meta.xmp, undefined, `${what} carries XMP`);
  assert.equal(meta.iptc, undefined, `${what} carries IPTC`);
  assert.equal(
    bytes.includes(Buffer.from('Liveline Test Camera')),
    false,
    `${what} names the camera`,
  );
}
