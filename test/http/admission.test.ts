import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { settledWithin, until, within } from '../support/deadline.ts';
import { admitGradually } from '../../src/http/admission.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const HEALTH_REQUEST = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';

/** A raw connection, once the server has accepted it, and its whole answer as text. */
async function openSilent(t: TestServer): Promise<{ socket: Socket; answer: Promise<string> }> {
  const { port } = new URL(t.url);
  const accepted = new Promise<void>((resolve) => t.app.server.once('connection', () => resolve()));
  const socket = connect(Number(port), '127.0.0.1');
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  const answer = new Promise<string>((resolve, reject) => {
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  await within(accepted, 5_000, 'the server accepting a connection');
  return { socket, answer };
}

/** Counts turns of the event loop until stopped: which turn each request was read in. */
function turnCounter(): { now: () => number; stop: () => void } {
  let turn = 0;
  let running = true;
  const tick = () => {
    turn += 1;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return { now: () => turn, stop: () => (running = false) };
}

describe('new connections read a few at a time (ADR 0033)', { timeout: 30_000 }, () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const t of servers) await t.close();
  });

  it('reads a crowd of requests a few a turn, and answers every one', async () => {
    const t = await startTestServer(undefined, { admission: { reading: 4, turnMs: 10_000 } });
    servers.push(t);
    const crowd = [];
    for (let i = 0; i < 40; i++) crowd.push(await openSilent(t));
    const turns = turnCounter();
    const readIn: number[] = [];
    t.app.server.prependListener('request', () => readIn.push(turns.now()));
    // Every request lands in the server's socket buffers at once, as a storm's do.
    for (const { socket } of crowd) socket.write(HEALTH_REQUEST);
    const answers = await within(
      Promise.all(crowd.map(({ answer }) => answer)),
      10_000,
      'an answer to each of 40 requests',
    );
    turns.stop();
    for (const answer of answers) assert.match(answer, /^HTTP\/1\.1 200 /);
    const perTurn = new Map<number, number>();
    for (const turn of readIn) perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
    assert.equal(readIn.length, 40);
    assert.ok(Math.max(...perTurn.values()) <= 4, `read per turn: ${[...perTurn.values()]}`);
    assert.ok(perTurn.size >= 10, `40 requests read in ${perTurn.size} turns`);
  });

  it('sends a silent connection to the back of the line, and still answers it later', async () => {
    const t = await startTestServer(undefined, { admission: { reading: 1, turnMs: 50 } });
    servers.push(t);
    // The only place to read is the silent connection's until its turn ends.
    const silent = await openSilent(t);
    const next = await openSilent(t);
    next.socket.write(HEALTH_REQUEST);
    assert.match(await within(next.answer, 5_000, 'the answer behind a silent connection'), /200/);
    silent.socket.write(HEALTH_REQUEST);
    assert.match(await within(silent.answer, 5_000, 'the late request answered'), /200/);
  });

  it('keeps places for new connections while silent ones take longer and longer turns', async () => {
    const t = await startTestServer(undefined, { admission: { reading: 2, turnMs: 20 } });
    servers.push(t);
    const silent = [await openSilent(t), await openSilent(t)];
    // Turns of 20, 40, 80 … ms lost: by now each silent one would hold a place for a second.
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const fresh = await openSilent(t);
    const sent = performance.now();
    fresh.socket.write(HEALTH_REQUEST);
    assert.match(await within(fresh.answer, 5_000, 'the new connection answered'), /200/);
    const waited = performance.now() - sent;
    assert.ok(waited < 300, `a new connection waited ${Math.round(waited)} ms behind silent ones`);
    for (const { socket } of silent) socket.destroy();
  });

  it('forgets a waiting connection as soon as the server closes it', async () => {
    // node:http's own server with the gate alone: the count of connections in line is what
    // the gate keeps, and what /metrics reports as liveline_connections_waiting.
    const server = createServer((req, res) => {
      line.arrived(req.socket);
      res.end('ok');
    });
    const line = admitGradually(server, { reading: 1, turnMs: 10_000 });
    const accepted: Socket[] = [];
    server.on('connection', (socket: Socket) => accepted.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const clients: Socket[] = [];
    try {
      // One silent connection holds the only place; five more wait in line behind it.
      for (let i = 0; i < 6; i++) clients.push(connect(port, '127.0.0.1').on('error', () => {}));
      await until(
        () => accepted.length === 6,
        5_000,
        (ms) => `6 accepted within ${ms} ms`,
      );
      assert.equal(line.waiting(), 5);
      // The server closes those in line (its headers timeout does, for silent ones): none
      // may stay in the line while the first keeps its turn (a turn lasts at most 1 s; when
      // it ends, the line is walked and the closed ones are skipped, too late in a flood).
      for (const socket of accepted.slice(1)) socket.destroy();
      await until(
        () => line.waiting() === 0,
        300,
        (ms) => `${line.waiting()} closed connections still in line after ${ms} ms`,
      );
    } finally {
      for (const socket of clients) socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('holds a new connection while the places are taken, and frees one when a reader leaves', async () => {
    const t = await startTestServer(undefined, { admission: { reading: 2, turnMs: 10_000 } });
    servers.push(t);
    // Two silent connections hold both places for ten seconds; a third must wait for them.
    const holders = [await openSilent(t), await openSilent(t)];
    const waiting = await openSilent(t);
    waiting.socket.write(HEALTH_REQUEST);
    assert.equal(
      await settledWithin(waiting.answer, 300),
      false,
      'a third connection read while two hold their turns',
    );
    // A place frees when a holder's request arrives, or when it goes away.
    holders[0]?.socket.destroy();
    assert.match(await within(waiting.answer, 5_000, 'the answer once a place freed'), /200/);
    holders[1]?.socket.write(HEALTH_REQUEST);
    assert.match(await within(holders[1]!.answer, 5_000, 'the holder answered'), /200/);
  });
});
