import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { until } from '../support/deadline.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * The desk's event stream asked for on a connection that has another request before it in
 * the same write (HTTP/1.1 pipelining): the first is answered first, then the stream opens,
 * and a stream whose connection closes gives its place in the bounds back.
 */
describe("the desk's event stream, pipelined behind another request", () => {
  let s: TestServer;
  const sockets: net.Socket[] = [];

  before(async () => {
    s = await startTestServer(undefined, { streams: { perAddress: 1, total: 100 } });
    await s.call('editor', 'POST', '/api/pages', {
      slug: 'desk-pipe',
      title: 'Pipe',
      status: 'live',
    });
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await s.close();
  });

  /** Sends a health check and the desk stream in one write; collects what comes back. */
  function pipelined(): { socket: net.Socket; text: () => string } {
    const url = new URL(s.url);
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    sockets.push(socket);
    socket.setEncoding('utf8');
    let text = '';
    socket.on('data', (chunk: string) => (text += chunk));
    const head = `Host: ${url.host}\r\nAuthorization: Bearer ${s.tokens.editor}\r\n`;
    socket.write(
      `GET /healthz HTTP/1.1\r\n${head}\r\n` +
        `GET /desk/api/pages/desk-pipe/events HTTP/1.1\r\n${head}\r\n`,
    );
    return { socket, text: () => text };
  }

  it('answers both in order and keeps no slot once closed', { timeout: 15_000 }, async () => {
    const first = pipelined();
    await until(
      () => first.text().includes('event: changed'),
      5_000,
      (ms) => `the stream sent nothing within ${ms} ms: ${first.text().slice(0, 200)}`,
    );
    const text = first.text();
    assert.match(text, /^HTTP\/1\.1 200 OK/, 'the health check is answered first');
    assert.ok(text.indexOf('text/event-stream') > text.indexOf('\r\n\r\n'));
    first.socket.destroy();
    // One stream per address: another opens only once the first gave its slot back, which
    // the server does when it hears the close (a refusal is tried again for up to 1 s).
    let opened = false;
    for (let tries = 0; !opened && tries < 50; tries++) {
      const again = pipelined();
      await until(
        () => /event: changed|429 Too Many Requests/.test(again.text()),
        5_000,
        (ms) => `no stream and no refusal within ${ms} ms: ${again.text().slice(0, 200)}`,
      );
      opened = again.text().includes('event: changed');
      again.socket.destroy();
      if (!opened) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(opened, 'the closed stream kept its slot');
  });
});
