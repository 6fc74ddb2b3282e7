/**
 * Opens N raw readers of an event stream and keeps them open, idle, until killed; tells its
 * parent "open" once every one has its stream's first event. Used by bench/idle-heap.ts.
 *
 *   node --import tsx bench/clients/idle-readers.ts <port> <path> <count>
 */
import net from 'node:net';

const [port, path, count] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4])];
let open = 0;
const sockets: net.Socket[] = [];
for (let i = 0; i < count; i++) {
  const socket = net.connect({ host: '127.0.0.1', port });
  let seen = false;
  socket.on('data', (data: Buffer) => {
    if (seen || !data.includes('event: clock')) return;
    seen = true;
    if (++open === count) process.send?.('open');
  });
  socket.on('error', (error) => console.error(`reader ${i}: ${error.message}`));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: bench\r\n\r\n`);
  sockets.push(socket);
  // A few hundred at a time, so the server's accept queue never overflows.
  if (i % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 20));
}
