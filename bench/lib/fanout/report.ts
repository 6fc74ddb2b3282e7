import { median } from '../stats.ts';
import { fmt, ratio, table } from '../table.ts';
import type { FanoutResult } from './run.ts';

/** One row per run: everything measured. */
export function runTable(results: readonly FanoutResult[]): string {
  return table(
    [
      'readers',
      'server',
      'open',
      'connect s',
      'deliveries',
      'lost',
      'publish ms',
      'first ms',
      'p50 ms',
      'p99 ms',
      'max ms',
      'events/s',
      'server CPU µs/delivery (sys)',
      'client CPU µs/delivery (sys)',
      'RSS before MiB',
      'KiB/idle reader',
    ],
    results.map((r) => [
      String(r.readers),
      r.target,
      String(r.connected),
      fmt(r.connectSeconds),
      String(r.deliveries),
      String(r.lost),
      fmt(r.publishMs),
      fmt(r.firstMs),
      fmt(r.latency.p50),
      fmt(r.latency.p99),
      fmt(r.latency.max),
      fmt(r.eventsPerSecond, 0),
      `${fmt(r.usPerDelivery, 2)} (${fmt(r.sysUsPerDelivery, 2)})`,
      `${fmt(r.clientUsPerDelivery, 2)} (${fmt(r.clientSysUsPerDelivery, 2)})`,
      fmt(r.rssBeforeMiB),
      fmt(r.kibPerReader, 2),
    ]),
  );
}

/** One row per run with a burst phase: posts back to back, then every reader has the last. */
export function burstTable(results: readonly FanoutResult[]): string {
  return table(
    [
      'readers',
      'server',
      'posts',
      'publishing s',
      'answer p50 / p99 ms',
      'deliveries',
      'lost',
      'p50 ms',
      'p99 ms',
      'max ms',
      'events/s',
      'server CPU µs/delivery (sys)',
      'client CPU µs/delivery',
      'server busy',
      'client busy (per process)',
    ],
    results.flatMap((r) => {
      const b = r.burst;
      if (!b) return [];
      return [
        [
          String(r.readers),
          r.target,
          String(b.posts),
          fmt(b.publishSeconds),
          `${fmt(b.answer.p50)} / ${fmt(b.answer.p99)}`,
          String(b.deliveries),
          String(b.lost),
          fmt(b.latency.p50),
          fmt(b.latency.p99),
          fmt(b.latency.max),
          fmt(b.eventsPerSecond, 0),
          `${fmt(b.usPerDelivery, 2)} (${fmt(b.sysUsPerDelivery, 2)})`,
          fmt(b.clientUsPerDelivery, 2),
          `${fmt(b.serverBusy * 100, 0)}%`,
          `${fmt(b.clientBusy * 100, 0)}%`,
        ],
      ];
    }),
  );
}

const burstOf = (get: (b: NonNullable<FanoutResult['burst']>) => number) => (r: FanoutResult) =>
  r.burst ? get(r.burst) : Number.NaN;

const METRICS: [string, (r: FanoutResult) => number, number][] = [
  ['publisher answered in ms', (r) => r.publishMs, 1],
  ['first reader had it in ms', (r) => r.firstMs, 1],
  ['publish→receive p50 ms', (r) => r.latency.p50, 1],
  ['publish→receive p99 ms', (r) => r.latency.p99, 1],
  ['publish→receive max ms', (r) => r.latency.max, 1],
  ['delivered events/s', (r) => r.eventsPerSecond, 0],
  ['server CPU µs/delivery', (r) => r.usPerDelivery, 2],
  ['  of which kernel (sys) µs', (r) => r.sysUsPerDelivery, 2],
  ['client CPU µs/delivery', (r) => r.clientUsPerDelivery, 2],
  ['  of which kernel (sys) µs ', (r) => r.clientSysUsPerDelivery, 2],
  ['server KiB/idle reader', (r) => r.kibPerReader, 2],
  ['lost deliveries', (r) => r.lost, 0],
  ['burst: posts published', burstOf((b) => b.posts), 0],
  ['burst: publisher answered p50 ms', burstOf((b) => b.answer.p50), 1],
  ['burst: publish→receive p50 ms', burstOf((b) => b.latency.p50), 1],
  ['burst: publish→receive p99 ms', burstOf((b) => b.latency.p99), 1],
  ['burst: publish→receive max ms', burstOf((b) => b.latency.max), 1],
  ['burst: delivered events/s', burstOf((b) => b.eventsPerSecond), 0],
  ['burst: server CPU µs/delivery', burstOf((b) => b.usPerDelivery), 2],
  ['burst: client CPU µs/delivery', burstOf((b) => b.clientUsPerDelivery), 2],
  ['burst: client busy share', burstOf((b) => b.clientBusy), 2],
  ['burst: lost deliveries', burstOf((b) => b.lost), 0],
];

export interface Medians {
  [metric: string]: number;
}

/** Median over rounds of Liveline's value divided by the reference's in the same round. */
function paired(
  liveline: readonly FanoutResult[],
  reference: readonly FanoutResult[],
  get: (r: FanoutResult) => number,
): number {
  return median(
    liveline.map((run, i) => {
      const other = reference[i];
      return other ? get(run) / get(other) : Number.NaN;
    }),
  );
}

/**
 * Medians over the repeats of one reader count, Liveline beside nchan with the ratio (and the
 * bare Node server, when it ran, with Liveline's ratio to it).
 */
export function summaryTable(
  liveline: readonly FanoutResult[],
  nchan: readonly FanoutResult[],
  bare: readonly FanoutResult[] = [],
): { text: string; liveline: Medians; nchan: Medians; paired: Medians } {
  const l: Medians = {};
  const n: Medians = {};
  const p: Medians = {};
  const withBare = bare.length > 0;
  const rows = METRICS.map(([name, get, digits]) => {
    l[name] = median(liveline.map(get));
    n[name] = median(nchan.map(get));
    p[name] = paired(liveline, nchan, get);
    const row = [
      name,
      fmt(l[name], digits),
      fmt(n[name], digits),
      ratio(l[name], n[name] as number),
      fmt(p[name], 2),
    ];
    if (!withBare) return row;
    const b = median(bare.map(get));
    return [...row, fmt(b, digits), ratio(l[name], b)];
  });
  const headers = [
    'metric (median of runs)',
    'Liveline',
    'nchan',
    'Liveline / nchan',
    'same-round ratio',
  ];
  if (withBare) headers.push('bare node', 'Liveline / bare');
  return { text: table(headers, rows), liveline: l, nchan: n, paired: p };
}

function verdict(ok: boolean): string {
  return ok ? 'MET' : 'MISSED';
}

/**
 * The targets for this reader count: absolute ones on the medians, ratios on the
 * same-round ratio (median over rounds of Liveline / nchan within the round).
 */
export function targetLines(readers: number, l: Medians, n: Medians, p: Medians): string[] {
  const lines: string[] = [];
  const mem = 'server KiB/idle reader';
  const ratioTarget = (label: string, metric: string, ok: (r: number) => boolean, unit: string) => {
    const r = p[metric] as number;
    if (!Number.isFinite(r)) return;
    lines.push(
      `${label}: ${verdict(ok(r))} (${r.toFixed(2)}; medians ${fmt(l[metric], 2)} vs ${fmt(n[metric], 2)} ${unit})`,
    );
  };
  if (readers === 10_000) {
    ratioTarget(
      "paced: server CPU per delivery at most 0.7 of nchan's",
      'server CPU µs/delivery',
      (r) => r <= 0.7,
      'µs',
    );
    ratioTarget(
      "burst: server CPU per delivery at most 0.7 of nchan's",
      'burst: server CPU µs/delivery',
      (r) => r <= 0.7,
      'µs',
    );
    ratioTarget(
      "paced: p99 at most 0.8 of nchan's",
      'publish→receive p99 ms',
      (r) => r <= 0.8,
      'ms',
    );
    ratioTarget("burst: p99 at most nchan's", 'burst: publish→receive p99 ms', (r) => r <= 1, 'ms');
    ratioTarget(
      "burst: delivered events/s at least 1.3 x nchan's",
      'burst: delivered events/s',
      (r) => r >= 1.3,
      '/s',
    );
  }
  if (Number.isFinite(l[mem])) {
    lines.push(
      `memory per idle reader at most 6 KiB: ${verdict((l[mem] as number) <= 6)} (${fmt(l[mem], 2)} KiB; nchan ${fmt(n[mem], 2)} KiB)`,
    );
  }
  const p99 = 'publish→receive p99 ms';
  if (readers >= 50_000 && Number.isFinite(l[p99])) {
    lines.push(
      `p99 under 1 s with ${readers} readers: ${verdict((l[p99] as number) < 1000)} (${fmt(l[p99])} ms)`,
    );
  }
  return lines;
}
