import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { until } from './deadline.ts';

export interface Received {
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived: the signature is over these bytes. */
  raw: string;
  json: { id: string; type: string; [key: string]: unknown };
}

/**
 * How the receiver answers the n-th request (1-based): a status (its body says which answer it
 * is), a status with a body of its own, or never (hangs).
 */
export type Answer = (
  n: number,
  received: Received,
) => number | { status: number; body: string; delayMs?: number } | 'hang';

export interface WebhookReceiver {
  /** http://127.0.0.1:PORT/hook */
  url: string;
  received: Received[];
  /** Waits until `count` requests arrived, or fails naming how many did. */
  waitFor(count: number, ms?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A partner's receiver on the loopback interface, answering as `answer` says. */
export async function startReceiver(answer: Answer = () => 200): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const entry: Received = {
        headers: req.headers,
        raw,
        json: JSON.parse(raw) as Received['json'],
      };
      received.push(entry);
      const status = answer(received.length, entry);
      if (status === 'hang') {
        hanging.push(res);
        return;
      }
      const { code, body, delayMs } =
        typeof status === 'number'
          ? { code: status, body: `answer ${received.length}`, delayMs: 0 }
          : { code: status.status, body: status.body, delayMs: status.delayMs ?? 0 };
      const send = () => res.writeHead(code, { 'content-type': 'text/plain' }).end(body);
      if (delayMs > 0) setTimeout(send, delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    async waitFor(count, ms = 5000) {
      await until(
        () => received.length >= count,
        ms,
        (after) => `${count} webhook requests within ${after} ms (got ${received.length})`,
      );
      return received;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
