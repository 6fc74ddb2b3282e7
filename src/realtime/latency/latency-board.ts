import { randomBytes } from 'node:crypto';
import { quantile } from './histogram.ts';
import { mergeBuckets, RollingWindow, WINDOW_MS, type SharedBucket } from './rolling-window.ts';

/** What one instance knows of one live page: its readers now and its recent delays. */
export interface PageReach {
  readers: number;
  buckets: SharedBucket[];
}

/** What the desk is shown for a page: every instance's readers and delays, merged. */
export interface LatencyView {
  /** Readers with the page's event stream open now. */
  readers: number;
  /** Publish-to-screen delay in ms, or null with no reports in the window. */
  p50: number | null;
  p99: number | null;
  /** Reports counted in the window. */
  samples: number;
  windowSeconds: number;
}

/**
 * Where instances leave their reach for each other (Redis, with many instances). Entries
 * older than the share's freshness are never returned: a stopped instance drops out.
 */
export interface ReachShare {
  /** Publishes this instance's reach of each page, and withdraws it from the pages in `gone`. */
  publish(
    instance: string,
    pages: ReadonlyMap<string, PageReach>,
    gone: readonly string[],
    nowMs: number,
  ): Promise<void>;
  /** Every instance's fresh reach of a page, by instance. */
  read(pageId: string, nowMs: number): Promise<Map<string, PageReach>>;
  close(): Promise<void>;
}

export interface LatencyBoardOptions {
  /** The services' clock: the window moves with it (a test sets it). */
  now: () => Date;
  /** This instance's open public streams per page id (the fan-out hub's counts). */
  readers: () => ReadonlyMap<string, number>;
  /** With many instances: where they meet. Without, the board is this process alone. */
  share?: ReachShare | null;
  /** How often this instance publishes to the share. */
  publishMs?: number;
  /** The most pages whose delays are kept; the page reported least recently goes first. */
  maxPages?: number;
  /**
   * A publish or read of the share failed (the board carries on with what it has). Told once
   * per outage, not on every attempt.
   */
  onError?: (error: unknown) => void;
}

/** ms rounded to a tenth, for the desk. */
const tenth = (ms: number | null) => (ms === null ? null : Math.round(ms * 10) / 10);

/**
 * The latency panel's figures: per live page, the publish-to-screen delays readers reported
 * (a rolling window in memory, no database) and the readers connected, for this process or,
 * with a share, summed over every instance.
 */
export class LatencyBoard {
  /** Windows by page id, least recently reported first. */
  private readonly windows = new Map<string, RollingWindow>();
  private readonly instance = randomBytes(8).toString('hex');
  private readonly maxPages: number;
  private readonly timer: NodeJS.Timeout | null = null;
  /** Pages this instance published last time, so it can withdraw from those it left. */
  private published = new Set<string>();
  private publishing: Promise<void> | null = null;
  /** False from a failed publish or read until one succeeds again. */
  private sharing = true;

  constructor(private readonly options: LatencyBoardOptions) {
    this.maxPages = options.maxPages ?? 1_000;
    if (options.share) {
      this.timer = setInterval(() => void this.publish(), options.publishMs ?? 2_000);
      this.timer.unref();
    }
  }

  /** Counts the delays (ms) reported for a page. */
  record(pageId: string, delays: readonly number[]): void {
    let window = this.windows.get(pageId);
    if (window) this.windows.delete(pageId);
    else window = new RollingWindow();
    this.windows.set(pageId, window);
    window.add(delays, this.nowMs());
    if (this.windows.size > this.maxPages) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
  }

  /** The page's readers and delays, over every instance that shares. */
  async view(pageId: string): Promise<LatencyView> {
    const now = this.nowMs();
    const reaches = [this.reachOf(pageId, now)];
    if (this.options.share) {
      try {
        const others = await this.options.share.read(pageId, now);
        this.sharing = true;
        others.delete(this.instance);
        reaches.push(...others.values());
      } catch (error) {
        // Figures from this instance alone beat no figures.
        this.failed(error);
      }
    }
    const counts = mergeBuckets(
      reaches.map((reach) => reach.buckets),
      now,
    );
    const samples = counts.reduce((sum, count) => sum + count, 0);
    return {
      readers: reaches.reduce((sum, reach) => sum + reach.readers, 0),
      p50: tenth(quantile(counts, 0.5)),
      p99: tenth(quantile(counts, 0.99)),
      samples,
      windowSeconds: WINDOW_MS / 1000,
    };
  }

  /** Publishes this instance's reach now (the timer does it every `publishMs`). */
  publish(): Promise<void> {
    const share = this.options.share;
    if (!share) return Promise.resolve();
    // One publish at a time: a slow Redis does not pile them up.
    this.publishing ??= (async () => {
      const now = this.nowMs();
      const pages = new Map<string, PageReach>();
      for (const [pageId, readers] of this.options.readers()) {
        if (readers > 0) pages.set(pageId, this.reachOf(pageId, now));
      }
      for (const [pageId, window] of this.windows) {
        if (window.isEmpty(now)) this.windows.delete(pageId);
        else if (!pages.has(pageId)) pages.set(pageId, this.reachOf(pageId, now));
      }
      const gone = [...this.published].filter((pageId) => !pages.has(pageId));
      try {
        await share.publish(this.instance, pages, gone, now);
        this.published = new Set(pages.keys());
        this.sharing = true;
      } catch (error) {
        this.failed(error);
      }
    })().finally(() => (this.publishing = null));
    return this.publishing;
  }

  /** Stops publishing and withdraws this instance from the share. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const share = this.options.share;
    if (!share) return;
    await this.publishing;
    await share
      .publish(this.instance, new Map(), [...this.published], this.nowMs())
      .catch(() => undefined);
    await share.close();
  }

  private failed(error: unknown): void {
    if (this.sharing) this.options.onError?.(error);
    this.sharing = false;
  }

  private reachOf(pageId: string, nowMs: number): PageReach {
    return {
      readers: this.options.readers().get(pageId) ?? 0,
      buckets: this.windows.get(pageId)?.share(nowMs) ?? [],
    };
  }

  private nowMs(): number {
    return this.options.now().getTime();
  }
}
