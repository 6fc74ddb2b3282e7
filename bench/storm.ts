/**
 * Reconnect storm benchmark (issue 13, item 5): N SSE readers of one live page, then Liveline
 * is restarted (SIGTERM, started again on the same data folder and port), K posts are
 * published while the readers are away, and every reader reconnects at once with
 * Last-Event-ID while posts keep coming at a steady rate. Reports the time until the last
 * reader has every post it missed, whether any reader lost or repeated one, and the
 * publish→answer and publish→receive latency of the posts published during the storm.
 * The server keeps its per-address stream bound: the readers come from many addresses.
 *
 *   nice -n -10 node --import tsx bench/storm.ts --readers 10000
 */
import { int, options } from './lib/args.ts';
import { ClientPool } from './lib/fanout/client-pool.ts';
import { ApiClient, createToken, startLiveline, tempDir, type Liveline } from './lib/liveline.ts';
import { machineReport } from './lib/machine.ts';
import { freePort } from './lib/net.ts';
import { marker, postInput } from './lib/post-body.ts';
import { cpuDelta, cpuOf, openFilesHardLimit } from './lib/proc-stats.ts';
import { sleep, stopAll, watchdog } from './lib/procs.ts';
import { startSteadyPublisher } from './lib/steady-publisher.ts';
import { printProfiles } from './lib/profile.ts';
import { summarize, type Summary } from './lib/stats.ts';
import { fmt, table } from './lib/table.ts';

const args = options(
  `usage: node --import tsx bench/storm.ts [options]
  --readers 10000        readers of one live page (one server process)
  --repeat 1             storms, each on a fresh server and fresh readers
  --clients auto         SSE client processes (auto: one per 5,000 readers, at least 2)
  --per-address 25       readers per source address (the server's bound is 32 per address)
  --before 3             posts published (and received by all) before the restart
  --missed 20            posts published while the readers are away
  --rate-ms 250          one post every this many ms during the storm
  --storm-s 8            keep publishing at least this long after the readers reconnect
  --reconnect-concurrency 100000   connection attempts in flight per client (all at once)
  --retry-ms 1000        a refused or failed reconnect tries again after this long
  --timeout-ms 60000     how long the storm may take before readers count as lost
  --ref DIR              also storm a checkout of another commit (git worktree add DIR <commit>
                         && cp -al node_modules DIR/), alternating with this one, same round
  --cpu-prof DIR         profile the restarted Liveline and print its hottest functions
  --node-args=...        more node flags for the restarted Liveline, e.g. --node-args=--trace-gc
  --max-minutes 15
  --verbose              echo the server's output`,
  {
    readers: { default: '10000' },
    repeat: { default: '1' },
    clients: { default: 'auto' },
    'per-address': { default: '25' },
    before: { default: '3' },
    missed: { default: '20' },
    'rate-ms': { default: '250' },
    'storm-s': { default: '8' },
    'reconnect-concurrency': { default: '100000' },
    'retry-ms': { default: '1000' },
    'timeout-ms': { default: '60000' },
    'cpu-prof': { default: '' },
    'node-args': { default: '' },
    ref: { default: '' },
    'max-minutes': { default: '15' },
    verbose: { flag: true },
  },
);

const SLUG = 'bench-storm';
const now = () => performance.timeOrigin + performance.now();
const log = (line: string) => console.error(line);

interface StormResult {
  /** Which checkout: 'this' or the reference's folder. */
  build: string;
  readers: number;
  reconnected: number;
  failedAttempts: number;
  errors: string[];
  restartSeconds: number;
  /** Storm start (every reader told to reconnect) to each reader having every missed post. */
  resume: Summary;
  /** Storm start to the last reader having every missed post. */
  fullResumeMs: number;
  lostMissed: number;
  idBreaks: number;
  idRepeats: number;
  steadyPosts: number;
  /** Posts published before the storm was over (the last reader resumed). */
  duringPosts: number;
  answerDuring: Summary;
  receiveDuring: Summary;
  answerAll: Summary;
  receiveAll: Summary;
  lostSteady: number;
  serverCpuS: number;
  clientBusy: number;
  stormWallS: number;
}

/** Publishes post `n` and returns how long the publisher waited for the answer. */
async function publish(api: ApiClient, n: number): Promise<number> {
  const t0 = now();
  await api.publish(SLUG, JSON.stringify(postInput(n)));
  return now() - t0;
}

async function stormOnce(run: number, root?: string): Promise<StormResult> {
  const readers = int('readers', args.readers);
  const perProcess = openFilesHardLimit() - 500;
  const clients =
    args.clients === 'auto'
      ? Math.max(2, Math.ceil(readers / Math.min(perProcess, 5_000)))
      : int('clients', args.clients);
  const dataDir = tempDir('storm');
  const token = await createToken(dataDir, root);
  const port = await freePort();
  // The default bounds (32 streams per address, 10,000 in all), raised only in total when
  // more readers than that are asked for.
  const env = {
    WORKERS: '1',
    EVENTS_MAX_PER_ADDRESS: '32',
    EVENTS_MAX_TOTAL: String(Math.max(10_000, readers)),
  };
  let server: Liveline = await startLiveline({ dataDir, root, port, env, echo: args.verbose });
  let api = new ApiClient(server.host, server.port, token);
  await api.createPage(SLUG, 'Reconnect storm benchmark');
  const endpoints = [{ host: server.host, port, path: `/live/${SLUG}/events` }];
  const pool = await ClientPool.start(clients);
  try {
    const subnet = 100 + ((Math.floor(Date.now() / 1000) + run) % 150);
    const opened = await pool.connect(readers, endpoints, {
      subnet,
      concurrency: 200,
      timeoutMs: 30_000 + readers * 2,
      perAddress: int('per-address', args['per-address']),
    });
    log(`${opened.ok} readers open in ${opened.seconds.toFixed(1)} s, ${opened.failed} failed`);
    if (opened.errors.length > 0) log(`connect errors: ${opened.errors.join('; ')}`);
    if (opened.ok !== readers) throw new Error(`only ${opened.ok} of ${readers} readers opened`);

    let n = 0;
    for (let i = 0; i < int('before', args.before); i++) {
      const collecting = pool.collect(++n, 10_000);
      await publish(api, n);
      const got = await collecting;
      if (got.missing > 0) throw new Error(`post ${n} missed by ${got.missing} readers`);
    }

    // The restart: the old instance ends every stream, a new one starts on the same data.
    const killed = now();
    api.close();
    await server.stop();
    for (let waited = 0; (await pool.status()).open > 0 && waited < 10_000; waited += 100) {
      await sleep(100);
    }
    server = await startLiveline({
      dataDir,
      root,
      port,
      env,
      echo: args.verbose,
      cpuProfDir: args['cpu-prof'] || undefined,
      nodeArgs: args['node-args'].split(' ').filter((arg) => arg !== ''),
    });
    const restartSeconds = (now() - killed) / 1000;
    api = new ApiClient(server.host, server.port, token);
    // What the readers miss while away.
    const firstMissed = n + 1;
    for (let i = 0; i < int('missed', args.missed); i++) await publish(api, ++n);
    const lastMissed = n;
    log(
      `restarted in ${restartSeconds.toFixed(1)} s; ${lastMissed - firstMissed + 1} posts missed`,
    );

    // The storm: every reader at once, and posts at a steady rate until it is over.
    const publisher = await startSteadyPublisher();
    const serverPids = server.pids();
    const clientPids = pool.pids();
    const cpu0 = cpuOf(serverPids);
    const client0 = cpuOf(clientPids);
    const timeoutMs = int('timeout-ms', args['timeout-ms']);
    const t0 = now();
    const reconnecting = pool.reconnect({
      concurrency: int('reconnect-concurrency', args['reconnect-concurrency']),
      retryMs: int('retry-ms', args['retry-ms']),
      timeoutMs,
    });
    let resumedAt = 0;
    const resuming = pool
      .collectRange(firstMissed, lastMissed, timeoutMs, true)
      .finally(() => (resumedAt = now()));
    const firstSteady = n + 1;
    publisher.begin({
      host: server.host,
      port: server.port,
      token,
      slug: SLUG,
      first: firstSteady,
      rateMs: int('rate-ms', args['rate-ms']),
      t0,
    });
    const stormMs = Number(args['storm-s']) * 1000;
    while ((now() - t0 < stormMs || resumedAt === 0) && now() - t0 <= timeoutMs) await sleep(50);
    const { sent, answers, last: lastSteady } = await publisher.stop();
    n = lastSteady;
    const reconnected = await reconnecting;
    const missed = await resuming;
    const steady = await pool.collectRange(firstSteady, lastSteady, timeoutMs, true);
    const stormWallS = (now() - t0) / 1000;
    const serverCpu = cpuDelta(cpu0, cpuOf(serverPids));
    const clientCpu = cpuDelta(client0, cpuOf(clientPids));
    const status = await pool.status();

    // Each reader's resumption: when it had the last of the posts it missed.
    const resumeTimes: number[] = [];
    let lostMissed = 0;
    let lostBefore = 0;
    const missedCount = lastMissed - firstMissed + 1;
    for (const { readers: count, times } of missed) {
      for (let i = 0; i < count; i++) {
        let last = 0;
        for (let k = 0; k < missedCount; k++) {
          const t = times[k * count + i] as number;
          if (Number.isNaN(t)) lostMissed++;
          else last = Math.max(last, t - t0);
        }
        // A reader that never had them all has not resumed: it counts as never.
        resumeTimes.push(lostMissed > lostBefore ? Infinity : last);
        lostBefore = lostMissed;
      }
    }
    const resume = summarize(Float64Array.from(resumeTimes));
    const fullResumeMs = resume.max;

    const receiveAll: number[] = [];
    const receiveDuring: number[] = [];
    let lostSteady = 0;
    for (const { readers: count, times } of steady) {
      for (let k = 0; k < sent.length; k++) {
        const at = sent[k] as number;
        for (let i = 0; i < count; i++) {
          const t = times[k * count + i] as number;
          if (Number.isNaN(t)) {
            lostSteady++;
            continue;
          }
          receiveAll.push(t - at);
          if (at - t0 <= fullResumeMs) receiveDuring.push(t - at);
        }
      }
    }
    const during = sent.filter((at) => at - t0 <= fullResumeMs).length;
    return {
      build: root ?? 'this',
      readers,
      reconnected: reconnected.ok,
      failedAttempts: reconnected.failedAttempts,
      errors: reconnected.errors,
      restartSeconds,
      resume,
      fullResumeMs,
      lostMissed,
      idBreaks: status.idBreaks,
      idRepeats: status.idRepeats,
      steadyPosts: sent.length,
      duringPosts: during,
      answerDuring: summarize(Float64Array.from(answers.slice(0, Math.max(1, during)))),
      receiveDuring: summarize(Float64Array.from(receiveDuring)),
      answerAll: summarize(Float64Array.from(answers)),
      receiveAll: summarize(Float64Array.from(receiveAll)),
      lostSteady,
      serverCpuS: serverCpu.user + serverCpu.system,
      clientBusy: (clientCpu.user + clientCpu.system) / stormWallS / clients,
      stormWallS,
    };
  } finally {
    await pool.close();
    api.close();
    await server.stop();
  }
}

function report(results: StormResult[]): void {
  const ms = (value: number) => fmt(value, 0);
  console.log(
    table(
      [
        'run',
        'build',
        'readers resumed',
        'failed attempts',
        'full resumption ms',
        'resume p50 ms',
        'lost (missed posts)',
        'id breaks / repeats',
        'posts during storm',
        'answer p50 / p99 / max ms',
        'receive p50 / p99 / max ms',
        'lost (storm posts)',
        'server CPU s',
        'client busy',
      ],
      results.map((r, i) => [
        String(i + 1),
        r.build,
        `${r.reconnected} / ${r.readers}`,
        String(r.failedAttempts),
        ms(r.fullResumeMs),
        ms(r.resume.p50),
        String(r.lostMissed),
        `${r.idBreaks} / ${r.idRepeats}`,
        String(r.duringPosts),
        `${fmt(r.answerDuring.p50)} / ${fmt(r.answerDuring.p99)} / ${fmt(r.answerDuring.max)}`,
        `${ms(r.receiveDuring.p50)} / ${ms(r.receiveDuring.p99)} / ${ms(r.receiveDuring.max)}`,
        String(r.lostSteady),
        fmt(r.serverCpuS, 2),
        `${(r.clientBusy * 100).toFixed(0)}%`,
      ]),
    ),
  );
  console.log('');
  for (const r of results) {
    console.log(`${r.build}:`);
    if (r.errors.length > 0) console.log(`- reconnect errors: ${r.errors.join('; ')}`);
    console.log(
      `- restart (SIGTERM to the new instance serving) ${r.restartSeconds.toFixed(1)} s; ` +
        `${r.steadyPosts} posts at a steady rate over ${r.stormWallS.toFixed(1)} s, all of them: ` +
        `answer p99 ${fmt(r.answerAll.p99)} ms, receive p99 ${ms(r.receiveAll.p99)} ms`,
    );
    const full = r.fullResumeMs <= 5_000 && r.lostMissed === 0 && r.idRepeats === 0;
    console.log(
      `- target full resumption within 5 s, nothing lost or repeated: ${full ? 'met' : 'MISSED'} ` +
        `(${(r.fullResumeMs / 1000).toFixed(2)} s, lost ${r.lostMissed + r.lostSteady}, repeats ${r.idRepeats})`,
    );
    console.log(
      `- target publishes during the storm answered within 100 ms at p99: ` +
        `${r.answerDuring.p99 <= 100 ? 'met' : 'MISSED'} (${fmt(r.answerDuring.p99)} ms over ${r.duringPosts} posts)`,
    );
  }
}

async function main(): Promise<void> {
  watchdog(int('max-minutes', args['max-minutes']));
  console.log(machineReport());
  console.log(`command: node --import tsx bench/storm.ts ${process.argv.slice(2).join(' ')}\n`);
  // Markers are what readers recognise posts by: make sure the body still carries them.
  if (!JSON.stringify(postInput(1)).includes(marker(1)))
    throw new Error('post body lost its marker');
  const results: StormResult[] = [];
  const builds = args.ref ? [args.ref, undefined] : [undefined];
  for (let run = 0; run < int('repeat', args.repeat); run++) {
    for (const [b, root] of builds.entries()) {
      const result = await stormOnce(run * builds.length + b, root);
      results.push(result);
      log(
        `storm ${results.length} (${result.build}): full resumption ${ms0(result.fullResumeMs)} ms, answer p99 ${fmt(result.answerDuring.p99)} ms`,
      );
    }
  }
  report(results);
  if (args['cpu-prof']) printProfiles(args['cpu-prof']);
}

const ms0 = (value: number) => value.toFixed(0);

try {
  await main();
} finally {
  await stopAll();
}
