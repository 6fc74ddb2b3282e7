import { cpuDelta, cpuOf, rssOf, type CpuTime } from '../proc-stats.ts';
import { sleep } from '../procs.ts';
import { concat, median, summarize, type Summary } from '../stats.ts';
import { runBurst, type BurstResult } from './burst.ts';
import { ClientPool } from './client-pool.ts';
import type { FanoutTarget } from './targets.ts';

export interface FanoutOptions {
  readers: number;
  clients: number;
  posts: number;
  warmup: number;
  gapMs: number;
  postTimeoutMs: number;
  settleMs: number;
  concurrency: number;
  connectTimeoutMs: number;
  /** Source subnet 127.0.<subnet>.x of this run's readers. */
  subnet: number;
  log: (line: string) => void;
  /** Per-post lines (publish time, first and last delivery). */
  verbose: boolean;
  /** The burst phase after the paced one: posts back to back for this long (0: none). */
  burstMs: number;
  burstMaxPosts: number;
}

export interface FanoutResult {
  target: string;
  readers: number;
  connected: number;
  connectSeconds: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  /** (RSS with the readers connected - RSS before) / readers. */
  kibPerReader: number;
  deliveries: number;
  lost: number;
  latency: Summary;
  /** Median time the publisher waited for its answer (the write path). */
  publishMs: number;
  /** Median over posts of the first reader's latency. */
  firstMs: number;
  /** Deliveries divided by the time from each publish to its last delivery, summed. */
  eventsPerSecond: number;
  serverCpu: CpuTime;
  clientCpu: CpuTime;
  usPerDelivery: number;
  sysUsPerDelivery: number;
  clientUsPerDelivery: number;
  clientSysUsPerDelivery: number;
  frameSample: string | null;
  clockOffsetsMs: number[];
  /** The burst phase, when it ran. */
  burst: BurstResult | null;
}

const now = () => performance.timeOrigin + performance.now();

function extremes(values: Float64Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

/** Connects the readers, measures idle memory, then publishes posts one at a time. */
export async function runFanout(
  target: FanoutTarget,
  options: FanoutOptions,
): Promise<FanoutResult> {
  const log = (line: string) => options.log(`[${target.name} ${options.readers}] ${line}`);
  const detail = (line: string) => options.verbose && log(line);
  const pool = await ClientPool.start(options.clients);
  try {
    const rssBefore = rssOf(target.serverPids());
    const opened = await pool.connect(options.readers, target.endpoints, {
      subnet: options.subnet,
      concurrency: options.concurrency,
      timeoutMs: options.connectTimeoutMs,
    });
    log(`${opened.ok} readers open in ${opened.seconds.toFixed(1)} s, ${opened.failed} failed`);
    if (opened.errors.length > 0) log(`connect errors: ${opened.errors.join('; ')}`);
    if (opened.ok === 0) throw new Error(`${target.name}: no reader could connect`);
    // Idle memory: the lowest RSS seen while the readers sit idle (a collection may run).
    let rssAfter = Infinity;
    for (let waited = 0; waited < options.settleMs; waited += 500) {
      await sleep(500);
      rssAfter = Math.min(rssAfter, rssOf(target.serverPids()));
    }

    let marker = 0;
    const publishOne = async () => {
      const n = ++marker;
      const collecting = pool.collect(n, options.postTimeoutMs);
      const t0 = now();
      await target.publish(n);
      const answered = now() - t0;
      const collected = await collecting;
      const latencies = concat(collected.times).map((t) => t - t0);
      const { max, min } = extremes(latencies);
      detail(
        `post ${n}: publish ${answered.toFixed(1)} ms, first ${min.toFixed(1)} ms, last ${max.toFixed(1)} ms, missing ${collected.missing}`,
      );
      return { latencies, missing: collected.missing, answered, first: min, last: max };
    };

    for (let i = 0; i < options.warmup; i++) {
      await publishOne();
      await sleep(options.gapMs);
    }
    const frameSample = await pool.sample();

    const parts: Float64Array[] = [];
    let lost = 0;
    let busy = 0;
    const answered: number[] = [];
    const firsts: number[] = [];
    const serverPids = target.serverPids();
    const clientPids = pool.pids();
    const cpu0 = cpuOf(serverPids);
    const client0 = cpuOf(clientPids);
    for (let i = 0; i < options.posts; i++) {
      const one = await publishOne();
      parts.push(one.latencies);
      lost += one.missing;
      busy += one.last;
      answered.push(one.answered);
      firsts.push(one.first);
      await sleep(options.gapMs);
    }
    const serverCpu = cpuDelta(cpu0, cpuOf(serverPids));
    const clientCpu = cpuDelta(client0, cpuOf(clientPids));
    const all = concat(parts);
    let burst: BurstResult | null = null;
    if (options.burstMs > 0) {
      await sleep(options.gapMs);
      burst = await runBurst(target, pool, {
        ms: options.burstMs,
        maxPosts: options.burstMaxPosts,
        firstMarker: marker + 1,
        drainTimeoutMs: options.postTimeoutMs * 6,
        serverPids,
        clientPids,
        clientProcesses: options.clients,
      });
      log(
        `burst: ${burst.posts} posts in ${burst.publishSeconds.toFixed(1)} s, p99 ${burst.latency.p99.toFixed(1)} ms, ${Math.round(burst.eventsPerSecond)} events/s, lost ${burst.lost}, client busy ${(burst.clientBusy * 100).toFixed(0)}%`,
      );
    }
    const status = await pool.status();
    if (status.dropped > 0) log(`${status.dropped} readers were dropped during the run`);
    const perDelivery = (seconds: number) => (seconds * 1e6) / Math.max(1, all.length);
    return {
      target: target.name,
      readers: options.readers,
      connected: opened.ok,
      connectSeconds: opened.seconds,
      rssBeforeMiB: rssBefore / 2 ** 20,
      rssAfterMiB: rssAfter / 2 ** 20,
      kibPerReader: (rssAfter - rssBefore) / 1024 / opened.ok,
      deliveries: all.length,
      lost,
      latency: summarize(all),
      publishMs: median(answered),
      firstMs: median(firsts),
      eventsPerSecond: all.length / (busy / 1000),
      serverCpu,
      clientCpu,
      usPerDelivery: perDelivery(serverCpu.user + serverCpu.system),
      sysUsPerDelivery: perDelivery(serverCpu.system),
      clientUsPerDelivery: perDelivery(clientCpu.user + clientCpu.system),
      clientSysUsPerDelivery: perDelivery(clientCpu.system),
      frameSample,
      clockOffsetsMs: pool.offsets(),
      burst,
    };
  } finally {
    await pool.close();
  }
}
