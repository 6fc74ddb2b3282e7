import { idRanges } from './deadline.ts';
import type { SseEvent } from './server.ts';

/** A reader's event stream held open for as long as a test needs it. */
export interface OpenStream {
  events: SseEvent[];
  /** Each connection's own `clock` event (ADR 0017), kept apart from `events`. */
  clocks: SseEvent[];
  /** Comment lines (heartbeats) received so far. */
  comments: number;
  /** True once the server ended the stream or it failed. */
  ended(): boolean;
  /**
   * Resolves with the first event that matches, or rejects after `timeoutMs` saying what never
   * arrived (`what`, e.g. "a post.deleted event") and the ids that did.
   */
  waitFor(match: (event: SseEvent) => boolean, timeoutMs: number, what?: string): Promise<SseEvent>;
  close(): void;
}

/** Opens `url` as Server-Sent Events and keeps reading in the background until closed. */
export async function openStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<OpenStream> {
  const controller = new AbortController();
  const opening = setTimeout(() => controller.abort(), 5000);
  const res = await fetch(url, { headers, signal: controller.signal })
    .catch((error: unknown) => {
      if (!controller.signal.aborted) throw error;
      throw new Error(`no answer from ${new URL(url).pathname} within 5000 ms`);
    })
    .finally(() => clearTimeout(opening));
  if (res.status !== 200 || !res.body) throw new Error(`events answered ${res.status}`);
  const events: SseEvent[] = [];
  const clocks: SseEvent[] = [];
  let done = false;
  const stream: OpenStream = {
    events,
    clocks,
    comments: 0,
    ended: () => done,
    close: () => controller.abort(),
    waitFor: (match, timeoutMs, what = 'matching event') =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const found = events.find(match);
          if (found) return resolve(found);
          if (done || Date.now() - started > timeoutMs) {
            const why = done ? 'before the stream ended' : `within ${timeoutMs} ms`;
            const ids = idRanges(events.map((e) => e.id));
            return reject(new Error(`no ${what} ${why} (got ids ${ids})`));
          }
          setTimeout(check, 20);
        };
        check();
      }),
  };
  const body = res.body.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done: finished } = await body.read();
        if (finished) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          stream.comments += block.filter((line) => line.startsWith(':')).length;
          const field = (name: string) =>
            block
              .filter((line) => line.startsWith(`${name}:`))
              .map((line) => line.slice(name.length + 1).replace(/^ /, ''));
          const data = field('data');
          const event = { id: field('id')[0], event: field('event')[0], data: data.join('\n') };
          if (data.length > 0) (event.event === 'clock' ? clocks : events).push(event);
        }
      }
    } catch {
      // Aborted by close(), or the connection broke: either way the stream has ended.
    } finally {
      done = true;
    }
  })();
  return stream;
}
