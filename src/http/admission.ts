import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface AdmissionOptions {
  /** How many new connections may read towards their first request at once. */
  reading?: number;
  /**
   * How long a new connection reads without completing a request before it is paused and
   * sent to the back of the line, so a silent one cannot keep its place. Each turn it loses
   * doubles its next one, up to `MAX_TURN_MS`.
   */
  turnMs?: number;
}

/** The longest turn a connection that keeps sending nothing gets. */
const MAX_TURN_MS = 1_000;

/** What the server's request callback and its metrics use of the gate. */
export interface Admission {
  /** The socket's request has arrived: its turn, if it was having one, ends. */
  arrived(socket: Socket): void;
  /** Connections accepted and waiting for a turn to read. */
  waiting(): number;
}

/** A connection reading towards its first request, and how its turn ends. */
interface Turn {
  timer: NodeJS.Timeout;
  closed: () => void;
  /** It lost a turn before: it reads in one of the places such connections may take. */
  again: boolean;
}

/**
 * Lets new connections read a few at a time (ADR 0033). node:http reads and parses every
 * connection that has data in one poll of the event loop: in a reconnect storm thousands of
 * readers' requests landed together, and a journalist's publish read in the same poll waited
 * behind all of them (217 ms for 1,357 requests). Here a connection starts paused; at most
 * `reading` of them read until their first request arrives, and one that has not completed
 * one within its turn is paused again and waits in a second line. New connections go
 * first, and those that lost a turn hold at most half the places: silent connections cannot
 * keep new readers waiting, nor cost more than a few hundred pauses a second.
 *
 * A quiet server admits every connection at once; only a crowd waits, in the kernel's
 * buffers, for its turn. The request callback calls `arrived` with each request's socket:
 * its first request ends its turn. Later requests on a kept-alive connection never wait.
 */
export function admitGradually(server: Server, options: AdmissionOptions = {}): Admission {
  const reading = options.reading ?? 128;
  const turnMs = options.turnMs ?? 10;
  const readingAgain = Math.max(1, Math.floor(reading / 2));
  // net.Server's switch for the accepted socket (net.createServer's `pauseOnConnect`):
  // node:http takes no such option but reads the property for every connection it accepts.
  (server as Server & { pauseOnConnect: boolean }).pauseOnConnect = true;
  // Waiting for a turn, oldest first: new connections, and those that lost a turn. A waiting
  // connection is paused, so only the server closes it (its headers timeout): it then leaves
  // its line at once, or a flood of silent connections would pile up there for good.
  const fresh = new Set<Socket>();
  const again = new Set<Socket>();
  const leaveLine = function (this: Socket) {
    fresh.delete(this);
    again.delete(this);
  };
  const wait = (line: Set<Socket>, socket: Socket) => {
    line.add(socket);
    socket.once('close', leaveLine);
  };
  const first = (line: Set<Socket>): Socket | undefined => {
    for (const socket of line) {
      line.delete(socket);
      socket.off('close', leaveLine);
      return socket;
    }
    return undefined;
  };
  const turns = new Map<Socket, Turn>();
  let turnsAgain = 0;
  /** How many turns each connection that lost one has lost. */
  const lost = new WeakMap<Socket, number>();

  const endTurn = (socket: Socket): boolean => {
    const turn = turns.get(socket);
    if (!turn) return false;
    clearTimeout(turn.timer);
    socket.off('close', turn.closed);
    turns.delete(socket);
    if (turn.again) turnsAgain -= 1;
    return true;
  };

  const next = (): Socket | undefined => {
    if (fresh.size > 0) return first(fresh);
    return turnsAgain < readingAgain ? first(again) : undefined;
  };

  const admit = () => {
    while (turns.size < reading) {
      const socket = next();
      if (!socket) return;
      if (!socket.destroyed) start(socket);
    }
  };

  const start = (socket: Socket) => {
    const losses = lost.get(socket) ?? 0;
    const timer = setTimeout(
      () => {
        // Still nothing complete: to the second line, not reading meanwhile.
        if (!endTurn(socket)) return;
        socket.pause();
        lost.set(socket, losses + 1);
        wait(again, socket);
        admit();
      },
      Math.min(MAX_TURN_MS, turnMs * 2 ** losses),
    );
    const closed = () => {
      endTurn(socket);
      admit();
    };
    socket.once('close', closed);
    turns.set(socket, { timer, closed, again: losses > 0 });
    if (losses > 0) turnsAgain += 1;
    socket.resume();
  };

  // After node:http's own listener (registered when the server was made), which readies the
  // connection's parser before it first reads.
  server.on('connection', (socket: Socket) => {
    wait(fresh, socket);
    admit();
  });

  return {
    arrived: (socket) => {
      if (endTurn(socket)) admit();
    },
    waiting: () => fresh.size + again.size,
  };
}
