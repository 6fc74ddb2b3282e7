import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { AppOptions } from '../../src/app.ts';
import type { ChangeBus } from '../../src/bus/bus.ts';
import type { Store } from '../../src/store/store.ts';
import { startTestApp, type TestApp } from './app.ts';
import { idRanges } from './deadline.ts';

export interface TestServer extends TestApp {
  /** http://127.0.0.1:PORT */
  url: string;
  /**
   * Cuts every connection the server has, event streams included, as a network that goes
   * away would. (node:http's `closeAllConnections` no longer sees a stream once its head is
   * written: the stream's http state is released, ADR 0028.)
   */
  cutConnections(): void;
}

/** A port of the loopback interface that nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The test app listening on a free port of the loopback interface, for real HTTP clients.
 * Its PUBLIC_URL is its own address (unless given), so a browser on it is same-origin for
 * the desk's CSRF check.
 */
export async function startTestServer(
  store?: Store,
  options: AppOptions = {},
  parts: { bus?: ChangeBus } = {},
): Promise<TestServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const t = await startTestApp(store, { publicUrl: url, ...options }, parts);
    try {
      const sockets = new Set<Socket>();
      t.app.server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await t.app.listen({ port, host: '127.0.0.1' });
      const cutConnections = () => {
        for (const socket of sockets) socket.destroy();
      };
      return { ...t, url, cutConnections };
    } catch (error) {
      // Another process took the port between the probe and the listen: try another.
      await t.app.close();
      if (attempt >= 5 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
}

export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/**
 * Reads Server-Sent Events from `url` with fetch until `count` events have arrived (comments,
 * retry-only frames and each connection's own `clock` event are not counted), then disconnects.
 * Fails after `timeoutMs` (5 s by default), or when the stream ends first, saying which event
 * never arrived and which did; with `partial`, answers whatever arrived by then instead.
 */
export async function readEvents(
  url: string,
  count: number,
  options: {
    headers?: Record<string, string>;
    timeoutMs?: number;
    /** Read for `timeoutMs` (or until `count`) and answer what arrived: no failure. */
    partial?: boolean;
    onOpen?: () => void;
    onEvent?: (event: SseEvent, count: number) => void;
  } = {},
): Promise<SseEvent[]> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: SseEvent[] = [];
  let opened = false;
  const missing = (why: string) => {
    const path = new URL(url).pathname;
    const what = opened
      ? `event ${events.length + 1} of ${count} from ${path}`
      : `an answer from ${path}`;
    return new Error(`no ${what} ${why} (got ids ${idRanges(events.map((e) => e.id))})`);
  };
  try {
    const res = await fetch(url, { headers: options.headers ?? {}, signal: controller.signal });
    if (res.status !== 200 || !res.body) throw new Error(`events answered ${res.status}`);
    opened = true;
    options.onOpen?.();
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = res.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = block.split('\n').filter((line) => !line.startsWith(':'));
        const value = (name: string) =>
          fields
            .filter((l) => l.startsWith(`${name}:`))
            .map((l) => l.slice(name.length + 1).replace(/^ /, ''));
        const data = value('data');
        if (data.length === 0 || value('event')[0] === 'clock') continue;
        const event = { id: value('id')[0], event: value('event')[0], data: data.join('\n') };
        events.push(event);
        options.onEvent?.(event, events.length);
        if (events.length >= count) return events;
      }
    }
    if (options.partial) return events;
    throw missing('before the stream ended');
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    if (options.partial) return events;
    throw missing(`within ${timeoutMs} ms`);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
