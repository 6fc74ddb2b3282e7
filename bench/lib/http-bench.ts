import { cpuDelta, cpuOf } from './proc-stats.ts';
import { median } from './stats.ts';
import { fmt, table } from './table.ts';
import { wrk, type WrkResult } from './wrk.ts';

/** A server wrk is pointed at, with the processes whose CPU time is counted. */
export interface HttpServer {
  name: string;
  host: string;
  port: number;
  pids(): number[];
}

export interface LoadOptions {
  threads: number;
  connections: number;
  seconds: number;
}

export interface Measured extends WrkResult {
  /** Server CPU (user + system) per request, µs. */
  cpuUsPerRequest: number;
}

/** One wrk run with the server's CPU time measured around it. */
export async function measure(
  server: HttpServer,
  path: string,
  headers: Record<string, string>,
  load: LoadOptions,
): Promise<Measured> {
  const pids = server.pids();
  const before = cpuOf(pids);
  const result = await wrk({ host: server.host, port: server.port, path, headers, ...load });
  const used = cpuDelta(before, cpuOf(pids));
  return { ...result, cpuUsPerRequest: ((used.user + used.system) * 1e6) / result.requests };
}

/** Repeated runs of one case, summarised by their medians. */
export class Samples {
  readonly runs: Measured[] = [];

  add(run: Measured): void {
    this.runs.push(run);
  }

  get rate(): number {
    return median(this.runs.map((r) => r.requestsPerSecond));
  }

  /**
   * The median over rounds of this rate divided by the reference's rate in the same round
   * (the runs are interleaved, so each pair shares the machine's mood of the moment).
   */
  pairedRatio(reference: Samples): number {
    const pairs = this.runs
      .map((run, i) => run.requestsPerSecond / (reference.runs[i]?.requestsPerSecond ?? NaN))
      .filter((value) => Number.isFinite(value));
    return median(pairs);
  }

  row(label: string[], references: Samples[]): string[] {
    const m = (get: (r: Measured) => number) => median(this.runs.map(get));
    return [
      ...label,
      fmt(this.rate, 0),
      this.runs.map((r) => fmt(r.requestsPerSecond, 0)).join(' / '),
      fmt(
        m((r) => r.p50),
        2,
      ),
      fmt(
        m((r) => r.p99),
        2,
      ),
      fmt(
        m((r) => r.cpuUsPerRequest),
        1,
      ),
      fmt(
        m((r) => r.bytesPerResponse),
        0,
      ),
      String(this.runs.reduce((sum, r) => sum + r.errors, 0)),
      ...references.map((reference) => this.pairedRatio(reference).toFixed(2)),
    ];
  }
}

export const HEADERS = [
  'req/s (median)',
  'req/s (each run)',
  'p50 ms',
  'p99 ms',
  'server CPU µs/req',
  'bytes/resp',
  'errors',
];

export { table };
