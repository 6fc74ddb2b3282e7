import { createHash } from 'node:crypto';
import type { ChangeBus } from '../../bus/bus.ts';

/** A rendered response, ready to send again. */
export interface Rendered {
  body: Buffer;
  etag: string;
}

interface Entry extends Rendered {
  pageId: string;
  /** The page's change-log position the body was rendered at. */
  seq: number;
  checkedAt: number;
}

export interface RenderCacheOptions {
  bus: ChangeBus;
  /** How long an entry is served without asking the database whether the page changed. */
  freshMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Rendered reader pages, kept per (host, page, page number) until the live page changes. A
 * change notice drops a page's entries at once; entries are also re-checked against the
 * page's sequence number after `freshMs`, so a lost notice can only serve a page that old.
 * Hits cost no database read, no render and no hashing.
 */
export class RenderCache {
  private readonly entries = new Map<string, Entry>();
  private readonly freshMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  readonly close: () => void;

  constructor(options: RenderCacheOptions) {
    this.freshMs = options.freshMs ?? 1_000;
    this.maxEntries = options.maxEntries ?? 2_000;
    this.now = options.now ?? Date.now;
    this.close = options.bus.subscribe(({ pageId }) => this.forget(pageId));
  }

  /** A fresh entry, with no questions asked. */
  fresh(key: string): Rendered | null {
    const entry = this.entries.get(key);
    return entry && this.now() - entry.checkedAt < this.freshMs ? entry : null;
  }

  /** The entry if it was rendered at `seq`, which is the page's position now. */
  confirm(key: string, seq: number): Rendered | null {
    const entry = this.entries.get(key);
    if (!entry || entry.seq !== seq) return null;
    entry.checkedAt = this.now();
    return entry;
  }

  store(key: string, pageId: string, seq: number, html: string): Rendered {
    if (this.entries.size >= this.maxEntries) {
      // Maps keep insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const body = Buffer.from(html, 'utf8');
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    const entry = { body, etag, pageId, seq, checkedAt: this.now() };
    this.entries.set(key, entry);
    return entry;
  }

  private forget(pageId: string): void {
    for (const [key, entry] of this.entries) if (entry.pageId === pageId) this.entries.delete(key);
  }
}
