import { randomBytes } from 'node:crypto';
import type { FaultLog } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { OutboxJob } from './job.ts';
import { DEFAULT_RETRY, nextAttempt, type RetryPolicy } from './retry.ts';

/**
 * What does one topic's jobs. `run` resolves when the job is done and throws when the attempt
 * failed (the job is retried); `lost` aborts when this instance's claim was lost, so a long
 * job stops (another instance has it). `gaveUp` hears of a job that failed for good.
 */
export interface JobHandler {
  run(job: OutboxJob, lost: AbortSignal): Promise<void>;
  gaveUp?(job: OutboxJob, error: string): Promise<void>;
}

export interface RunnerOptions {
  store: Store;
  now: () => Date;
  handlers: Record<string, JobHandler>;
  log: FaultLog;
  /** How often it looks for due jobs. */
  pollMs: number;
  /**
   * How long a claim holds: another instance takes the job over only after this. A running
   * job's claim is renewed every third of it, so a job may run longer (a push alert to many
   * readers) while its instance lives; a dead instance's jobs are taken over after it.
   */
  leaseMs: number;
  /** Jobs run at once: a slot that frees is filled from the due jobs at once. */
  batch?: number;
  retry?: Partial<RetryPolicy>;
  /** Names this instance in claims; random by default. */
  owner?: string;
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/**
 * The per-instance runner of the outbox (ADR 0022): every `pollMs` it claims due jobs with a
 * lease, runs each with its topic's handler, and records the outcome, fenced by its claim (a
 * job whose lease ran out and was claimed elsewhere is not recorded twice). Failures are
 * retried with backoff for `retry.retryForMs`, then the job fails and the handler is told.
 */
export class OutboxRunner {
  readonly owner: string;
  private readonly retry: RetryPolicy;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** A nudge came during a round: look again as soon as it ends. */
  private nudged = false;
  /** Wakes a round waiting on its jobs in flight, to look for due ones (a nudge). */
  private wake: (() => void) | null = null;

  constructor(private readonly options: RunnerOptions) {
    this.owner = options.owner ?? `instance-${randomBytes(6).toString('hex')}`;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops claiming and waits for the attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Looks for due jobs now (after a commit that enqueued some, say) instead of at the next tick. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.nudged = true;
      this.wake?.();
    } else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => {
        this.running = null;
        const again = this.nudged;
        this.nudged = false;
        if (!this.stopped) this.schedule(again ? 0 : this.options.pollMs);
      });
    }, ms);
    this.timer.unref();
  }

  /**
   * One round: runs up to `batch` jobs at once, and fills each slot that frees (or, on a nudge
   * or every `pollMs`, any free slot) from the due jobs, until none is due or in flight. A slow
   * job (a receiver that never answers) holds its own slot only, never the others'.
   */
  async tick(): Promise<void> {
    const slots = this.options.batch ?? 10;
    const inFlight = new Set<Promise<void>>();
    try {
      for (;;) {
        const free = slots - inFlight.size;
        this.nudged = false;
        const jobs = free > 0 && !this.stopped ? await this.claim(free) : [];
        for (const job of jobs) {
          const run: Promise<void> = this.runOne(job)
            .catch((error: unknown) => {
              this.options.log.error({ err: error, job: job.id }, 'outbox: recording a job failed');
            })
            .finally(() => inFlight.delete(run));
          inFlight.add(run);
        }
        if (inFlight.size === 0) return;
        // Every slot taken, or nothing more due: wait for a slot, a nudge or the next poll.
        await this.slotOrNudge(inFlight);
      }
    } catch (error) {
      this.options.log.error({ err: error }, 'outbox: claiming or recording jobs failed');
    } finally {
      await Promise.all(inFlight);
    }
  }

  private claim(limit: number): Promise<OutboxJob[]> {
    const until = new Date(this.options.now().getTime() + this.options.leaseMs).toISOString();
    return this.options.store.transaction((tx) => tx.claimJobs(this.owner, until, limit));
  }

  /** Extends a running job's claim; tells the job when the claim turns out to be lost. */
  private async renew(
    claim: { id: string; owner: string; attempts: number },
    lost: AbortController,
  ) {
    const until = new Date(this.options.now().getTime() + this.options.leaseMs).toISOString();
    try {
      const held = await this.options.store.transaction((tx) => tx.renewClaim(claim, until));
      if (!held) lost.abort();
    } catch (error) {
      // The database is away: no other instance can claim the job meanwhile either.
      this.options.log.error({ err: error, job: claim.id }, 'outbox: renewing a claim failed');
    }
  }

  /** Resolves when a job in flight ends, a nudge comes, or `pollMs` passes. */
  private async slotOrNudge(inFlight: Set<Promise<void>>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const woken = new Promise<void>((resolve) => {
      this.wake = resolve;
      timer = setTimeout(resolve, this.options.pollMs);
    });
    await Promise.race([woken, ...inFlight]);
    clearTimeout(timer);
    this.wake = null;
  }

  private async runOne(job: OutboxJob): Promise<void> {
    const { store, log } = this.options;
    const handler = this.options.handlers[job.topic];
    const claim = { id: job.id, owner: this.owner, attempts: job.attempts };
    let error: string | null = null;
    const lost = new AbortController();
    const renewal = setInterval(
      () => void this.renew(claim, lost),
      Math.max(100, Math.floor(this.options.leaseMs / 3)),
    );
    try {
      if (!handler) throw new Error(`no handler for the topic "${job.topic}"`);
      await handler.run(job, lost.signal);
    } catch (caught) {
      error = message(caught);
    } finally {
      clearInterval(renewal);
    }
    if (error === null) {
      await store.transaction((tx) => tx.finishJob(claim, { state: 'done' }));
      return;
    }
    const nextAt = nextAttempt(this.retry, job.attempts, job.createdAt, this.options.now());
    const outcome = nextAt
      ? ({ state: 'pending', nextAt, error } as const)
      : ({ state: 'failed', error } as const);
    const recorded = await store.transaction((tx) => tx.finishJob(claim, outcome));
    if (!recorded) return;
    if (outcome.state === 'failed') {
      log.warn({ job: job.id, topic: job.topic, error }, 'outbox: job failed for good');
      await handler?.gaveUp?.(job, error);
    }
  }
}
