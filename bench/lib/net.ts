import http from 'node:http';
import net from 'node:net';
import { sleep, type Started } from './procs.ts';

/** Every load target of these benchmarks is a loopback address: nothing leaves the machine. */
export function assertLoopback(host: string): void {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) {
    throw new Error(`refusing a non-loopback target: ${host}`);
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequest {
  host: string;
  port: number;
  method?: string;
  path: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
  agent?: http.Agent;
  timeoutMs?: number;
}

/** One HTTP request to a loopback server, bounded in time. */
export function request(options: HttpRequest): Promise<HttpResponse> {
  assertLoopback(options.host);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.host,
        port: options.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        agent: options.agent,
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`timeout: ${options.method ?? 'GET'} ${options.path}`)),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Waits until `check` answers true, failing early if the process dies. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; process?: Started },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.process?.hasExited()) {
      throw new Error(
        `${options.process.name} exited while waiting for ${what}:\n${options.process.tail()}`,
      );
    }
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(
    `timed out waiting for ${what}${options.process ? `:\n${options.process.tail()}` : ''}`,
  );
}

/** True when something accepts TCP connections on host:port. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
