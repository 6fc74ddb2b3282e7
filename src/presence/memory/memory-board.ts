import { stderrLog, type FaultLog } from '../../log.ts';
import {
  byActivityStart,
  DEFAULT_TTL_MS,
  sameActivity,
  type PresenceBoard,
  type PresenceEntry,
  type PresenceListener,
  type PresenceReport,
  type PutMode,
  type PutResult,
} from '../presence.ts';
import { PageWatchers } from '../watchers.ts';

export interface MemoryBoardOptions {
  ttlMs?: number;
  /** The services' clock: a test that moves it expires entries without waiting. */
  now?: () => Date;
  log?: FaultLog;
  /** Told of every page whose entries changed, besides this process's watchers (the cluster primary passes them on). */
  onChange?: (pageId: string) => void;
}

/** The one-process board: entries in a map, expiry read from the clock. */
export class MemoryBoard implements PresenceBoard {
  readonly ttlMs: number;
  private readonly pages = new Map<string, Map<string, PresenceEntry & { expiresAt: number }>>();
  private readonly now: () => Date;
  private readonly watchers: PageWatchers;
  private readonly onChange: (pageId: string) => void;

  constructor(options: MemoryBoardOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.now = options.now ?? (() => new Date());
    this.onChange = options.onChange ?? (() => undefined);
    this.watchers = new PageWatchers(
      async (pageId) => this.list(pageId),
      Math.max(10, Math.floor(this.ttlMs / 3)),
      options.log ?? stderrLog(),
    );
  }

  async put(report: PresenceReport, mode: PutMode): Promise<PutResult> {
    const now = this.now().getTime();
    this.sweep(report.pageId, now);
    let entries = this.pages.get(report.pageId);
    const old = entries?.get(report.connection);
    if (mode === 'update' && old?.userId !== report.userId) return 'missing';
    const same = old !== undefined && sameActivity(old, report);
    if (!entries) this.pages.set(report.pageId, (entries = new Map()));
    const since = same ? old.since : new Date(now).toISOString();
    entries.set(report.connection, { ...report, since, expiresAt: now + this.ttlMs });
    if (same) return 'same';
    this.announce(report.pageId);
    return 'changed';
  }

  async remove(pageId: string, connection: string): Promise<void> {
    if (this.pages.get(pageId)?.delete(connection)) this.announce(pageId);
  }

  async list(pageId: string): Promise<PresenceEntry[]> {
    this.sweep(pageId, this.now().getTime());
    return [...(this.pages.get(pageId)?.values() ?? [])]
      .map(({ expiresAt: _expiresAt, ...entry }) => entry)
      .sort(byActivityStart);
  }

  watch(pageId: string, listener: PresenceListener): () => void {
    return this.watchers.watch(pageId, listener);
  }

  async close(): Promise<void> {
    this.watchers.close();
    this.pages.clear();
  }

  /** Drops the page's expired entries, announcing it when there were any. */
  private sweep(pageId: string, now: number): void {
    const entries = this.pages.get(pageId);
    if (!entries) return;
    let dropped = false;
    for (const [connection, entry] of entries) {
      if (entry.expiresAt <= now) dropped = entries.delete(connection);
    }
    if (entries.size === 0) this.pages.delete(pageId);
    if (dropped) this.announce(pageId);
  }

  private announce(pageId: string): void {
    this.watchers.changed(pageId);
    this.onChange(pageId);
  }
}
