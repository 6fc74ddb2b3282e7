/**
 * A process that publishes one post every `rateMs` from `t0` until told to stop, and times
 * each answer on its own event loop: the bench's process, busy reading what the SSE clients
 * report, cannot make a publish look slow. Says 'ready' once loaded, takes its job as the
 * first IPC message, stops at the second, and answers with what it published.
 */
import { ApiClient } from '../lib/liveline.ts';
import { postInput } from '../lib/post-body.ts';
import { sleep } from '../lib/procs.ts';

export interface SteadyPublishing {
  host: string;
  port: number;
  token: string;
  slug: string;
  /** The number of the first post published. */
  first: number;
  rateMs: number;
  /** When post `first` is due, on the shared clock (timeOrigin + now). */
  t0: number;
}

export interface SteadyPublished {
  /** When each post was sent, and how long its answer took. */
  sent: number[];
  answers: number[];
  /** The number of the last post published. */
  last: number;
}

const now = () => performance.timeOrigin + performance.now();
const send = process.send?.bind(process);
if (!send) throw new Error('steady-publisher.ts runs with an IPC channel');
const job = await new Promise<SteadyPublishing>((resolve) => {
  process.once('message', resolve);
  send('ready');
});
let stopping = false;
process.once('message', () => (stopping = true));

const api = new ApiClient(job.host, job.port, job.token);
const sent: number[] = [];
const answers: number[] = [];
let n = job.first - 1;
try {
  while (!stopping) {
    const due = job.t0 + sent.length * job.rateMs;
    if (due > now()) await sleep(due - now());
    if (stopping) break;
    const at = now();
    await api.publish(job.slug, JSON.stringify(postInput(++n)));
    sent.push(at);
    answers.push(now() - at);
  }
  send({ sent, answers, last: n } satisfies SteadyPublished);
} finally {
  api.close();
  process.disconnect();
}
