import { fileURLToPath } from 'node:url';
import type { SteadyPublished, SteadyPublishing } from '../clients/steady-publisher.ts';
import { start, stop } from './procs.ts';

const SCRIPT = fileURLToPath(new URL('../clients/steady-publisher.ts', import.meta.url));

export interface SteadyPublisher {
  /** Publishes one post every `rateMs` from `t0` until `stop()`. */
  begin(job: SteadyPublishing): void;
  /** Resolves with when each post was sent and how long its answer took. */
  stop(): Promise<SteadyPublished>;
}

/**
 * A publisher in a process of its own (clients/steady-publisher.ts), loaded and waiting, so
 * the first post leaves on time.
 */
export async function startSteadyPublisher(): Promise<SteadyPublisher> {
  const publisher = start('steady-publisher', process.execPath, ['--import', 'tsx', SCRIPT], {
    ipc: true,
  });
  const exited = publisher.exited.then((code) => {
    throw new Error(`the publisher exited (${code}) early:\n${publisher.tail()}`);
  });
  const next = () =>
    Promise.race([
      new Promise<unknown>((resolve) => publisher.child.once('message', resolve)),
      exited,
    ]);
  try {
    await next();
  } catch (error) {
    await stop(publisher);
    throw error;
  }
  let done: Promise<unknown> | null = null;
  return {
    begin(job) {
      done = next();
      // A publish that failed ends the process at once, not at `stop()`.
      done.catch(() => {});
      publisher.child.send(job);
    },
    async stop() {
      try {
        if (!done) throw new Error('the publisher was never begun');
        publisher.child.send('stop');
        return (await done) as SteadyPublished;
      } finally {
        await stop(publisher);
      }
    },
  };
}
