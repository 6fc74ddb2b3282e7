import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { until, within } from '../support/deadline.ts';
import { aParagraph } from '../support/factories.ts';
import { scrape } from '../support/metrics.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** A raw reader of /live/{slug}/events: what it has received so far, and its socket. */
interface RawReader {
  socket: net.Socket;
  text: () => string;
  ended: Promise<void>;
}

function openRaw(url: URL, path: string): Promise<RawReader> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    const ended = new Promise<void>((done) => {
      socket.on('end', done);
      socket.on('close', done);
    });
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('event: clock')) resolve({ socket, text: () => text, ended });
    });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`);
  });
}

/** Readers connected on this instance, as /metrics counts them (every page). */
async function connectedReaders(s: TestServer): Promise<number> {
  const lines = (await scrape(s.url))
    .split('\n')
    .filter((l) => l.startsWith('liveline_connected_readers{'));
  return lines.reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

/** Polls /metrics until `count` readers are connected. */
async function untilReaders(s: TestServer, count: number, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  let now = await connectedReaders(s);
  while (now !== count) {
    if (Date.now() > deadline) assert.fail(`${what}: ${now} readers, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    now = await connectedReaders(s);
  }
}

/**
 * An idle reader costs the server its socket and the hub's entry, not node:http's
 * per-connection state (ADR 0028): the state is released once the head is written, and
 * what node:http did for the connection still happens.
 */
describe("an idle reader's connection, after its head is written", () => {
  let s: TestServer;
  let url: URL;
  const serverSockets: net.Socket[] = [];
  const serverSide = (client: net.Socket) =>
    serverSockets.find((socket) => socket.remotePort === client.localPort);

  before(async () => {
    s = await startTestServer();
    url = new URL(s.url);
    s.app.server.on('connection', (socket: net.Socket) => serverSockets.push(socket));
    await s.call('editor', 'POST', '/api/pages', { slug: 'quiet', title: 'Quiet', status: 'live' });
  });
  after(() => s.close());

  it(
    'holds no parser or node:http listener, and still gets every change',
    { timeout: 15_000 },
    async () => {
      const reader = await within(openRaw(url, '/live/quiet/events'), 5_000, 'the stream head');
      const socket = serverSide(reader.socket);
      assert.ok(socket, 'the server side of the connection is known');
      await until(
        () => (socket as net.Socket & { parser?: unknown }).parser == null,
        5_000,
        (ms) => `the parser was still attached after ${ms} ms`,
      );
      assert.equal(socket.listenerCount('data'), 0, 'no node:http data listener');
      assert.deepEqual(
        socket
          .rawListeners('close')
          .map((fn) => fn.name)
          .filter((n) => n.includes('socketOn')),
        [],
      );
      assert.equal(socket.listenerCount('error'), 1, 'one error listener: errors cannot crash');

      const published = await s.call('editor', 'POST', '/api/pages/quiet/posts', {
        headline: 'Still here',
        body: [aParagraph('Released and still reading.')],
      });
      assert.equal(published.statusCode, 201);
      await until(
        () => reader.text().includes('Still here'),
        5_000,
        (ms) => `the change never reached the released reader within ${ms} ms`,
      );
      reader.socket.destroy();
    },
  );

  it(
    'ends the stream when the reader half-closes, and forgets the reader',
    { timeout: 15_000 },
    async () => {
      const before = await connectedReaders(s);
      const reader = await within(openRaw(url, '/live/quiet/events'), 5_000, 'the stream head');
      await until(
        () => (serverSide(reader.socket) as { parser?: unknown } | undefined)?.parser === null,
        5_000,
        (ms) => `not released within ${ms} ms`,
      );
      await untilReaders(s, before + 1, 'the reader counted');
      reader.socket.end();
      await within(reader.ended, 5_000, 'the server ending the half-closed stream');
      await untilReaders(s, before, 'the half-closed reader removed');
    },
  );

  it(
    'survives a reset reader: it is removed and publishing goes on',
    { timeout: 15_000 },
    async () => {
      const before = await connectedReaders(s);
      const readers = await Promise.all(
        [1, 2, 3].map(() => within(openRaw(url, '/live/quiet/events'), 5_000, 'the stream head')),
      );
      await untilReaders(s, before + 3, 'the readers counted');
      for (const reader of readers) reader.socket.resetAndDestroy();
      await untilReaders(s, before, 'the reset readers removed');
      const published = await s.call('editor', 'POST', '/api/pages/quiet/posts', {
        headline: 'After the resets',
        body: [aParagraph('Nothing crashed.')],
      });
      assert.equal(published.statusCode, 201);
      // The freed parsers serve new connections.
      const next = await within(openRaw(url, '/live/quiet/events'), 5_000, 'a new stream head');
      next.socket.destroy();
    },
  );
});
