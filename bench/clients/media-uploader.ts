/**
 * Uploads picture files to POST /desk/api/media with a bearer token, `parallel` at a time,
 * each once, and prints one JSON line: {uploads, errors, seconds, perUpload: {p50, p99, max}}.
 *
 * It stands in for journalists' browsers, which run on other machines: on this one it shares
 * two cores with the server and the readers' client, so it is made cheap. Each request's
 * bytes (head and multipart body, the file read from disk) are built before its clock starts
 * and handed to the socket in one write; the kernel's copy is all that is left. fetch with a
 * FormData body, before, streamed each file through JavaScript in small pieces; the readers'
 * p99 moved much less with that uploader at idle priority than at normal priority, though in
 * runs of different sessions (docs/PERFORMANCE.md gives both).
 *
 *   node --import tsx bench/clients/media-uploader.ts BASE_URL TOKEN PARALLEL FILE...
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { basename } from 'node:path';
import { summarize } from '../lib/stats.ts';

const [base, token, parallelText, ...files] = process.argv.slice(2);
if (!base || !token || !parallelText || files.length === 0)
  throw new Error('usage: media-uploader BASE_URL TOKEN PARALLEL FILE...');
const target = new URL(base);
if (!/^127\./.test(target.hostname)) throw new Error('loopback targets only');
const parallel = Number(parallelText);
const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
const times: number[] = [];
let errors = 0;
const queue = [...files];
const begin = performance.now();

/** A multipart/form-data body with the alt text and the file, as a browser's form sends. */
function multipart(file: string, bytes: Buffer): { type: string; body: Buffer } {
  const boundary = `----liveline-bench-${randomBytes(12).toString('hex')}`;
  const name = basename(file);
  const head =
    `--${boundary}\r\ncontent-disposition: form-data; name="alt"\r\n\r\nBenchmark photo ${name}\r\n` +
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\n` +
    `content-type: image/jpeg\r\n\r\n`;
  return {
    type: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}

function post(type: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: '/desk/api/media',
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': type,
          'content-length': body.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function worker(): Promise<void> {
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const { type, body } = multipart(file, await readFile(file));
    const started = performance.now();
    const status = await post(type, body).catch(() => 0);
    if (status === 201) times.push(performance.now() - started);
    else errors += 1;
  }
}

await Promise.all(Array.from({ length: parallel }, () => worker()));
agent.destroy();
const seconds = (performance.now() - begin) / 1000;
const { p50, p99, max } = summarize(Float64Array.from(times));
console.log(
  JSON.stringify({ uploads: times.length, errors, seconds, perUpload: { p50, p99, max } }),
);
