import { createRequire } from 'node:module';
import { Socket } from 'node:net';

/**
 * node:http's per-connection state, as it hangs off a server socket (Node 20: lib/_http_server.js,
 * `connectionListenerInternal`). Only what `releaseHttpState` touches is named.
 */
interface ParsedSocket extends Socket {
  parser?: unknown;
}

interface HttpCommon {
  freeParser(parser: unknown, request: unknown, socket: unknown): void;
}

interface ConsumingParser {
  _consumed?: boolean;
  unconsume?: () => void;
  finish?: () => unknown;
}

const httpCommon = createRequire(import.meta.url)('_http_common') as Partial<HttpCommon>;

/**
 * The listeners node:http puts on every connection it serves, by the names Node gives them
 * (bound ones are "bound socketOnData" and so on). They hold the parser, the request and the
 * connection's state object for as long as the socket lives.
 */
const HTTP_LISTENERS: Record<string, readonly string[]> = {
  data: ['bound socketOnData'],
  end: ['bound socketOnEnd'],
  close: ['bound socketOnClose'],
  drain: ['bound socketOnDrain'],
  error: ['socketOnError'],
  timeout: ['socketOnTimeout'],
  resume: ['onSocketResume'],
  pause: ['onSocketPause'],
};

/** The peer finished sending: the stream ends too (node:http does the same for its sockets). */
function endWhenPeerEnds(this: Socket): void {
  this.end();
}

/** A socket error is followed by `close`, which disconnects the reader; nothing else to do. */
function ignoreError(): void {}

/**
 * Takes a server socket whose response head is written out of node:http, as an upgrade
 * (WebSocket) does: node:http's listeners come off it, its parser goes back to the pool and
 * the finished request with it. About 2 to 3 KB of heap per long-lived stream (bound
 * listeners, the parser, the request's strings and objects, per-socket wrappers) that
 * nothing would read again. What node:http did for the socket and is still needed is kept:
 * a peer that half-closes gets the stream ended, an error cannot crash the process (the
 * `close` that follows is the caller's to handle), and reads go on so both are seen.
 *
 * Returns false, and changes nothing, when the socket is not in the state this expects
 * (already released, or a Node whose internals differ): the stream then works as before.
 */
export function releaseHttpState(socket: Socket): boolean {
  const parsed = socket as ParsedSocket;
  const parser = parsed.parser as ConsumingParser | null | undefined;
  const freeParser = httpCommon.freeParser;
  if (!parser || typeof freeParser !== 'function' || socket.destroyed) return false;
  const found = Object.entries(HTTP_LISTENERS).flatMap(([event, names]) =>
    socket.rawListeners(event).flatMap((listener) => {
      const fn = listener as (...args: unknown[]) => void;
      return names.includes(fn.name) ? [{ event, fn }] : [];
    }),
  );
  // Without node:http's own data and error listeners this is not a socket it set up as
  // expected: leave it alone rather than half-release it.
  if (!found.some((l) => l.event === 'data') || !found.some((l) => l.event === 'error')) {
    return false;
  }
  // Ours first, so the socket is never without an error listener.
  socket.on('error', ignoreError);
  socket.on('end', endWhenPeerEnds);
  for (const { event, fn } of found) socket.removeListener(event, fn);
  // node:http wraps these per socket (to stop consuming on a `data` listener); the shared
  // prototype methods do the same job now that nothing consumes the socket.
  socket.on = Socket.prototype.on;
  socket.addListener = Socket.prototype.addListener;
  socket.prependListener = Socket.prototype.prependListener;
  socket.setEncoding = Socket.prototype.setEncoding;
  if (parser._consumed) parser.unconsume?.();
  parser._consumed = false;
  parser.finish?.();
  freeParser(parser, null, socket);
  // Reads go on (and are dropped: a reader has nothing more to say), so EOF and errors
  // are still noticed.
  socket.resume();
  return true;
}
