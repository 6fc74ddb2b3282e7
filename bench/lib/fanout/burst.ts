import { cpuDelta, cpuOf } from '../proc-stats.ts';
import { summarize, type Summary } from '../stats.ts';
import type { ClientPool } from './client-pool.ts';
import type { FanoutTarget } from './targets.ts';

export interface BurstOptions {
  /** How long posts are published back to back. */
  ms: number;
  /** The burst also stops after this many posts (the clients keep every receive time). */
  maxPosts: number;
  firstMarker: number;
  /** How long, after the last post, every reader may take to have it. */
  drainTimeoutMs: number;
  serverPids: readonly number[];
  clientPids: readonly number[];
  /** How many client processes share the load (their CPU is shown per process). */
  clientProcesses: number;
}

export interface BurstResult {
  posts: number;
  /** Publishing time, first post sent to last post answered. */
  publishSeconds: number;
  deliveries: number;
  lost: number;
  /** Publish → receive over every (reader, post) of the burst. */
  latency: Summary;
  /** How long the publisher waited for each answer. */
  answer: Summary;
  /** Deliveries divided by the time from the first publish to the last delivery. */
  eventsPerSecond: number;
  usPerDelivery: number;
  sysUsPerDelivery: number;
  clientUsPerDelivery: number;
  /** Busy share of one core per client process over the burst: near 1, the client limits. */
  clientBusy: number;
  /** Busy share of one core of the server's processes over the burst. */
  serverBusy: number;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * The burst phase: each post is published as soon as the previous one is answered, for
 * `ms`; then every reader must have the last one. A server that answers before it writes
 * queues the fan-out, one that answers after writing holds its publisher back: both are
 * measured from the moment each post was sent to the moment each reader had it.
 */
export async function runBurst(
  target: FanoutTarget,
  pool: ClientPool,
  options: BurstOptions,
): Promise<BurstResult> {
  const sent: number[] = [];
  const answers: number[] = [];
  const cpu0 = cpuOf(options.serverPids);
  const client0 = cpuOf(options.clientPids);
  const began = now();
  let marker = options.firstMarker;
  while (now() - began < options.ms && sent.length < options.maxPosts) {
    const t0 = now();
    await target.publish(marker++);
    answers.push(now() - t0);
    sent.push(t0);
  }
  const publishSeconds = (now() - began) / 1000;
  const replies = await pool.collectRange(options.firstMarker, marker - 1, options.drainTimeoutMs);
  const wall = (now() - began) / 1000;
  const serverCpu = cpuDelta(cpu0, cpuOf(options.serverPids));
  const clientCpu = cpuDelta(client0, cpuOf(options.clientPids));

  const total = replies.reduce((sum, reply) => sum + reply.times.length, 0);
  const latencies = new Float64Array(total);
  let deliveries = 0;
  let lost = 0;
  let lastReceive = began;
  for (const { readers, times } of replies) {
    for (let k = 0; k < sent.length; k++) {
      const t0 = sent[k] as number;
      for (let i = 0; i < readers; i++) {
        const t = times[k * readers + i] as number;
        if (Number.isNaN(t)) {
          lost++;
          continue;
        }
        latencies[deliveries++] = t - t0;
        if (t > lastReceive) lastReceive = t;
      }
    }
  }
  const delivered = latencies.subarray(0, deliveries);
  const perDelivery = (seconds: number) => (seconds * 1e6) / Math.max(1, deliveries);
  return {
    posts: sent.length,
    publishSeconds,
    deliveries,
    lost,
    latency: summarize(delivered),
    answer: summarize(Float64Array.from(answers)),
    eventsPerSecond: deliveries / ((lastReceive - began) / 1000),
    usPerDelivery: perDelivery(serverCpu.user + serverCpu.system),
    sysUsPerDelivery: perDelivery(serverCpu.system),
    clientUsPerDelivery: perDelivery(clientCpu.user + clientCpu.system),
    clientBusy: (clientCpu.user + clientCpu.system) / wall / options.clientProcesses,
    serverBusy: (serverCpu.user + serverCpu.system) / wall,
  };
}
