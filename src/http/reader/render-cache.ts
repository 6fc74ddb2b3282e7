import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import type { ChangeBus } from '../../bus/bus.ts';
import type { LivePage } from '../../domain/page.ts';

/** A rendered response, ready to send again: its body and every header it was sent with. */
export interface Rendered {
  body: Buffer;
  etag: string;
  /** The headers as a flat [name, value, ...] list: node:http writes those fastest. */
  headers: string[];
}

function flatten(headers: OutgoingHttpHeaders): string[] {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) flat.push(name, String(one));
  }
  return flat;
}

/** The cache key of page N of a live page as reached at one address. */
export function renderKey(baseUrl: string, slug: string, pageNumber: number): string {
  return `${baseUrl}|${slug}|${pageNumber}`;
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

  /** Keeps a rendering; `headers` are those it is sent with (the ETag is added here). */
  store(
    key: string,
    pageId: string,
    seq: number,
    text: string,
    headers: OutgoingHttpHeaders = {},
  ): Rendered {
    if (this.entries.size >= this.maxEntries) {
      // Maps keep insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const body = Buffer.from(text, 'utf8');
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    const entry = {
      body,
      etag,
      headers: flatten({ ...headers, etag, 'content-length': body.length }),
      pageId,
      seq,
      checkedAt: this.now(),
    };
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * The cached response under `key` if fresh, or if the page (loaded only then) has not
   * changed since it was rendered; otherwise renders it again and keeps it. `headers` are
   * taken after the page is loaded, so errors thrown there are not cached.
   */
  async through(
    key: string,
    loadPage: () => Promise<LivePage>,
    render: (page: LivePage) => Promise<string>,
    headers: () => OutgoingHttpHeaders,
  ): Promise<Rendered> {
    const hit = this.fresh(key);
    if (hit) return hit;
    const page = await loadPage();
    const unchanged = this.confirm(key, page.lastSeq);
    if (unchanged) return unchanged;
    const body = await render(page);
    return this.store(key, page.id, page.lastSeq, body, headers());
  }

  private forget(pageId: string): void {
    for (const [key, entry] of this.entries) if (entry.pageId === pageId) this.entries.delete(key);
  }
}
