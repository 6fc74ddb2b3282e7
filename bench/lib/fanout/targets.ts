import http from 'node:http';
import type { Endpoint } from '../../clients/protocol.ts';
import { fileURLToPath } from 'node:url';
import { ApiClient, createToken, HOST, startLiveline, tempDir } from '../liveline.ts';
import { accepts, freePort, request, waitUntil } from '../net.ts';
import { processTree } from '../proc-stats.ts';
import { start, stop } from '../procs.ts';
import { nchanConf, startNginx } from '../nginx.ts';
import { marker, postInput } from '../post-body.ts';

/** A server readers subscribe to and posts are published through. */
export interface FanoutTarget {
  name: string;
  endpoints: Endpoint[];
  /** The server's processes now (root and descendants). */
  serverPids(): number[];
  /** Publishes post number `n`; resolves when the publisher got its answer. */
  publish(n: number): Promise<void>;
  stop(): Promise<void>;
}

const SLUG = 'bench-fanout';
const BARE_SSE = fileURLToPath(new URL('../../servers/bare-sse.ts', import.meta.url));

/** Liveline with WORKERS processes; posts go through the authenticated JSON API. */
export async function livelineTarget(options: {
  workers: number;
  cpuProfDir?: string;
  nodeArgs?: string[];
  echo?: boolean;
}): Promise<FanoutTarget> {
  const dataDir = tempDir('fanout');
  const token = await createToken(dataDir);
  const server = await startLiveline({
    dataDir,
    env: { WORKERS: String(options.workers) },
    cpuProfDir: options.cpuProfDir,
    nodeArgs: options.nodeArgs,
    echo: options.echo,
  });
  const api = new ApiClient(server.host, server.port, token);
  try {
    await api.createPage(SLUG, 'Fan-out benchmark');
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    name: 'Liveline',
    endpoints: [{ host: server.host, port: server.port, path: `/live/${SLUG}/events` }],
    serverPids: () => server.pids(),
    publish: (n) => api.publish(SLUG, JSON.stringify(postInput(n))),
    async stop() {
      api.close();
      await server.stop();
    },
  };
}

/**
 * nginx + nchan with `workers` worker processes, publishing `payload(n)`: the same event data
 * Liveline sent, so both push the same bytes.
 */
export async function nchanTarget(options: {
  workers: number;
  payload: (n: number) => string;
}): Promise<FanoutTarget> {
  const nginx = await startNginx(tempDir('nchan'), (dir, port) =>
    nchanConf(dir, port, options.workers),
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    name: 'nchan',
    endpoints: [{ host: nginx.host, port: nginx.port, path: `/sub?id=${SLUG}` }],
    serverPids: () => nginx.pids(),
    async publish(n) {
      const body = options.payload(n);
      const response = await request({
        host: nginx.host,
        port: nginx.port,
        method: 'POST',
        path: `/pub?id=${SLUG}`,
        agent,
        headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) },
        body,
      });
      if (response.status < 200 || response.status > 299) {
        throw new Error(`nchan publish answered ${response.status}`);
      }
    },
    async stop() {
      agent.destroy();
      await nginx.stop();
    },
  };
}

/**
 * The floor for Node on this machine: bench/servers/bare-sse.ts writing one prepared buffer
 * to each socket, publishing the same event data as nchan.
 */
export async function bareTarget(options: {
  payload: (n: number) => string;
}): Promise<FanoutTarget> {
  const port = await freePort();
  const child = start('bare-sse', process.execPath, ['--import', 'tsx', BARE_SSE, String(port)]);
  await waitUntil(`bare-sse on port ${port}`, () => accepts(HOST, port), {
    timeoutMs: 30_000,
    process: child,
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    name: 'bare node',
    endpoints: [{ host: HOST, port, path: '/events' }],
    serverPids: () => processTree(child.pid),
    async publish(n) {
      const body = options.payload(n);
      const response = await request({
        host: HOST,
        port,
        method: 'POST',
        path: '/pub',
        agent,
        headers: { 'content-length': Buffer.byteLength(body) },
        body,
      });
      if (response.status !== 201) throw new Error(`bare-sse publish answered ${response.status}`);
    },
    async stop() {
      agent.destroy();
      await stop(child);
    },
  };
}

/** Event data for nchan: Liveline's own event with the marker swapped, or a stand-in. */
export function payloadFrom(sample: string | null, sampleMarker: number, bytes: number) {
  const old = marker(sampleMarker);
  if (sample?.includes(old)) return (n: number) => sample.split(old).join(marker(n));
  return (n: number) => `{"kind":"post.published","html":"${marker(n)}${'x'.repeat(bytes)}"}`;
}
