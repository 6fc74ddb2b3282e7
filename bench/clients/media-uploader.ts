/**
 * Uploads picture files to POST /desk/api/media with a bearer token, `parallel` at a time,
 * each once, and prints one JSON line: {uploads, errors, seconds, perUpload: {p50, p99, max}}.
 *
 *   node --import tsx bench/clients/media-uploader.ts BASE_URL TOKEN PARALLEL FILE...
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { summarize } from '../lib/stats.ts';

const [base, token, parallelText, ...files] = process.argv.slice(2);
if (!base || !token || !parallelText || files.length === 0)
  throw new Error('usage: media-uploader BASE_URL TOKEN PARALLEL FILE...');
if (!/^http:\/\/127\./.test(base)) throw new Error('loopback targets only');
const parallel = Number(parallelText);
const times: number[] = [];
let errors = 0;
const queue = [...files];
const begin = performance.now();

async function worker(): Promise<void> {
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const bytes = await readFile(file);
    const form = new FormData();
    form.append('alt', `Benchmark photo ${basename(file)}`);
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), basename(file));
    const started = performance.now();
    const res = await fetch(`${base}/desk/api/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    await res.arrayBuffer();
    if (res.status === 201) times.push(performance.now() - started);
    else errors += 1;
  }
}

await Promise.all(Array.from({ length: parallel }, () => worker()));
const seconds = (performance.now() - begin) / 1000;
const { p50, p99, max } = summarize(Float64Array.from(times));
console.log(
  JSON.stringify({ uploads: times.length, errors, seconds, perUpload: { p50, p99, max } }),
);
