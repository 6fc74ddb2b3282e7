import { assertLoopback } from './net.ts';
import { run } from './procs.ts';

export interface WrkResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Latency percentiles in ms (wrk --latency). */
  p50: number;
  p99: number;
  bytesPerResponse: number;
  /** Responses other than 2xx/3xx plus socket errors: any makes the run suspect. */
  errors: number;
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
const SIZES: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

function duration(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  return match ? Number(match[1]) * (UNITS[match[2] as string] ?? Number.NaN) : Number.NaN;
}

function size(text: string): number {
  const match = /^([\d.]+)(B|KB|MB|GB)$/.exec(text);
  return match ? Number(match[1]) * (SIZES[match[2] as string] ?? Number.NaN) : Number.NaN;
}

/** Parses wrk's report (with --latency). */
export function parseWrk(output: string): WrkResult {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m), ([\d.]+\w+) read/.exec(output);
  const requests = Number(total?.[1] ?? Number.NaN);
  const seconds = total ? duration(`${total[2]}${total[3]}`) / 1000 : Number.NaN;
  const read = total ? size(total[4] as string) : Number.NaN;
  const pct = (p: string) =>
    duration(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(output)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requests,
    seconds,
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? Number.NaN),
    p50: pct('50'),
    p99: pct('99'),
    bytesPerResponse: read / requests,
    errors: non2xx + socketErrors,
  };
}

/** One bounded wrk run against a loopback URL. */
export async function wrk(options: {
  host: string;
  port: number;
  path: string;
  headers?: Record<string, string>;
  threads: number;
  connections: number;
  seconds: number;
}): Promise<WrkResult> {
  assertLoopback(options.host);
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--timeout',
    '5s',
    '--latency',
  ];
  for (const [name, value] of Object.entries(options.headers ?? {}))
    args.push('-H', `${name}: ${value}`);
  args.push(`http://${options.host}:${options.port}${options.path}`);
  const result = await run('wrk', args, { timeoutMs: (options.seconds + 30) * 1000 });
  if (result.code !== 0)
    throw new Error(`wrk ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return parseWrk(result.stdout);
}
