import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Resolves true once node:http has given `res` its connection: at once, unless the request
 * was pipelined behind another on the same connection, whose answer must be written first.
 * Resolves false if the connection closes before that.
 */
export function answerable(res: ServerResponse, socket: Socket): Promise<boolean> {
  if (res.socket === socket) return Promise.resolve(true);
  if (socket.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const assigned = () => {
      socket.off('close', closed);
      resolve(true);
    };
    const closed = () => {
      res.off('socket', assigned);
      resolve(false);
    };
    res.once('socket', assigned);
    socket.once('close', closed);
  });
}
