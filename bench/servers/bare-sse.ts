/**
 * The floor for Node: a bare node:http server that writes one prepared buffer straight to
 * each subscriber's socket. GET /events subscribes; POST /pub frames the body once as an SSE
 * event and writes it to every socket, then answers 201.
 *
 *   node --import tsx bench/servers/bare-sse.ts <port>
 */
import http from 'node:http';
import type { Socket } from 'node:net';

const HEAD = Buffer.from(
  'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n' +
    'Cache-Control: no-store\r\nConnection: close\r\n\r\nretry: 2000\n\n',
);
const readers = new Set<Socket>();
let seq = 0;

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/events') {
    const socket = req.socket;
    socket.setNoDelay(true);
    socket.write(HEAD);
    readers.add(socket);
    socket.once('close', () => readers.delete(socket));
    return;
  }
  if (req.method === 'POST' && req.url === '/pub') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const frame = Buffer.from(
        `event: change\nid: ${++seq}\ndata: ${Buffer.concat(chunks).toString('utf8')}\n\n`,
      );
      for (const socket of readers) socket.write(frame);
      res.writeHead(201).end();
    });
    return;
  }
  res.writeHead(404).end();
});
server.listen(Number(process.argv[2]), '127.0.0.1', 4096);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
setTimeout(() => process.exit(0), 60 * 60_000).unref();
