/**
 * The reference for reads: a bare node:http server answering from memory with the exact
 * bytes (body and headers) Liveline sent, with a 304 when If-None-Match matches.
 *
 *   node --import tsx bench/servers/bare-http.ts <port> <manifest.json>
 *
 * manifest.json: [{ "url": "/live/x", "bodyFile": "...", "headers": { "etag": "...", ... } }]
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';

interface Entry {
  url: string;
  bodyFile: string;
  headers: Record<string, string>;
  /** The headers Liveline sends with its 304. */
  notModifiedHeaders?: Record<string, string>;
}

const [portText, manifest] = process.argv.slice(2);
if (!portText || !manifest) {
  console.error('usage: bare-http.ts <port> <manifest.json>');
  process.exit(2);
}

interface Route {
  body: Buffer;
  headers: Record<string, string>;
  notModified: Record<string, string>;
  etag: string;
}

const routes = new Map<string, Route>();
for (const entry of JSON.parse(readFileSync(manifest, 'utf8')) as Entry[]) {
  const body = readFileSync(entry.bodyFile);
  const headers = { ...entry.headers, 'content-length': String(body.length) };
  const etag = entry.headers.etag ?? '';
  routes.set(entry.url, { body, headers, notModified: entry.notModifiedHeaders ?? { etag }, etag });
}

const server = http.createServer((req, res) => {
  const route = routes.get(req.url ?? '');
  if (!route) {
    res.writeHead(404).end();
  } else if (route.etag !== '' && req.headers['if-none-match'] === route.etag) {
    res.writeHead(304, route.notModified).end();
  } else {
    res.writeHead(200, route.headers).end(route.body);
  }
});
server.keepAliveTimeout = 72_000;
server.listen(Number(portText), '127.0.0.1', () => console.log(`bare node:http on ${portText}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
// Never outlives a benchmark by much.
setTimeout(() => process.exit(0), 60 * 60_000).unref();
