import { SCRAPER_TOKEN } from './metrics.ts';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Instance {
  url: string;
  process: ChildProcess;
  /** Everything the process wrote so far, as lines: stdout must hold only JSON log lines. */
  stdout(): string[];
  stderr(): string[];
  /** Stops it: SIGTERM by default, SIGKILL to simulate a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts a real Liveline process (`src/main.ts`) on a free port with the given environment. */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      METRICS_TOKEN: SCRAPER_TOKEN,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const lines = (text: string) => text.split('\n').filter((line) => line !== '');
  // The server logs to stdout (pino) and node's own errors go to stderr: a failed start shows
  // the last of both, so the reason is in the test's failure and not lost with the process.
  const output = () =>
    `\n--- stderr ---\n${stderr.slice(-4000)}\n--- stdout (last lines) ---\n${lines(stdout).slice(-20).join('\n')}`;
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`instance did not start in 30 s${output()}`)),
      30_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"address":"(http:\/\/[^"]+)"/.exec(buffer);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance exited with ${code} before it listened${output()}`));
    });
  });
  return {
    url,
    process: child,
    stdout: () => lines(stdout),
    stderr: () => lines(stderr),
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** Creates a token with the CLI, on the database the environment names. */
export async function cliToken(env: Record<string, string>, role = 'editor'): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['bin/liveline.js', 'token', 'create', '--name', `Test ${role}`, '--role', role],
    { env: { ...process.env, ...env } },
  );
  return stdout.trimEnd().split('\n').at(-1) ?? '';
}

/** A JSON API call with a bearer token. */
export async function api(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{
  status: number;
  json: Record<string, unknown>;
  /** How long the request took, for tests of how fast a failure is answered. */
  ms: number;
  type: string;
  retryAfter: string | null;
}> {
  const started = Date.now();
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    ms: Date.now() - started,
    type: res.headers.get('content-type') ?? '',
    retryAfter: res.headers.get('retry-after'),
  };
}

/** Polls `check` every 100 ms until it is true, or fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}
