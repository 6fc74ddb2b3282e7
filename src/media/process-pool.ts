import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LivelineError } from '../domain/errors.ts';
import type { ProcessedImage } from './process.ts';

/** How much lower than the server the processing process runs without SCHED_IDLE (of 19). */
const NICENESS = 10;

const CHILD = fileURLToPath(new URL('./process-child.ts', import.meta.url));

type Answer =
  { id: number; result: ProcessedImage } | { id: number; error: string; unreadable: boolean };

/** How the processing process is scheduled (ADR 0026). */
export type Priority = 'idle' | 'nice';

/**
 * Whether `chrt --idle 0` can run a program here: util-linux present and the kernel allowing
 * SCHED_IDLE (any user may lower their own priority so, but a sandbox may refuse it).
 */
export function canRunIdle(chrt = 'chrt'): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(chrt, ['--idle', '0', 'true'], { timeout: 5_000 }, (error) => resolve(!error));
  });
}

/**
 * Starts the child under SCHED_IDLE: `chrt` sets the policy and then execs node, so the policy
 * is the process's from its first instruction, and every thread node, libuv and libvips
 * create later inherits it (a policy set from outside after the start reaches only the
 * threads that exist then). The IPC channel passes through the exec like any descriptor.
 */
function startIdle(chrt: string): ChildProcess {
  return spawn(chrt, ['--idle', '0', process.execPath, ...process.execArgv, CHILD], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The fallback: a plain fork, niced from here once it runs. */
function startNiced(): ChildProcess {
  const child = fork(CHILD, [], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, NICENESS);
    } catch {
      // Not permitted here: it still runs, at the server's priority.
    }
  }
  return child;
}

export interface ProcessingOptions {
  /** Where to report how the process is scheduled. */
  log?: {
    info(fields: object, message: string): void;
    warn(fields: object, message: string): void;
  };
  /** The `chrt` program (a test names a missing one to exercise the fallback). */
  chrt?: string;
}

/**
 * Pictures processed in a separate process at a lower CPU priority (ADR 0020): sharp's own
 * threads never stall the event loop, and at a lower priority they do not take a core from
 * it either while readers are served. Started at the first picture; restarted after a crash.
 */
export class ProcessingProcess {
  private child: ChildProcess | null = null;
  private next = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (image: ProcessedImage) => void; reject: (error: Error) => void }
  >();

  /** Decided once, at the first picture: SCHED_IDLE when `chrt` may set it, else nice. */
  private priority: Promise<Priority> | null = null;
  private closed = false;

  constructor(private readonly options: ProcessingOptions = {}) {}

  /** How the processing process runs (decided at the first picture, then kept). */
  scheduling(): Promise<Priority> {
    if (this.priority === null) {
      const chrt = this.options.chrt ?? 'chrt';
      this.priority = canRunIdle(chrt).then((idle): Priority => {
        const log = this.options.log;
        if (idle) log?.info({ priority: 'idle' }, 'pictures are processed under SCHED_IDLE');
        else
          log?.warn(
            { priority: 'nice', niceness: NICENESS },
            `\`${chrt} --idle\` is not available here: pictures are processed at nice ${NICENESS}`,
          );
        return idle ? 'idle' : 'nice';
      });
    }
    return this.priority;
  }

  /** The child's process id while it runs (tests read its scheduling from /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private start(priority: Priority): ChildProcess {
    const child = priority === 'idle' ? startIdle(this.options.chrt ?? 'chrt') : startNiced();
    child.on('message', (answer: Answer) => {
      const job = this.waiting.get(answer.id);
      if (!job) return;
      this.waiting.delete(answer.id);
      if ('result' in answer) job.resolve(answer.result);
      else if (answer.unreadable) job.reject(new LivelineError('MEDIA_UNREADABLE', answer.error));
      else job.reject(new Error(`picture processing failed: ${answer.error}`));
    });
    const stopped = (why: string) => {
      if (this.child === child) this.child = null;
      for (const job of this.waiting.values())
        job.reject(new Error(`the picture-processing process stopped (${why})`));
      this.waiting.clear();
    };
    child.on('exit', (code, signal) => stopped(String(code ?? signal)));
    // It could not be started at all (the program vanished since it was probed).
    child.on('error', (error) => stopped(error.message));
    this.idle(child);
    return child;
  }

  /** An idle child does not keep the server's process alive. */
  private idle(child: ChildProcess): void {
    if (this.waiting.size === 0) {
      child.unref();
      child.channel?.unref();
    }
  }

  /** Makes the variants of the picture in the file `input` as files in the folder `outDir`. */
  async process(input: string, outDir: string): Promise<ProcessedImage> {
    const priority = await this.scheduling();
    if (this.closed) throw new Error('the picture-processing process is closed');
    const child = this.child ?? (this.child = this.start(priority));
    child.ref();
    child.channel?.ref();
    const id = this.next++;
    return new Promise<ProcessedImage>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      child.send({ id, input, outDir });
    }).finally(() => this.idle(child));
  }

  close(): void {
    this.closed = true;
    this.child?.kill();
    this.child = null;
  }
}
