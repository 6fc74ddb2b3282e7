import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Servers a fault test owns: its own PostgreSQL cluster and its own redis-server, on free
 * ports, which it may stop, kill and restart. The machine's shared servers are never touched.
 */

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

function redisBinary(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'redis-server'))) return join(dir, 'redis-server');
  }
  return null;
}

/**
 * Why a fault test cannot run here, or null. In CI (`CI=true`) a missing server is a failure,
 * not a skip: the fault tests must run there.
 */
export function ownServersUnavailable(need: {
  postgres?: boolean;
  redis?: boolean;
}): string | null {
  const missing: string[] = [];
  if (need.postgres && !pgBinDir()) missing.push('PostgreSQL binaries (/usr/lib/postgresql/*/bin)');
  if (need.redis && !redisBinary()) missing.push('redis-server');
  if (need.postgres && process.getuid?.() === 0 && !existsSync('/usr/sbin/runuser')) {
    missing.push('runuser (to run PostgreSQL as the postgres user)');
  }
  if (missing.length === 0) return null;
  const reason = `fault tests need ${missing.join(' and ')}`;
  if (process.env.CI === 'true') throw new Error(reason);
  return reason;
}

/** Runs a PostgreSQL binary, as the postgres user when we are root (it refuses to run as root). */
async function pgRun(binary: string, args: string[], timeout = 30_000): Promise<void> {
  const bin = join(pgBinDir() ?? '', binary);
  const [file, argv] =
    process.getuid?.() === 0
      ? ['/usr/sbin/runuser', ['-u', 'postgres', '--', bin, ...args]]
      : [bin, args];
  await run(file, argv, { timeout });
}

export interface OwnPostgres {
  url: string;
  port: number;
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops it (if running) and removes its files. Safe to call twice. */
  destroy(): Promise<void>;
}

/** A throw-away PostgreSQL cluster in a temp folder (initdb + pg_ctl), trust auth, fsync off. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  chmodSync(dir, 0o700);
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c fsync=off',
    '-c full_page_writes=off',
  ].join(' ');
  const start = () =>
    pgRun('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  const stop = (mode: 'fast' | 'immediate') =>
    pgRun('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']).catch(() => undefined);
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    await stop('immediate');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await pgRun('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await start();
  } catch (error) {
    await destroy();
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    destroy,
  };
}

export interface OwnRedis {
  url: string;
  port: number;
  /** SIGKILL: Redis vanishes mid-connection, as in a crash. */
  kill(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A throw-away redis-server with no persistence on a free port; with `running: false` the
 * port is chosen but the server only starts on `start()`.
 */
export async function startOwnRedis(options: { running?: boolean } = {}): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const kill = () =>
    new Promise<void>((resolve) => {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null || running.signalCode !== null) return resolve();
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const server = spawn(
        redisBinary() ?? 'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = server;
      let output = '';
      const timer = setTimeout(() => {
        server.kill('SIGKILL');
        reject(new Error(`redis-server did not start\n${output}`));
      }, 10_000);
      server.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}\n${output}`));
      });
    });
  if (options.running !== false) await start();
  return { url: `redis://127.0.0.1:${port}`, port, kill, start, destroy: kill };
}
