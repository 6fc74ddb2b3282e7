import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { within } from '../support/deadline.ts';
import { aParagraph } from '../support/factories.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** How many readers the storm brings back at once, and how many share a source address. */
const READERS = 160;
const PER_ADDRESS = 20;

/**
 * One reader on a raw socket from its own source address (the server's per-address bound
 * stays on): sends Last-Event-ID, collects the ids of the change events it is sent.
 */
function resume(url: string, lastEventId: number, address: string) {
  const { hostname, port } = new URL(url);
  const ids: number[] = [];
  let text = '';
  let status = '';
  const socket = net.connect({ host: hostname, port: Number(port), localAddress: address });
  socket.on('connect', () =>
    socket.write(
      `GET /live/storm/events HTTP/1.1\r\nHost: ${hostname}\r\n` +
        `Accept: text/event-stream\r\nLast-Event-ID: ${lastEventId}\r\n\r\n`,
    ),
  );
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
    if (!status) status = text.slice(0, text.indexOf('\r\n'));
    for (let end = text.indexOf('\n\n'); end !== -1; end = text.indexOf('\n\n')) {
      const id = /^id: (\d+)$/m.exec(text.slice(0, end));
      if (id && /^event: change$/m.test(text.slice(0, end))) ids.push(Number(id[1]));
      text = text.slice(end + 2);
    }
  });
  socket.on('error', () => {});
  return { ids, status: () => status, close: () => socket.destroy() };
}

/** Resolves once `check` holds, polling; the caller bounds it with `within`. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('a reconnect storm', () => {
  let s: TestServer;
  /** Publishes over HTTP, as the desk does, and checks the answer. */
  const publish = async (headline: string) => {
    const answer = await fetch(`${s.url}/api/pages/storm/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.tokens.editor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ headline, body: [aParagraph(`${headline}.`)] }),
    });
    assert.equal(answer.status, 201, `publishing "${headline}" answered ${answer.status}`);
  };

  before(async () => {
    s = await startTestServer();
    await s.call('editor', 'POST', '/api/pages', { slug: 'storm', title: 'Storm', status: 'live' });
    for (let i = 1; i <= 6; i++) await publish(`Before ${i}`);
  });
  after(() => s.close());

  it(
    'gives every reader resuming at once each change it missed exactly once, in order, while publishes are answered',
    { timeout: 30_000 },
    async () => {
      const from = 2;
      const readers = Array.from({ length: READERS }, (_, i) =>
        resume(s.url, from, `127.0.${10 + Math.floor(i / PER_ADDRESS)}.1`),
      );
      try {
        // Published while the storm connects: answered, and delivered to every reader too.
        await within(publish('During 1'), 10_000, 'a publish during the storm was not answered');
        await within(publish('During 2'), 10_000, 'a publish during the storm was not answered');
        const expected = Array.from({ length: 8 - from }, (_, i) => from + 1 + i);
        await within(
          until(() => readers.every((r) => r.ids.length >= expected.length)),
          20_000,
          `not every reader resumed: ${readers.filter((r) => r.ids.length < expected.length).length} short`,
        );
        for (const [i, reader] of readers.entries()) {
          assert.match(reader.status(), / 200 /, `reader ${i} was refused`);
          assert.deepEqual(reader.ids, expected, `reader ${i} got ${reader.ids.join(',')}`);
        }
      } finally {
        for (const reader of readers) reader.close();
      }
    },
  );
});
