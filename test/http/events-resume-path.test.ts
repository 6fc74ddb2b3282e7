import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { connectSqlite } from '../../src/store/sqlite/connect.ts';
import type { Store } from '../../src/store/store.ts';
import { until, within } from '../support/deadline.ts';
import { aParagraph } from '../support/factories.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** A raw reader of /live/watch/events: its socket and what it has been sent so far. */
interface RawReader {
  socket: net.Socket;
  text: () => string;
  /** The ids of the change events received, in order. */
  ids: () => number[];
}

/**
 * Opens the page's stream on a raw socket, as a browser behind a proxy would reach it: the
 * proxy (this test, from 127.0.0.1) forwards for `forwardedFor`. Resolves once the status line
 * and head have arrived.
 */
function openRaw(
  s: TestServer,
  forwardedFor: string,
  lastEventId?: number,
): Promise<RawReader & { status: number }> {
  const url = new URL(s.url);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    socket.setEncoding('utf8');
    socket.on('error', reject);
    const reader: RawReader = {
      socket,
      text: () => text,
      ids: () => [...text.matchAll(/^event: change\nid: (\d+)$/gm)].map((m) => Number(m[1])),
    };
    socket.on('data', (chunk: string) => {
      text += chunk;
      const head = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (head && text.includes('\r\n\r\n')) resolve({ ...reader, status: Number(head[1]) });
    });
    socket.write(
      `GET /live/watch/events HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n` +
        `X-Forwarded-For: ${forwardedFor}\r\n` +
        (lastEventId === undefined ? '' : `Last-Event-ID: ${lastEventId}\r\n`) +
        '\r\n',
    );
  });
}

/** A live page whose three posts are its changes 1 to 3. */
async function livePageOfThreePosts(s: TestServer, slug: string): Promise<void> {
  await s.call('editor', 'POST', '/api/pages', { slug, title: slug, status: 'live' });
  for (const headline of ['One', 'Two', 'Three']) {
    const published = await s.call('editor', 'POST', `/api/pages/${slug}/posts`, {
      headline,
      body: [aParagraph(`${headline}.`)],
    });
    assert.equal(published.statusCode, 201);
  }
}

/**
 * Readers resuming on a page this process already serves are answered before Fastify
 * (src/http/reader/event-streams.ts, ADR 0031). What holds on the Fastify route must hold
 * there too: the bound per client address, behind a trusted proxy as well, what each reader
 * is sent, and node:http's per-connection state let go.
 */
describe('a reader resuming its stream', () => {
  let s: TestServer;
  const serverSockets: net.Socket[] = [];
  const serverSide = (client: net.Socket) =>
    serverSockets.find((socket) => socket.remotePort === client.localPort);
  const open: net.Socket[] = [];
  const tracked = async (pending: Promise<RawReader & { status: number }>) => {
    const reader = await within(pending, 5_000, 'the stream head');
    open.push(reader.socket);
    return reader;
  };

  before(async () => {
    s = await startTestServer(undefined, {
      trustProxy: '127.0.0.1',
      streams: { perAddress: 2, total: 100 },
    });
    s.app.server.on('connection', (socket: net.Socket) => serverSockets.push(socket));
    await livePageOfThreePosts(s, 'watch');
  });
  after(async () => {
    for (const socket of open) socket.destroy();
    await s.close();
  });

  it(
    'is bounded by the address its trusted proxy forwarded for, and sent what it missed',
    { timeout: 20_000 },
    async () => {
      // The first reader of the page goes through Fastify and makes the hub follow it.
      const first = await tracked(openRaw(s, '198.51.100.1'));
      assert.equal(first.status, 200);
      // The three posts are changes 1 to 3: a reader that had the first missed two.
      const missed = [2, 3];
      const a1 = await tracked(openRaw(s, '198.51.100.2', 1));
      const a2 = await tracked(openRaw(s, '198.51.100.2', 1));
      for (const reader of [a1, a2]) {
        assert.equal(reader.status, 200);
        await until(
          () => reader.ids().length >= missed.length,
          5_000,
          (ms) => `ids ${missed.join(', ')} not all sent within ${ms} ms (got ${reader.ids()})`,
        );
        assert.deepEqual(reader.ids(), missed, 'each missed change once, in order');
      }
      // A third stream for the same forwarded address is refused, as on the Fastify route.
      const a3 = await tracked(openRaw(s, '198.51.100.2', 1));
      assert.equal(a3.status, 429);
      assert.match(a3.text(), /retry-after: 30\r\n/i);
      // Another address behind the same proxy has its own bound.
      const b1 = await tracked(openRaw(s, '198.51.100.3', 1));
      assert.equal(b1.status, 200, 'a second forwarded address is not counted as the first');
      // Addresses of one IPv6 /64 are one client, on the route and on this path alike.
      const c1 = await tracked(openRaw(s, '2001:db8:7:7::1'));
      const c2 = await tracked(openRaw(s, '2001:db8:7:7::2', 1));
      const c3 = await tracked(openRaw(s, '2001:db8:7:7:ffff::3', 1));
      assert.deepEqual([c1.status, c2.status, c3.status], [200, 200, 429]);

      // And every one of them follows the page from there.
      const published = await s.call('editor', 'POST', '/api/pages/watch/posts', {
        headline: 'Four',
        body: [aParagraph('Four.')],
      });
      assert.equal(published.statusCode, 201);
      for (const reader of [first, a1, a2, b1]) {
        await until(
          () => reader.ids().includes(4),
          5_000,
          (ms) => `change 4 not sent within ${ms} ms (got ${reader.ids()})`,
        );
      }
    },
  );

  it(
    'is answered in order when pipelined behind another request, and gives its slot back',
    { timeout: 15_000 },
    async () => {
      const url = new URL(s.url);
      const request = (path: string, extra = '') =>
        `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nX-Forwarded-For: 198.51.100.5\r\n${extra}\r\n`;
      // Both of this address's slots, each by a stream pipelined behind a health check in one
      // write: node:http queues the stream's response behind the first.
      const pipelined = [1, 2].map(() => {
        const socket = net.connect({ host: url.hostname, port: Number(url.port) });
        open.push(socket);
        socket.setEncoding('utf8');
        let text = '';
        socket.on('data', (chunk: string) => (text += chunk));
        socket.write(request('/healthz') + request('/live/watch/events', 'Last-Event-ID: 1\r\n'));
        return { socket, text: () => text };
      });
      for (const reader of pipelined) {
        await until(
          () => /^event: change\nid: 3$/m.test(reader.text()),
          5_000,
          (ms) =>
            `the pipelined stream sent nothing within ${ms} ms: ${reader.text().slice(0, 300)}`,
        );
        const text = reader.text();
        assert.match(text, /^HTTP\/1\.1 200 OK/, 'the health check is answered first');
        assert.ok(text.indexOf('text/event-stream') > text.indexOf('\r\n\r\n'));
      }
      // Once they close, the address can open streams again: no slot was kept.
      for (const reader of pipelined) reader.socket.destroy();
      // The server hears the closes a moment later: a refusal is tried again for up to 1 s.
      let again = await tracked(openRaw(s, '198.51.100.5', 1));
      for (let tries = 0; again.status === 429 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        again = await tracked(openRaw(s, '198.51.100.5', 1));
      }
      assert.equal(again.status, 200, 'a slot of the closed pipelined streams was kept');
      const second = await tracked(openRaw(s, '198.51.100.5', 1));
      assert.equal(second.status, 200, 'a slot of the closed pipelined streams was kept');
    },
  );

  it(
    "holds neither node:http's response object nor its parser once open",
    { timeout: 15_000 },
    async () => {
      const reader = await tracked(openRaw(s, '198.51.100.4', 1));
      assert.equal(reader.status, 200);
      const socket = serverSide(reader.socket) as
        (net.Socket & { parser?: unknown; _httpMessage?: unknown }) | undefined;
      assert.ok(socket, 'the server side of the connection is known');
      await until(
        () => socket.parser == null,
        5_000,
        (ms) => `the parser was still attached after ${ms} ms`,
      );
      assert.equal(socket._httpMessage, null, 'the response object is detached');
      assert.equal(socket.listenerCount('data'), 0, 'no node:http data listener');
    },
  );
});

/** The store (and the one the services make of it with their clock), counting page reads. */
function countingPageReads(store: Store): { store: Store; reads: () => number } {
  let reads = 0;
  const counting = (inner: Store): Store =>
    new Proxy(inner, {
      get(target, name, receiver) {
        if (name === 'getPage') {
          return (slug: string) => {
            reads += 1;
            return target.getPage(slug);
          };
        }
        if (name === 'withClock') return (now: () => Date) => counting(target.withClock(now));
        const value: unknown = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return { store: counting(store), reads: () => reads };
}

/**
 * In a reconnect storm the readers who arrive before the first of them has opened its stream
 * (streams open from a queue) would each read the page from the store on the Fastify route:
 * the page read for the first one, still waiting to open, serves them all.
 */
describe('readers resuming at once on a page no stream here follows yet', () => {
  it('read the page from the store once, and are each sent what they missed', async (t) => {
    const counted = countingPageReads(await connectSqlite(':memory:'));
    const s = await startTestServer(counted.store, { streams: { perAddress: 50, total: 100 } });
    const sockets: net.Socket[] = [];
    t.after(async () => {
      for (const socket of sockets) socket.destroy();
      await s.close();
    });
    await livePageOfThreePosts(s, 'storm');
    // Twenty readers connected, then all their requests sent in one go: the server reads them
    // off one poll, before the first stream has opened.
    const url = new URL(s.url);
    for (let i = 0; i < 20; i++) {
      const socket = net.connect({ host: url.hostname, port: Number(url.port) });
      sockets.push(socket);
      await within(once(socket, 'connect'), 5_000, 'a connection');
    }
    const texts = sockets.map((socket) => {
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      return () => text;
    });
    const readsBefore = counted.reads();
    for (const socket of sockets) {
      socket.write(
        `GET /live/storm/events HTTP/1.1\r\nHost: ${url.host}\r\nLast-Event-ID: 1\r\n\r\n`,
      );
    }
    for (const text of texts) {
      await until(
        () => /^event: change\nid: 3$/m.test(text()),
        5_000,
        (ms) => `changes 2 and 3 not sent within ${ms} ms: ${text().slice(0, 200)}`,
      );
      assert.match(text(), /^HTTP\/1\.1 200 OK/);
      const ids = [...text().matchAll(/^event: change\nid: (\d+)$/gm)].map((m) => Number(m[1]));
      assert.deepEqual(ids, [2, 3], 'what it missed, once, in order');
    }
    assert.equal(counted.reads() - readsBefore, 1, 'one read of the page for the twenty');
    // Each stream sets its own reconnection delay: after a crash they come back spread out.
    const retries = new Set(texts.map((text) => /^retry: (\d+)$/m.exec(text())?.[1]));
    assert.ok(retries.size > 10, `the twenty streams' delays: ${[...retries].join(', ')} ms`);
  });
});
