import type { FaultLog } from '../log.ts';
import type { PresenceEntry, PresenceListener } from './presence.ts';

/**
 * The watching half every board shares: the listeners of each page, ONE read of a page per
 * change however many desks watch it (changes that arrive during a read cause one more read,
 * not one each), and a sweep that re-reads every watched page a few times per ttl, so entries
 * whose heartbeats stopped are dropped and announced even when nothing else happens.
 */
export class PageWatchers {
  private readonly pages = new Map<string, Set<PresenceListener>>();
  /** Pages being read; true when another change arrived meanwhile. */
  private readonly reading = new Map<string, boolean>();
  private readonly sweeper: NodeJS.Timeout;
  private failing = false;

  constructor(
    private readonly read: (pageId: string) => Promise<PresenceEntry[]>,
    sweepMs: number,
    private readonly log: FaultLog,
  ) {
    this.sweeper = setInterval(() => {
      for (const pageId of this.pages.keys()) {
        this.read(pageId).then(
          () => this.recovered(),
          (error: unknown) => this.failed(error),
        );
      }
    }, sweepMs);
    this.sweeper.unref();
  }

  watch(pageId: string, listener: PresenceListener): () => void {
    let listeners = this.pages.get(pageId);
    if (!listeners) this.pages.set(pageId, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.pages.get(pageId) === listeners) this.pages.delete(pageId);
    };
  }

  /** The page's entries changed (here or on another instance): its watchers get them. */
  changed(pageId: string): void {
    if (!this.pages.has(pageId)) return;
    if (this.reading.has(pageId)) {
      this.reading.set(pageId, true);
      return;
    }
    this.reading.set(pageId, false);
    this.read(pageId)
      .then(
        (entries) => {
          this.recovered();
          for (const listener of this.pages.get(pageId) ?? []) {
            try {
              listener(entries);
            } catch (error) {
              this.log.error({ err: error, pageId }, 'a presence listener failed');
            }
          }
        },
        (error: unknown) => this.failed(error),
      )
      .finally(() => {
        const again = this.reading.get(pageId);
        this.reading.delete(pageId);
        if (again) this.changed(pageId);
      });
  }

  close(): void {
    clearInterval(this.sweeper);
    this.pages.clear();
  }

  /** Logged once per outage, not once per page per sweep. */
  private failed(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.log.warn({ err: error }, 'presence cannot be read: desks show no colleagues meanwhile');
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.log.info({}, 'presence can be read again');
  }
}
