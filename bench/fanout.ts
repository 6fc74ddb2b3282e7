/**
 * Fan-out benchmark: N SSE readers of one live page, ~2 KB posts published one at a time,
 * Liveline (full path: API publish, SQLite write, change log, render, fan-out) against
 * nginx + nchan publishing the same event data, in the same run. See bench/README.md.
 *
 *   node --import tsx bench/fanout.ts --readers 1000,10000 --repeat 3
 */
import { freemem } from 'node:os';
import { int, intList, options } from './lib/args.ts';
import { ClientPool } from './lib/fanout/client-pool.ts';
import { burstTable, runTable, summaryTable, targetLines } from './lib/fanout/report.ts';
import { runFanout, type FanoutOptions, type FanoutResult } from './lib/fanout/run.ts';
import {
  bareTarget,
  livelineTarget,
  nchanTarget,
  payloadFrom,
  type FanoutTarget,
} from './lib/fanout/targets.ts';
import { machineReport } from './lib/machine.ts';
import { ensurePrereqs } from './lib/prereqs.ts';
import { openFilesHardLimit } from './lib/proc-stats.ts';
import { sleep, stopAll, watchdog } from './lib/procs.ts';
import { printProfiles } from './lib/profile.ts';

const args = options(
  `usage: node --import tsx bench/fanout.ts [options]
  --readers 1000,10000   reader counts to run (50000 needs several processes: see README)
  --repeat 1             runs of each (Liveline then nchan); the summary shows medians
  --posts 25             measured posts per run (after --warmup 3)
  --targets liveline,nchan   add ",bare" for bench/servers/bare-sse.ts, Node's floor (1 process)
  --workers auto         Liveline WORKERS and nginx worker_processes (auto: fewest that fit)
  --clients auto         SSE client processes (auto: fewest that fit)
  --gap-ms 100           pause after each post is everywhere
  --burst-s 10           then posts back to back for this long (0: no burst phase)
  --burst-max-posts 1000 the burst also ends after this many posts
  --post-timeout-ms 10000 --settle-ms 5000 --concurrency 200 --max-minutes 30
  --cpu-prof DIR         profile Liveline (node --cpu-prof) and print its hottest functions
  --node-args=...       more node flags for Liveline, e.g. --node-args=--trace-gc (with --verbose)
  --install              apt-get install nginx libnginx-mod-nchan when missing (root)
  --verbose              echo the servers' output`,
  {
    readers: { default: '1000,10000' },
    repeat: { default: '1' },
    posts: { default: '25' },
    warmup: { default: '3' },
    targets: { default: 'liveline,nchan' },
    workers: { default: 'auto' },
    clients: { default: 'auto' },
    'gap-ms': { default: '100' },
    'burst-s': { default: '10' },
    'burst-max-posts': { default: '1000' },
    'post-timeout-ms': { default: '10000' },
    'settle-ms': { default: '5000' },
    concurrency: { default: '200' },
    'max-minutes': { default: '30' },
    'cpu-prof': { default: '' },
    'node-args': { default: '' },
    install: { flag: true },
    verbose: { flag: true },
  },
);

const targets = new Set(args.targets.split(','));
const warmup = Math.max(1, int('warmup', args.warmup));
// Each process keeps a few hundred descriptors for itself.
const perProcess = openFilesHardLimit() - 500;
const log = (line: string) => console.error(line);

function processesFor(readers: number, option: string, name: string): number {
  return option === 'auto' ? Math.ceil(readers / perProcess) : int(name, option);
}

async function runOne(
  readers: number,
  subnet: number,
  start: () => Promise<FanoutTarget>,
): Promise<FanoutResult> {
  const target = await start();
  const runOptions: FanoutOptions = {
    readers,
    clients: processesFor(readers, args.clients, 'clients'),
    posts: int('posts', args.posts),
    warmup,
    gapMs: int('gap-ms', args['gap-ms']),
    postTimeoutMs: int('post-timeout-ms', args['post-timeout-ms']),
    settleMs: int('settle-ms', args['settle-ms']),
    concurrency: int('concurrency', args.concurrency),
    connectTimeoutMs: 30_000 + readers * 2,
    subnet,
    log,
    verbose: args.verbose,
    burstMs: Number(args['burst-s']) * 1000,
    burstMaxPosts: int('burst-max-posts', args['burst-max-posts']),
  };
  try {
    return await runFanout(target, runOptions);
  } finally {
    await target.stop();
  }
}

async function main(): Promise<void> {
  watchdog(int('max-minutes', args['max-minutes']));
  if (targets.has('nchan')) await ensurePrereqs(['nginx', 'nchan'], args.install);
  console.log(machineReport());
  console.log(`command: node --import tsx bench/fanout.ts ${process.argv.slice(2).join(' ')}\n`);
  // Checks that client processes start at all before anything long begins.
  await (await ClientPool.start(1)).close();

  let subnet = 0;
  for (const readers of intList('readers', args.readers)) {
    const workers = processesFor(readers, args.workers, 'workers');
    if (workers * perProcess < readers) {
      console.log(
        `skipping ${readers} readers: ${workers} server process(es) hold at most ${workers * perProcess}`,
      );
      continue;
    }
    if (freemem() < readers * 64 * 1024) {
      console.log(
        `skipping ${readers} readers: ${Math.round(freemem() / 2 ** 20)} MiB free is too little`,
      );
      continue;
    }
    const liveline: FanoutResult[] = [];
    const nchan: FanoutResult[] = [];
    const bare: FanoutResult[] = [];
    for (let r = 0; r < int('repeat', args.repeat); r++) {
      let sample: string | null = null;
      if (targets.has('liveline')) {
        const result = await runOne(readers, ++subnet, () =>
          livelineTarget({
            workers,
            cpuProfDir: args['cpu-prof'] || undefined,
            nodeArgs: args['node-args'].split(' ').filter((arg) => arg !== ''),
            echo: args.verbose,
          }),
        );
        liveline.push(result);
        sample = result.frameSample;
        log(runTable([result]) + '\n');
      }
      const payload = payloadFrom(sample, warmup, 2300);
      if (targets.has('nchan')) {
        const result = await runOne(readers, ++subnet, () => nchanTarget({ workers, payload }));
        nchan.push(result);
        log(runTable([result]) + '\n');
      }
      if (targets.has('bare') && workers === 1) {
        const result = await runOne(readers, ++subnet, () => bareTarget({ payload }));
        bare.push(result);
        log(runTable([result]) + '\n');
      }
      await sleep(2_000);
    }
    const eventBytes = (liveline[0] ?? nchan[0])?.frameSample?.length;
    console.log(
      `## ${readers} readers: ${liveline.length + nchan.length} runs, server processes: ${workers}` +
        `, event data ${eventBytes ?? 'n/a'} bytes\n`,
    );
    console.log(runTable([...liveline, ...nchan, ...bare]) + '\n');
    if ([...liveline, ...nchan, ...bare].some((r) => r.burst)) {
      console.log(`Burst phase (posts back to back for ${args['burst-s']} s):\n`);
      console.log(burstTable([...liveline, ...nchan, ...bare]) + '\n');
    }
    const summary = summaryTable(liveline, nchan, bare);
    console.log(summary.text + '\n');
    for (const line of targetLines(readers, summary.liveline, summary.nchan, summary.paired))
      console.log(`- ${line}`);
    console.log('');
  }
  if (args['cpu-prof']) printProfiles(args['cpu-prof']);
}

try {
  await main();
} finally {
  await stopAll();
}
