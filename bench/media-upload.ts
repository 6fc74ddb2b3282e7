/**
 * Pictures benchmark: upload-and-process throughput of 12-megapixel JPEGs (POST
 * /desk/api/media, every variant made before the answer), and readers' latency on
 * GET /live/{slug} at a fixed rate, alone and while the uploads are processed, in the same
 * run. Uploader and readers are their own processes (bench/clients/). See bench/README.md.
 *
 * Each round also measures the readers beside a control: an AVIF encoder under SCHED_IDLE
 * that is not Liveline (bench/clients/idle-encoder.ts). What the readers' tail moves beside
 * it is what any picture processing on this machine costs them, the floor under the
 * uploads' figure.
 *
 *   node --import tsx bench/media-upload.ts --repeat 3 --photos 8 --parallel 2 --rate 100
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  renameSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { int, options } from './lib/args.ts';
import { ApiClient, createToken, HOST, ROOT, startLiveline, tempDir } from './lib/liveline.ts';
import { machineReport } from './lib/machine.ts';
import { postInput } from './lib/post-body.ts';
import { printProfiles } from './lib/profile.ts';
import { run, stopAll, watchdog } from './lib/procs.ts';
import { median } from './lib/stats.ts';
import { fmt, table } from './lib/table.ts';

const args = options(
  `usage: node --import tsx bench/media-upload.ts [options]
  --repeat 3        rounds (readers alone, then readers during uploads, each round)
  --photos 8        distinct 12-megapixel JPEGs uploaded per round
  --parallel 2      uploads in flight at once
  --rate 100        reader requests per second (open loop)
  --seconds 20      length of each reader window
  --compare-nice    also a second server whose PATH has no chrt, so it processes at nice 10
                    (the fallback), measured in the same rounds, interleaved
  --cpu-prof DIR    profile the server as shipped (all rounds) and print its hottest functions
  --stored N        instead of new photos, upload N times a photo the server already has:
                    each is received, hashed and recorded but never processed, which splits
                    the readers' tail between receiving uploads and processing them
  --max-minutes 20`,
  {
    repeat: { default: '3' },
    photos: { default: '8' },
    parallel: { default: '2' },
    rate: { default: '100' },
    seconds: { default: '20' },
    'compare-nice': { flag: true },
    'cpu-prof': { default: '' },
    stored: { default: '0' },
    'max-minutes': { default: '20' },
  },
);

const SLUG = 'bench-media';

/**
 * A 4000 x 3000 photo-like JPEG, unique per n: gradients and shapes under sensor-like grain,
 * so it weighs what a 12-megapixel camera's file does (about 4 to 5 MB at quality 90; without
 * the grain it compresses to 0.2 MB, and the server's work on the bytes would be understated).
 */
const RAW = { width: 4000, height: 3000, channels: 3 } as const;
/** The grain, made once: the photos differ by their colours and shapes. */
let grain: Buffer | undefined;

async function photo(n: number): Promise<Buffer> {
  const hue = (n * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="3000">
    <defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,35%)"/>
    <stop offset="1" stop-color="hsl(${(hue + 90) % 360},70%,70%)"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    ${Array.from({ length: 40 }, (_, i) => `<circle cx="${(i * 397 + n * 13) % 4000}" cy="${(i * 211 + n * 29) % 3000}" r="${60 + ((i * 37) % 300)}" fill="hsl(${(hue + i * 23) % 360},65%,55%)" opacity="0.7"/>`).join('')}
  </svg>`;
  grain ??= await sharp({
    create: { ...RAW, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 14 } },
  })
    .raw()
    .toBuffer();
  return sharp(Buffer.from(svg))
    .composite([{ input: grain, raw: RAW, blend: 'overlay' }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

interface ReaderResult {
  count: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}
interface UploadResult {
  uploads: number;
  errors: number;
  seconds: number;
  perUpload: { p50: number; p99: number; max: number };
}

const tsx = (script: string, scriptArgs: string[], timeoutMs: number) =>
  run(process.execPath, ['--import', 'tsx', script, ...scriptArgs], { cwd: ROOT, timeoutMs });

async function readers(url: string, rate: number, seconds: number): Promise<ReaderResult> {
  const out = await tsx(
    'bench/clients/paced-reader.ts',
    [url, String(rate), String(seconds)],
    (seconds + 60) * 1000,
  );
  if (out.code !== 0) throw new Error(`paced reader failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}') as ReaderResult;
}

/**
 * The readers beside the control: the idle encoder starts first (it makes its pixels in
 * about a second), the readers two seconds later, and it outlasts them.
 */
async function besideEncoder(url: string, rate: number, seconds: number): Promise<ReaderResult> {
  const encoder = run(
    'chrt',
    [
      '--idle',
      '0',
      process.execPath,
      '--import',
      'tsx',
      'bench/clients/idle-encoder.ts',
      String(seconds + 4),
    ],
    { cwd: ROOT, timeoutMs: (seconds + 60) * 1000 },
  );
  await new Promise((go) => setTimeout(go, 2_000));
  const result = await readers(url, rate, seconds);
  const out = await encoder;
  if (out.code !== 0) throw new Error(`idle encoder failed: ${out.stderr}`);
  return result;
}

async function uploads(
  base: string,
  token: string,
  parallel: number,
  files: string[],
): Promise<UploadResult> {
  const out = await tsx(
    'bench/clients/media-uploader.ts',
    [base, token, String(parallel), ...files],
    600_000,
  );
  if (out.code !== 0) throw new Error(`uploader failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}') as UploadResult;
}

async function main(): Promise<void> {
  watchdog(int('max-minutes', args['max-minutes']));
  console.log(machineReport());
  console.log(
    `command: node --import tsx bench/media-upload.ts ${process.argv.slice(2).join(' ')}\n`,
  );
  const repeat = int('repeat', args.repeat);
  const photos = int('photos', args.photos);
  const parallel = int('parallel', args.parallel);
  const rate = int('rate', args.rate);
  const seconds = int('seconds', args.seconds);
  const stored = int('stored', args.stored);

  const dataDir = tempDir('media');
  // Kept between runs: making one takes seconds, and they are the same every time (change
  // the folder's version when photo() changes).
  const photoDir = join(tmpdir(), 'liveline-bench-photos-v1');
  mkdirSync(photoDir, { recursive: true });
  const made = stored > 0 ? 1 : repeat * photos + 1;
  console.error(`making (or reusing) ${made} photos of 12 megapixels in ${photoDir}...`);
  const files: string[] = [];
  let bytes = 0;
  for (let n = 0; n < made; n++) {
    const file = join(photoDir, `photo-${n}.jpg`);
    if (!existsSync(file)) {
      writeFileSync(`${file}.part`, await photo(n));
      renameSync(`${file}.part`, file);
    }
    bytes += statSync(file).size;
    files.push(file);
  }
  const token = await createToken(dataDir);
  // The server as shipped (SCHED_IDLE through chrt when it may), and with --compare-nice a
  // second one on a copy of the data whose PATH has no chrt: its pictures are processed at
  // nice 10, the fallback (ADR 0026). Same photos, same rounds, interleaved.
  const targets: { name: string; dataDir: string; env: Record<string, string> }[] = [
    { name: 'as shipped', dataDir, env: { WORKERS: '1' } },
  ];
  if (args['compare-nice']) {
    const niceDir = tempDir('media-nice');
    cpSync(dataDir, niceDir, { recursive: true });
    // A PATH with bash (the bench starts servers through it) and no chrt.
    const bin = tempDir('media-nice-bin');
    symlinkSync(
      execFileSync('bash', ['-c', 'command -v bash']).toString().trim(),
      join(bin, 'bash'),
    );
    targets.push({ name: 'nice 10', dataDir: niceDir, env: { WORKERS: '1', PATH: bin } });
  }
  const servers = [];
  for (const target of targets) {
    const liveline = await startLiveline({
      dataDir: target.dataDir,
      env: target.env,
      ...(args['cpu-prof'] && target === targets[0] && { cpuProfDir: args['cpu-prof'] }),
    });
    const base = `http://${HOST}:${liveline.port}`;
    const api = new ApiClient(HOST, liveline.port, token);
    await api.createPage(SLUG, 'Media benchmark');
    for (let n = 1; n <= 20; n++) await api.publish(SLUG, JSON.stringify(postInput(n)));
    api.close();
    // Warm: the page, the reader's path, and one upload through sharp.
    await readers(`${base}/live/${SLUG}`, rate, 3);
    await uploads(base, token, 1, [files[0] as string]);
    servers.push({ ...target, liveline, base });
  }

  const rows: string[][] = [];
  const results = new Map(
    targets.map((t) => [
      t.name,
      {
        alone: [] as ReaderResult[],
        during: [] as ReaderResult[],
        control: [] as ReaderResult[],
        sent: [] as UploadResult[],
      },
    ]),
  );
  for (let r = 0; r < repeat; r++) {
    // The warm-up photo, already stored, again and again; or this round's new photos.
    const batch =
      stored > 0
        ? Array.from({ length: stored }, () => files[0] as string)
        : files.slice(1 + r * photos, 1 + (r + 1) * photos);
    for (const server of servers) {
      const page = `${server.base}/live/${SLUG}`;
      const quiet = await readers(page, rate, seconds);
      const [busy, up] = await Promise.all([
        readers(page, rate, seconds),
        uploads(server.base, token, parallel, batch),
      ]);
      const control = await besideEncoder(page, rate, seconds);
      const result = results.get(server.name)!;
      result.alone.push(quiet);
      result.during.push(busy);
      result.control.push(control);
      result.sent.push(up);
      console.error(
        `round ${r + 1} (${server.name}): readers p99 ${quiet.p99.toFixed(1)} ms alone, ${busy.p99.toFixed(1)} ms during uploads, ${control.p99.toFixed(1)} ms beside the idle encoder; ` +
          `${up.uploads} uploads in ${up.seconds.toFixed(1)} s (${up.errors} errors)`,
      );
      rows.push([
        String(r + 1),
        ...(servers.length > 1 ? [server.name] : []),
        fmt(quiet.p50),
        fmt(quiet.p99),
        fmt(busy.p50),
        fmt(busy.p99),
        (busy.p99 / quiet.p99).toFixed(2),
        fmt(control.p99),
        (control.p99 / quiet.p99).toFixed(2),
        `${up.uploads}/${batch.length}`,
        fmt(up.seconds),
        fmt((up.uploads / up.seconds) * 60),
        fmt(up.perUpload.p50 / 1000, 2),
      ]);
    }
  }
  for (const server of servers) await server.liveline.stop();
  if (args['cpu-prof']) printProfiles(args['cpu-prof']);

  console.log(
    `\n## Pictures: ${stored > 0 ? `one stored JPEG uploaded ${stored} times` : `${photos} JPEGs`} of 4000x3000 (${(bytes / files.length / 1024 / 1024).toFixed(1)} MB each) per round, ${parallel} at a time; readers at ${rate} req/s for ${seconds} s\n`,
  );
  console.log(
    table(
      [
        'round',
        ...(servers.length > 1 ? ['processing'] : []),
        'alone p50 ms',
        'alone p99 ms',
        'during p50 ms',
        'during p99 ms',
        'p99 ratio',
        'beside encoder p99 ms',
        'control ratio',
        'uploads',
        'upload s',
        'photos/min',
        'per upload p50 s',
      ],
      rows,
    ),
  );
  const ratios = new Map<string, number[]>();
  for (const [name, { alone, during, control, sent }] of results) {
    const perRound = during.map((d, i) => d.p99 / (alone[i] as ReaderResult).p99);
    ratios.set(name, perRound);
    const ratio = median(perRound);
    const errors =
      [...alone, ...during, ...control].reduce((n, x) => n + x.errors, 0) +
      sent.reduce((n, x) => n + x.errors, 0);
    console.log(
      `\n- ${name}: readers' p99 during uploads / alone (median of rounds): ${ratio.toFixed(2)}: ` +
        `${ratio <= 1.1 ? 'MET' : 'MISSED'} (at most 1.10); medians ${fmt(median(alone.map((a) => a.p99)))} → ${fmt(median(during.map((d) => d.p99)))} ms`,
    );
    console.log(
      `- ${name}: control, readers' p99 beside the idle encoder / alone (median of rounds): ` +
        `${median(control.map((c, i) => c.p99 / (alone[i] as ReaderResult).p99)).toFixed(2)}: ` +
        `what any picture processing on this machine moves the readers' tail by`,
    );
    console.log(
      `- ${name}: upload and process throughput (median of rounds): ${fmt(median(sent.map((s) => (s.uploads / s.seconds) * 60)))} photos/min; errors: ${errors}`,
    );
  }
  const shipped = ratios.get('as shipped') ?? [];
  const niced = ratios.get('nice 10');
  if (niced) {
    const versus = median(shipped.map((r, i) => r / (niced[i] as number)));
    console.log(
      `- same-round ratio of those p99 ratios, as shipped / nice 10 (median of rounds): ${versus.toFixed(2)}`,
    );
  }
}

try {
  await main();
} finally {
  await stopAll();
}
