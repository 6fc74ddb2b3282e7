/**
 * The write path: how long a publish and an edit take over HTTP (SQLite, as `npm start`), and
 * how many a second, against a reference build of another commit in the same run. Each write
 * now also records its step in the post's history and an audit entry in the same
 * transaction: this says what that costs. See bench/README.md.
 *
 *   git worktree add /tmp/liveline-ref <commit> && cp -al node_modules /tmp/liveline-ref/
 *   node --import tsx bench/write-path.ts --ref /tmp/liveline-ref --repeat 3
 */
import { int, intList, options } from './lib/args.ts';
import { ApiClient, createToken, startLiveline, tempDir, type Liveline } from './lib/liveline.ts';
import { machineReport } from './lib/machine.ts';
import { postInput } from './lib/post-body.ts';
import { stopAll, watchdog } from './lib/procs.ts';
import { concat, median, summarize } from './lib/stats.ts';
import { fmt, ratio, table } from './lib/table.ts';

const args = options(
  `usage: node --import tsx bench/write-path.ts [options]
  --ref DIR            a checkout of the reference commit (with node_modules); none: main only
  --repeat 3           runs of each build (interleaved); tables show medians of the runs
  --posts 300          posts published (then each edited once) per run and concurrency
  --concurrency 1,8    writers at once (one keep-alive connection each)
  --max-minutes 20
  --cpu-prof DIR       profile this build's server (node --cpu-prof) into DIR`,
  {
    ref: { default: '' },
    repeat: { default: '3' },
    posts: { default: '300' },
    concurrency: { default: '1,8' },
    'max-minutes': { default: '20' },
    'cpu-prof': { default: '' },
  },
);
const log = (line: string) => console.error(line);
const SLUG = 'bench-writes';

interface Phase {
  /** Milliseconds of each write, as the writer saw it. */
  times: Float64Array;
  perSecond: number;
}

/** `count` writes by `writers` clients at once, each taking the next index until none is left. */
async function phase(
  clients: ApiClient[],
  count: number,
  write: (client: ApiClient, index: number) => Promise<void>,
): Promise<Phase> {
  const times = new Float64Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        await write(client, i);
        times[i] = performance.now() - t0;
      }
    }),
  );
  return { times, perSecond: count / ((performance.now() - started) / 1000) };
}

async function expect201or200(
  response: Promise<{ status: number; body: string }>,
  ok: number,
): Promise<{ id: string; revision: number }> {
  const { status, body } = await response;
  if (status !== ok) throw new Error(`answered ${status}: ${body}`);
  return JSON.parse(body) as { id: string; revision: number };
}

async function runOnce(root: string | undefined, writers: number) {
  const dataDir = tempDir('writes');
  const profile = !root && args['cpu-prof'] ? { cpuProfDir: args['cpu-prof'] } : {};
  const server: Liveline = await startLiveline({ dataDir, ...(root && { root }), ...profile });
  try {
    const token = await createToken(dataDir, root);
    const clients = Array.from(
      { length: writers },
      () => new ApiClient(server.host, server.port, token),
    );
    await clients[0]!.createPage(SLUG, 'Write-path benchmark');
    const posts = int('--posts', args.posts);
    // Warm-up: the first writes compile and fill caches.
    for (let i = 0; i < 20; i++)
      await expect201or200(
        clients[0]!.post(`/api/pages/${SLUG}/posts`, JSON.stringify(postInput(1_000_000 + i))),
        201,
      );
    const made: { id: string; revision: number }[] = [];
    const publish = await phase(clients, posts, async (client, i) => {
      made[i] = await expect201or200(
        client.post(`/api/pages/${SLUG}/posts`, JSON.stringify(postInput(i))),
        201,
      );
    });
    const edit = await phase(clients, posts, async (client, i) => {
      const post = made[i]!;
      const body = { revision: post.revision, headline: `${postInput(i).headline} (updated)` };
      await expect201or200(
        client.send('PATCH', `/api/pages/${SLUG}/posts/${post.id}`, JSON.stringify(body)),
        200,
      );
    });
    for (const client of clients) client.close();
    return { publish, edit };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  watchdog(int('--max-minutes', args['max-minutes']));
  const builds: { name: string; root: string | undefined }[] = [
    { name: 'this build', root: undefined },
    ...(args.ref ? [{ name: 'reference', root: args.ref }] : []),
  ];
  const repeat = int('--repeat', args.repeat);
  const rows: string[][] = [];
  for (const writers of intList('--concurrency', args.concurrency)) {
    const results = new Map<string, Awaited<ReturnType<typeof runOnce>>[]>();
    for (let run = 1; run <= repeat; run++) {
      for (const build of builds) {
        log(`run ${run}/${repeat}: ${build.name}, ${writers} writer(s)`);
        const result = await runOnce(build.root, writers);
        results.set(build.name, [...(results.get(build.name) ?? []), result]);
      }
    }
    const figures = (name: string, kind: 'publish' | 'edit') => {
      const runs = (results.get(name) ?? []).map((r) => r[kind]);
      const all = summarize(concat(runs.map((r) => r.times)));
      return {
        p50: median(runs.map((r) => summarize(r.times).p50)),
        p99: median(runs.map((r) => summarize(r.times).p99)),
        perSecond: median(runs.map((r) => r.perSecond)),
        count: all.count,
      };
    };
    for (const kind of ['publish', 'edit'] as const) {
      const mine = figures('this build', kind);
      const ref = args.ref ? figures('reference', kind) : null;
      rows.push([
        kind,
        String(writers),
        `${fmt(mine.p50, 2)} / ${fmt(mine.p99, 2)}`,
        fmt(mine.perSecond, 0),
        ref ? `${fmt(ref.p50, 2)} / ${fmt(ref.p99, 2)}` : '–',
        ref ? fmt(ref.perSecond, 0) : '–',
        ref ? ratio(mine.p50, ref.p50) : '–',
        ref ? ratio(mine.perSecond, ref.perSecond) : '–',
      ]);
    }
  }
  console.log(machineReport());
  console.log(
    table(
      [
        'write',
        'writers',
        'this build p50 / p99 ms',
        'this build /s',
        'reference p50 / p99 ms',
        'reference /s',
        'p50 ratio',
        'throughput ratio',
      ],
      rows,
    ),
  );
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
