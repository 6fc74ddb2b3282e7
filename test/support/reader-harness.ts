import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { LivePage } from '../../src/domain/page.ts';
import type { Post } from '../../src/domain/post.ts';
import type { LiveEvent } from '../../src/render/live-event-types.ts';
import { renderReaderPage } from '../../src/render/reader-page.tsx';

/**
 * A stand-in server for the browser tests of the reader script: it serves a rendered page,
 * the bundled script, the stylesheet and an event stream the test drives by hand. The real
 * routes are the lead's; this checks the page and the script against each other.
 */

const ROOT = new URL('../../', import.meta.url);
/** The CSP the real server will send; the test fails on any violation. */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:";

export interface StreamRequest {
  url: string;
  lastEventId: string | undefined;
}

export interface HarnessPage {
  page: LivePage;
  posts: Post[];
  pageNumber: number;
  pageCount: number;
}

export interface Harness {
  origin: string;
  /** Every connection the event stream received, in order. */
  requests: StreamRequest[];
  /** Set what `/live/{slug}?page=N` renders. */
  setPage(slug: string, pageNumber: number, content: HarnessPage): void;
  /** Send one change to every open stream, framed as the real server will. */
  send(event: LiveEvent): void;
  /** End every open stream (the browser's EventSource reconnects by itself). */
  dropStreams(): void;
  /** Answer the next N stream requests with this status (EventSource then gives up). */
  failNextStreams(count: number, status: number): void;
  openStreams(): number;
  close(): Promise<void>;
}

async function bundleScript(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('web/reader/live.ts', ROOT))],
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    target: 'es2019',
  });
  return result.outputFiles[0]?.text ?? '';
}

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="576"><rect width="1024" height="576" fill="#8a9ba8"/></svg>`;

/** Start the stand-in server on a free loopback port. */
export async function startHarness(): Promise<Harness> {
  const script = await bundleScript();
  const css = await readFile(new URL('public/reader.css', ROOT), 'utf8');
  const pages = new Map<string, HarnessPage>();
  const streams = new Set<ServerResponse>();
  const requests: StreamRequest[] = [];
  let failures = 0;
  let failStatus = 503;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/assets/reader.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else if (url.pathname === '/assets/reader.css') {
      res.writeHead(200, { 'content-type': 'text/css' }).end(css);
    } else if (url.pathname.startsWith('/media/')) {
      res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(SVG);
    } else if (url.pathname.endsWith('/events')) {
      const lastEventId = req.headers['last-event-id'];
      requests.push({ url: url.pathname + url.search, lastEventId: lastEventId?.toString() });
      if (failures > 0) {
        failures -= 1;
        res.writeHead(failStatus, { 'content-type': 'text/plain' }).end('unavailable');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write('retry: 200\n\n');
      streams.add(res);
      res.on('close', () => streams.delete(res));
    } else {
      const key = `${url.pathname}?${url.searchParams.get('page') ?? '1'}`;
      const content = pages.get(key);
      if (!content) {
        res.writeHead(404).end();
        return;
      }
      const html = renderReaderPage({
        ...content,
        total: content.posts.length,
        baseUrl: `http://${req.headers.host ?? 'localhost'}`,
        assets: { css: '/assets/reader.css', script: '/assets/reader.js' },
      });
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': CSP,
      });
      res.end(html);
    }
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    setPage: (slug, pageNumber, content) => pages.set(`/live/${slug}?${pageNumber}`, content),
    send: (event) => {
      const frame = `id: ${event.seq}\nevent: change\ndata: ${JSON.stringify(event)}\n\n`;
      for (const res of streams) res.write(frame);
    },
    dropStreams: () => {
      for (const res of streams) res.end();
      streams.clear();
    },
    failNextStreams: (count, status) => {
      failures = count;
      failStatus = status;
    },
    openStreams: () => streams.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
