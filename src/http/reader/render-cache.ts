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
  /**
   * The headers of its 304: all but the length, which a 304 may only carry if it is the
   * 200's (RFC 9110, 8.6), and which is the 200's business.
   */
  notModifiedHeaders: string[];
}

function flatten(headers: OutgoingHttpHeaders): string[] {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) flat.push(name, String(one));
  }
  return flat;
}

function withoutLength(flat: string[]): string[] {
  const at = flat.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === 'content-length');
  return at < 0 ? flat : [...flat.slice(0, at), ...flat.slice(at + 2)];
}

/**
 * The cache key of page N of a live page. Absolute links come from PUBLIC_URL, never from the
 * request, so nothing a client sends (Host above all) can make another entry.
 */
export function renderKey(slug: string, pageNumber: number): string {
  return `${slug}|${pageNumber}`;
}

/**
 * The cache key of the anonymous JSON list of a page's posts: page N, or the page after a
 * keyset cursor (`?after=`), which wins over the page number as it does in the route.
 */
export function postsListKey(slug: string, page: number | { after: string }): string {
  return typeof page === 'number'
    ? `api-posts|${slug}|${page}`
    : `api-posts|${slug}|after|${page.after}`;
}

interface Entry extends Rendered {
  pageId: string;
  /** The page's change-log position the body was rendered at. */
  seq: number;
  checkedAt: number;
  /** What the entry costs: body, headers and key. */
  bytes: number;
}

export interface RenderCacheOptions {
  bus: ChangeBus;
  /** How long an entry is served without asking the database whether the page changed. */
  freshMs?: number;
  /** The most bytes held; the least recently used entries go first. */
  maxBytes?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Rendered reader pages, kept per (page, page number) until the live page changes, bounded in
 * bytes (least recently used first out): big posts cannot make it grow past its budget. A
 * change notice drops a page's entries at once; entries are also re-checked against the
 * page's sequence number after `freshMs`, so a lost notice can only serve a page that old.
 * Hits cost no database read, no render and no hashing.
 */
export class RenderCache {
  private readonly entries = new Map<string, Entry>();
  private readonly freshMs: number;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private bytes = 0;
  /** Change notices seen so far: a rendering that saw one arrive is not kept as fresh. */
  private notices = 0;
  readonly close: () => void;

  constructor(options: RenderCacheOptions) {
    this.freshMs = options.freshMs ?? 1_000;
    this.maxEntries = options.maxEntries ?? 2_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.now = options.now ?? Date.now;
    this.close = options.bus.subscribe(({ pageId }) => this.forget(pageId));
  }

  /** How many entries and bytes are held now. */
  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /** A fresh entry, with no questions asked. */
  fresh(key: string): Rendered | null {
    const entry = this.entries.get(key);
    if (!entry || this.now() - entry.checkedAt >= this.freshMs) return null;
    this.touch(key, entry);
    return entry;
  }

  /** The entry if it was rendered at `seq`, which is the page's position now. */
  confirm(key: string, seq: number): Rendered | null {
    const entry = this.entries.get(key);
    if (!entry || entry.seq !== seq) return null;
    entry.checkedAt = this.now();
    this.touch(key, entry);
    return entry;
  }

  /** Marks an entry as just used: Maps keep insertion order, so the oldest use is first. */
  private touch(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  /** Keeps a rendering; `headers` are those it is sent with (the ETag is added here). */
  store(
    key: string,
    pageId: string,
    seq: number,
    text: string,
    headers: OutgoingHttpHeaders = {},
    checkedAt = this.now(),
  ): Rendered {
    this.drop(key);
    const body = Buffer.from(text, 'utf8');
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    const flat = flatten({ ...headers, etag, 'content-length': body.length });
    const entry: Entry = {
      body,
      etag,
      headers: flat,
      notModifiedHeaders: withoutLength(flat),
      pageId,
      seq,
      checkedAt,
      // The 304's headers share the 200's strings: only the list is extra.
      bytes: body.length + Buffer.byteLength(key) + flat.reduce((n, h) => n + h.length, 0),
    };
    // One rendering larger than the whole budget is served once and not kept.
    if (entry.bytes > this.maxBytes) return entry;
    while (
      this.entries.size > 0 &&
      (this.entries.size >= this.maxEntries || this.bytes + entry.bytes > this.maxBytes)
    ) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.drop(oldest);
    }
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
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
    const notices = this.notices;
    const page = await loadPage();
    const unchanged = this.confirm(key, page.lastSeq);
    if (unchanged) return unchanged;
    const body = await render(page);
    // A change announced while this page was loaded or rendered may be missing from it, and
    // its notice has already dropped the entries: kept as fresh, the older rendering would be
    // served unchecked for `freshMs`. Kept unchecked instead, the next read confirms its seq.
    const checkedAt = this.notices === notices ? this.now() : -Infinity;
    return this.store(key, page.id, page.lastSeq, body, headers(), checkedAt);
  }

  private forget(pageId: string): void {
    this.notices += 1;
    for (const [key, entry] of this.entries) if (entry.pageId === pageId) this.drop(key);
  }
}
