import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, request, waitUntil } from './net.ts';
import { processTree } from './proc-stats.ts';
import { run, start, stop, type Started } from './procs.ts';

/** The repository root (bench/lib/ is two levels down). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HOST = '127.0.0.1';

const tempDirs: string[] = [];
// Data folders (100,000 posts is 400 MB) and nginx configs go when the benchmark exits.
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the system's temp dir, removed when the benchmark exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `liveline-bench-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** Creates an editor token on DATA_DIR through the real CLI; the token is its last line. */
export async function createToken(dataDir: string, root = ROOT): Promise<string> {
  const result = await run(
    process.execPath,
    ['bin/liveline.js', 'token', 'create', '--name', 'Bench Editor', '--role', 'editor'],
    { cwd: root, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, timeoutMs: 60_000 },
  );
  const token = result.stdout.trim().split('\n').at(-1)?.trim() ?? '';
  if (result.code !== 0 || !token.startsWith('ll_')) {
    throw new Error(`token create failed (${result.code}):\n${result.stderr}${result.stdout}`);
  }
  return token;
}

export interface LivelineOptions {
  dataDir: string;
  /** The checkout to run (another commit's, for a reference in the same run); this one by default. */
  root?: string;
  port?: number;
  /** Extra environment, e.g. REDIS_URL, WORKERS. */
  env?: NodeJS.ProcessEnv;
  /** Writes a V8 CPU profile into this folder when the server stops. */
  cpuProfDir?: string;
  /** More node flags for the server, e.g. --trace-gc or --max-semi-space-size=64. */
  nodeArgs?: string[];
  echo?: boolean;
}

export interface Liveline {
  host: string;
  port: number;
  process: Started;
  /** The server's process and any it started (cluster workers). */
  pids(): number[];
  stop(): Promise<void>;
}

/** Starts `node --import tsx src/main.ts` and waits for /healthz. */
export async function startLiveline(options: LivelineOptions): Promise<Liveline> {
  const port = options.port ?? (await freePort());
  const args = [...(options.nodeArgs ?? []), '--import', 'tsx'];
  if (options.cpuProfDir) args.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
  args.push('src/main.ts');
  const child = start(`liveline:${port}`, process.execPath, args, {
    cwd: options.root ?? ROOT,
    echo: options.echo,
    env: {
      ...process.env,
      // The publisher of a benchmark writes faster than any person: not what the limit is for.
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
      // The load clients open thousands of streams from a handful of loopback addresses.
      EVENTS_MAX_PER_ADDRESS: '1000000',
      EVENTS_MAX_TOTAL: '1000000',
      ...options.env,
      DATA_DIR: options.dataDir,
      PORT: String(port),
      HOST,
      LOG_LEVEL: 'warn',
    },
  });
  await waitUntil(
    `Liveline on port ${port}`,
    async () =>
      (await request({ host: HOST, port, path: '/healthz', timeoutMs: 2_000 })).status === 200,
    { timeoutMs: 90_000, process: child },
  );
  return {
    host: HOST,
    port,
    process: child,
    pids: () => processTree(child.pid),
    // A profiled server needs time to write its profile on the way out.
    stop: () => stop(child, options.cpuProfDir ? 30_000 : 10_000),
  };
}

/** A JSON API client for one server with a bearer token, over one keep-alive connection. */
export class ApiClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly token: string,
  ) {}

  post(path: string, body: string): Promise<{ status: number; body: string }> {
    return this.send('POST', path, body);
  }

  async send(
    method: 'POST' | 'PATCH',
    path: string,
    body: string,
  ): Promise<{ status: number; body: string }> {
    const response = await request({
      host: this.host,
      port: this.port,
      method,
      path,
      agent: this.agent,
      headers: {
        authorization: `Bearer ${this.token}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
      body,
    });
    return { status: response.status, body: response.body.toString('utf8') };
  }

  async createPage(slug: string, title: string): Promise<void> {
    const body = JSON.stringify({
      slug,
      title,
      status: 'live',
      summary: [{ text: 'Benchmark page: synthetic posts, written by the bench scripts.' }],
    });
    const response = await this.post('/api/pages', body);
    if (response.status !== 201) {
      throw new Error(`POST /api/pages answered ${response.status}: ${response.body}`);
    }
  }

  /** Publishes one post (a JSON body made by post-body.ts); throws unless 201. */
  async publish(slug: string, json: string): Promise<void> {
    const response = await this.post(`/api/pages/${slug}/posts`, json);
    if (response.status !== 201) {
      throw new Error(
        `POST /api/pages/${slug}/posts answered ${response.status}: ${response.body}`,
      );
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
