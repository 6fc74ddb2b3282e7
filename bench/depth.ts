/**
 * Cost of depth: a live page with 100,000 posts (seeded through the store API), then
 * GET /api/pages/{slug}/posts?page=N and GET /live/{slug}?page=N with wrk for page 1 and
 * page 500 (and any others asked for), and signed in page N by its keyset cursor
 * (`?after=`, the `next` of page N - 1). See bench/README.md.
 *
 *   node --import tsx bench/depth.ts --posts 100000 --pages 1,500 --repeat 3
 */
import { join } from 'node:path';
import { int, intList, options } from './lib/args.ts';
import {
  HEADERS,
  measure,
  Samples,
  table,
  type HttpServer,
  type LoadOptions,
} from './lib/http-bench.ts';
import { createToken, HOST, ROOT, startLiveline, tempDir } from './lib/liveline.ts';
import { machineReport } from './lib/machine.ts';
import { request } from './lib/net.ts';
import { ensurePrereqs } from './lib/prereqs.ts';
import { run, stopAll, watchdog } from './lib/procs.ts';
import { printProfiles } from './lib/profile.ts';

const args = options(
  `usage: node --import tsx bench/depth.ts [options]
  --posts 100000     posts on the page
  --pages 1,500      pages to read (the first is the reference); anonymous and signed-in reads
  --repeat 3         wrk runs of each case (interleaved); tables show medians
  --duration 10      seconds per wrk run
  --connections 50   wrk -c (one thread)
  --max-minutes 30
  --cpu-prof DIR     profile Liveline (node --cpu-prof) and print its hottest functions
  --install          apt-get install wrk when missing (root)`,
  {
    posts: { default: '100000' },
    pages: { default: '1,500' },
    repeat: { default: '3' },
    duration: { default: '10' },
    connections: { default: '50' },
    'max-minutes': { default: '30' },
    'cpu-prof': { default: '' },
    install: { flag: true },
  },
);

const SLUG = 'bench-depth';
interface Case {
  name: string;
  url: (page: number) => string;
  /** Signed-in reads are private: never cached, so they pay the query and render each time. */
  signedIn?: boolean;
}

/** Per page number, the `next` of the page before it: where keyset paging reads it from. */
const cursors = new Map<number, string>();

const REQUESTS: Case[] = [
  {
    name: 'GET /api/pages/{slug}/posts',
    url: (page) => `/api/pages/${SLUG}/posts?page=${page}`,
  },
  { name: 'GET /live/{slug}', url: (page) => `/live/${SLUG}?page=${page}` },
  {
    name: 'GET /api/pages/{slug}/posts signed in',
    url: (page) => `/api/pages/${SLUG}/posts?page=${page}`,
    signedIn: true,
  },
  {
    // Keyset paging: page N read after the cursor page N - 1 gave (page 1 has none).
    name: 'GET /api/pages/{slug}/posts?after= signed in',
    url: (page) =>
      page === 1
        ? `/api/pages/${SLUG}/posts`
        : `/api/pages/${SLUG}/posts?after=${cursors.get(page) ?? ''}`,
    signedIn: true,
  },
];

/** Finds, for each page asked for, the cursor that reads it (the `next` of the page before). */
async function findCursors(port: number, token: string, pages: readonly number[]): Promise<void> {
  for (const page of pages) {
    if (page === 1) continue;
    const response = await request({
      host: HOST,
      port,
      path: `/api/pages/${SLUG}/posts?page=${page - 1}`,
      headers: { Authorization: `Bearer ${token}` },
    });
    const next = (JSON.parse(response.body.toString('utf8')) as { next?: string | null }).next;
    if (typeof next !== 'string') throw new Error(`page ${page - 1} gave no next cursor`);
    cursors.set(page, next);
  }
}

async function main(): Promise<void> {
  watchdog(int('max-minutes', args['max-minutes']));
  await ensurePrereqs(['wrk'], args.install);
  console.log(machineReport());
  console.log(`command: node --import tsx bench/depth.ts ${process.argv.slice(2).join(' ')}\n`);
  const posts = int('posts', args.posts);
  const pages = intList('pages', args.pages);
  const load: LoadOptions = {
    threads: 1,
    connections: int('connections', args.connections),
    seconds: int('duration', args.duration),
  };

  const dataDir = tempDir('depth');
  const token = await createToken(dataDir);
  const headersOf = (req: Case): Record<string, string> =>
    req.signedIn ? { Authorization: `Bearer ${token}` } : {};
  const seeded = await run(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/setup/seed-posts.ts'), SLUG, String(posts)],
    { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, timeoutMs: 15 * 60_000 },
  );
  if (seeded.code !== 0) throw new Error(`seeding failed:\n${seeded.stderr}`);
  console.log(`seeded: ${seeded.stdout.trim()}`);

  const cpuProfDir = args['cpu-prof'] || undefined;
  const liveline = await startLiveline({ dataDir, env: { WORKERS: '1' }, cpuProfDir });
  const server: HttpServer = {
    name: 'liveline',
    host: HOST,
    port: liveline.port,
    pids: () => liveline.pids(),
  };
  await findCursors(liveline.port, token, pages);
  for (const req of REQUESTS) {
    for (const page of pages) {
      const response = await request({
        host: HOST,
        port: liveline.port,
        path: req.url(page),
        headers: headersOf(req),
      });
      if (response.status !== 200) throw new Error(`${req.url(page)} answered ${response.status}`);
      await measure(server, req.url(page), headersOf(req), { ...load, seconds: 2 });
    }
  }
  const samples = new Map<string, Samples>();
  for (let r = 0; r < int('repeat', args.repeat); r++) {
    for (const req of REQUESTS) {
      for (const page of pages) {
        const result = await measure(server, req.url(page), headersOf(req), load);
        const key = `${req.name}|${page}`;
        if (!samples.has(key)) samples.set(key, new Samples());
        samples.get(key)?.add(result);
        console.error(
          `run ${r + 1}: ${req.name} page ${page}: ${result.requestsPerSecond.toFixed(0)} req/s`,
        );
      }
    }
  }
  await liveline.stop();

  console.log(
    `\n## Depth: ${posts} posts, wrk -t${load.threads} -c${load.connections} -d${load.seconds}s, ${args.repeat} runs each\n`,
  );
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const req of REQUESTS) {
    const first = samples.get(`${req.name}|${pages[0]}`) as Samples;
    for (const page of pages) {
      const s = samples.get(`${req.name}|${page}`) as Samples;
      rows.push(s.row([req.name, String(page)], [first]));
      if (page === 500 && pages[0] !== 500) {
        const r = s.pairedRatio(first);
        verdicts.push(
          `${req.name} page 500 within 10% of page ${pages[0]}: ${r >= 0.9 ? 'MET' : 'MISSED'} ` +
            `(${r.toFixed(2)} paired; ratio of the medians ${(s.rate / first.rate).toFixed(2)}: ` +
            `${s.rate.toFixed(0)} vs ${first.rate.toFixed(0)} req/s)`,
        );
      }
    }
  }
  console.log(table(['request', 'page', ...HEADERS, `vs page ${pages[0]}`], rows));
  console.log('\n"vs" column: the median over rounds of the ratio within each round.');
  console.log('');
  for (const line of verdicts) console.log(`- ${line}`);
  if (cpuProfDir) printProfiles(cpuProfDir);
}

try {
  await main();
} finally {
  await stopAll();
}
