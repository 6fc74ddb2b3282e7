/**
 * The control of bench/media-upload.ts: encodes one 12-megapixel picture to AVIF again and
 * again for SECONDS, on one libvips thread, as the processing process does, but with no
 * upload, no Liveline, nothing shared with the server. The bench starts it under SCHED_IDLE
 * (`chrt --idle 0`), the policy Liveline's processing runs under: the readers' latency beside
 * it is the least any picture processing on this machine can cost them.
 *
 *   chrt --idle 0 node --import tsx bench/clients/idle-encoder.ts SECONDS
 */
import sharp from 'sharp';

sharp.concurrency(1);
const seconds = Number(process.argv[2]);
if (!(seconds > 0)) throw new Error('usage: idle-encoder SECONDS');
const raw = { width: 4000, height: 3000, channels: 3 } as const;
const pixels = await sharp({
  create: { ...raw, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 14 } },
})
  .raw()
  .toBuffer();
const end = performance.now() + seconds * 1000;
let encoded = 0;
while (performance.now() < end) {
  await sharp(pixels, { raw }).resize({ width: 2048 }).avif({ quality: 55, effort: 2 }).toBuffer();
  encoded += 1;
}
console.log(JSON.stringify({ encoded }));
