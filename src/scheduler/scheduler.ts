import type { FaultLog } from '../log.ts';
import { faultSummary } from '../log.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { startScheduledPage } from '../services/pages.ts';
import { publishScheduledPost, type LateContext } from '../services/schedule.ts';
import { asActor } from '../services/audit-context.ts';

const SCHEDULER = { kind: 'system', name: 'scheduler' } as const;

/** How many due posts (and pages) one tick takes on; more wait for the next tick. */
const BATCH = 100;

export interface TickResult {
  published: number;
  pagesStarted: number;
  failed: number;
}

/**
 * Each instance runs one: every `everyMs` it asks the store what is due and publishes each
 * through the one write path (src/services/schedule.ts), which makes it exactly once even
 * when every instance ticks at the same moment (ADR 0015). It ticks once as it starts, so
 * what fell due while no instance ran publishes then. A failure (the database is down) is
 * logged and retried on the next tick; it never escapes.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<TickResult> | null = null;
  private stopped = false;
  /** Since when ticks have been failing: such lateness is the database's, not a restart's. */
  private failingSince: Date | null = null;
  /** When it started ticking: lateness for times before that is a restart's. */
  private startedAt: Date | null = null;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: { everyMs: number; log: FaultLog },
  ) {}

  /** Starts ticking: at once, then every `everyMs` after each tick ends. */
  start(): void {
    this.stopped = false;
    this.startedAt ??= this.deps.now();
    this.schedule(0);
  }

  /** Stops ticking and waits for a tick under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule(this.options.everyMs));
    }, delay);
    this.timer.unref();
  }

  /** One pass over what is due now. Ticks never overlap within an instance. */
  tick(): Promise<TickResult> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<TickResult> {
    const result: TickResult = { published: 0, pagesStarted: 0, failed: 0 };
    let due;
    try {
      due = await this.deps.store.listDue(this.deps.now().toISOString(), BATCH);
    } catch (error) {
      this.failingSince ??= this.deps.now();
      this.options.log.error(
        { err: faultSummary(error) },
        'scheduler: reading what is due failed; retrying',
      );
      result.failed += 1;
      return result;
    }
    const context: LateContext = {
      ...(this.failingSince && { downSince: this.failingSince }),
      ...(this.startedAt && { runningSince: this.startedAt }),
    };
    for (const item of due) {
      try {
        // The audit log names the scheduler as the one who published (ADR 0019).
        if (item.kind === 'page') {
          const started = await asActor(SCHEDULER, 'page.start', () =>
            startScheduledPage(this.deps, item.slug),
          );
          if (started) result.pagesStarted += 1;
        } else {
          const published = await asActor(SCHEDULER, 'post.publish', () =>
            publishScheduledPost(this.deps, item.slug, item.postId, context),
          );
          if (published) result.published += 1;
        }
      } catch (error) {
        result.failed += 1;
        this.options.log.error(
          { err: faultSummary(error), slug: item.slug, item },
          'scheduler: publishing a due item failed; retrying next tick',
        );
      }
    }
    if (result.failed === 0) this.failingSince = null;
    return result;
  }
}
