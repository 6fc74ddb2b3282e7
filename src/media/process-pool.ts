import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { LivelineError } from '../domain/errors.ts';
import type { ProcessedImage, Variant } from './process.ts';

/** How much lower than the server the processing process runs (nice 10 of 19). */
const NICENESS = 10;

type Answer =
  { id: number; result: ProcessedImage } | { id: number; error: string; unreadable: boolean };

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

  private start(): ChildProcess {
    const child = fork(new URL('./process-child.ts', import.meta.url), [], {
      execArgv: process.execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, NICENESS);
      } catch {
        // Not permitted here: it still runs, at the server's priority.
      }
    }
    child.on('message', (answer: Answer) => {
      const job = this.waiting.get(answer.id);
      if (!job) return;
      this.waiting.delete(answer.id);
      if ('result' in answer) job.resolve(withBuffers(answer.result));
      else if (answer.unreadable) job.reject(new LivelineError('MEDIA_UNREADABLE', answer.error));
      else job.reject(new Error(`picture processing failed: ${answer.error}`));
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      for (const job of this.waiting.values())
        job.reject(new Error(`the picture-processing process stopped (${code ?? signal})`));
      this.waiting.clear();
    });
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

  process(input: Buffer): Promise<ProcessedImage> {
    const child = this.child ?? (this.child = this.start());
    child.ref();
    child.channel?.ref();
    const id = this.next++;
    return new Promise<ProcessedImage>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      child.send({ id, input });
    }).finally(() => this.idle(child));
  }

  close(): void {
    this.child?.kill();
    this.child = null;
  }
}

/** IPC gives typed arrays back; the storage wants Buffers. */
function withBuffers(image: ProcessedImage): ProcessedImage {
  const variants = image.variants.map((v): Variant => ({
    ...v,
    bytes: Buffer.from(v.bytes.buffer, v.bytes.byteOffset, v.bytes.byteLength),
  }));
  return { ...image, variants };
}
