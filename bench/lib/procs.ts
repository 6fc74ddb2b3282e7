import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

/** A process the benchmark started, in its own process group so it can be stopped whole. */
export interface Started {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has gone. */
  exited: Promise<number | string>;
  /** The last lines it wrote on stdout and stderr, for error messages. */
  tail(): string;
  hasExited(): boolean;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Opens an IPC channel (structured-clone serialisation) to a Node child. */
  ipc?: boolean;
  /** Echo the child's output, prefixed with its name. */
  echo?: boolean;
}

const running = new Set<Started>();
const TAIL_BYTES = 16 * 1024;
let hooksInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function killAllNow(): void {
  for (const started of running) killGroup(started.pid, 'SIGKILL');
  running.clear();
}

/** Stops every process still running; called on exit, on SIGINT/SIGTERM and on a crash. */
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping every process this benchmark started`);
      void stopAll().finally(() => process.exit(130));
    });
  }
  process.on('uncaughtException', (error) => {
    console.error(error);
    killAllNow();
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    console.error(error);
    killAllNow();
    process.exit(1);
  });
}

/**
 * Starts `command` detached (its own process group), with its open-files limit raised to the
 * hard limit: `bash -c 'ulimit -n <hard>; exec "$0" "$@"'`, so the pid is the command's own.
 */
export function start(
  name: string,
  command: string,
  args: string[],
  options: StartOptions = {},
): Started {
  installHooks();
  const stdio: StdioOptions = ['ignore', 'pipe', 'pipe'];
  if (options.ipc) stdio.push('ipc');
  const child = spawn(
    'bash',
    ['-c', 'ulimit -n "$(ulimit -Hn)" && exec "$0" "$@"', command, ...args],
    {
      detached: true,
      stdio,
      env: options.env ?? process.env,
      cwd: options.cwd,
      serialization: options.ipc ? 'advanced' : 'json',
    },
  );
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    if (options.echo) process.stderr.write(`[${name}] ${chunk.toString('utf8')}`);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let gone = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      gone = true;
      running.delete(started);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const started: Started = {
    name,
    pid: child.pid,
    child,
    exited,
    tail: () => tail,
    hasExited: () => gone,
  };
  running.add(started);
  return started;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** SIGTERM to the process group, SIGKILL after `graceMs`; waits until it has exited. */
export async function stop(started: Started, graceMs = 5_000): Promise<void> {
  if (started.hasExited()) return;
  killGroup(started.pid, 'SIGTERM');
  const timedOut = await Promise.race([
    started.exited.then(() => false),
    sleep(graceMs).then(() => true),
  ]);
  if (timedOut) {
    killGroup(started.pid, 'SIGKILL');
    await Promise.race([started.exited, sleep(2_000)]);
  }
  // Whatever the group left behind (nginx workers, say) goes too.
  killGroup(started.pid, 'SIGKILL');
  running.delete(started);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((started) => stop(started)));
}

/** Runs a command to completion (bounded by `timeoutMs`), returning its stdout. */
export async function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number },
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  installHooks();
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const code = await new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal ?? 'unknown'));
  });
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Aborts the whole benchmark (stopping every process) if it runs longer than `minutes`. */
export function watchdog(minutes: number): void {
  installHooks();
  const timer = setTimeout(() => {
    console.error(`watchdog: the benchmark ran over ${minutes} minutes; stopping everything`);
    void stopAll().finally(() => process.exit(124));
  }, minutes * 60_000);
  timer.unref();
}
