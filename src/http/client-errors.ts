import type { Socket } from 'node:net';
import { ERRORS, type ErrorCode } from '../domain/errors.ts';
import { statusOf, titleOf } from './problem.ts';

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a control character in a
 * header, headers too large, a broken request line) still get a problem document from the
 * catalogue, written straight to the socket, which is then closed.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'HEADERS_TOO_LARGE'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'REQUEST_TIMEOUT'
        : 'MALFORMED_REQUEST';
  const status = statusOf(code);
  const body = JSON.stringify({
    type: `/docs/errors#${code}`,
    title: titleOf(status),
    status,
    code,
    detail: ERRORS[code],
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${titleOf(status)}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\nConnection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy();
}
