import { fileURLToPath } from 'node:url';
import type { Endpoint, FromClient, ToClient } from '../../clients/protocol.ts';
import { assertLoopback } from '../net.ts';
import { processTree } from '../proc-stats.ts';
import { sleep, start, stop, type Started } from '../procs.ts';

const CLIENT = fileURLToPath(new URL('../../clients/sse-client.ts', import.meta.url));
const now = () => performance.timeOrigin + performance.now();

interface Client {
  process: Started;
  /** This client's clock minus ours, in ms, measured over IPC. */
  offset: number;
  count: number;
}

/** Sends a message and waits for the first reply of the given type. */
function ask<T extends FromClient['type']>(
  client: Client,
  message: ToClient,
  type: T,
  timeoutMs: number,
): Promise<Extract<FromClient, { type: T }>> {
  return new Promise((resolve, reject) => {
    const child = client.process.child;
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`${client.process.name}: no '${type}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (reply: FromClient) => {
      if (reply.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(reply as Extract<FromClient, { type: T }>);
    };
    child.on('message', onMessage);
    if (message.type !== 'close') child.send(message);
  });
}

export interface Collected {
  /** Receive times on this process's clock. */
  times: Float64Array[];
  missing: number;
}

/** The SSE client processes of one run: each holds up to `perClient` readers. */
export class ClientPool {
  private constructor(private readonly clients: Client[]) {}

  /**
   * Starts `processes` clients; client i binds its sockets to 127.0.`subnet`.(10+i) so each has
   * its own ~28k ephemeral ports and runs never reuse each other's TIME_WAIT tuples.
   */
  static async start(processes: number): Promise<ClientPool> {
    const clients: Client[] = [];
    for (let i = 0; i < processes; i++) {
      const child = start(`sse-client-${i}`, process.execPath, ['--import', 'tsx', CLIENT], {
        ipc: true,
      });
      clients.push({ process: child, offset: 0, count: 0 });
    }
    const pool = new ClientPool(clients);
    try {
      await Promise.all(clients.map((client) => ask(client, { type: 'status' }, 'status', 60_000)));
      await pool.calibrate();
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  pids(): number[] {
    return this.clients.flatMap((client) => processTree(client.process.pid));
  }

  /** NTP-style: the round trip with the least delay gives each client's clock offset. */
  private async calibrate(): Promise<void> {
    for (const client of this.clients) {
      let best = { rtt: Infinity, offset: 0 };
      for (let i = 0; i < 20; i++) {
        const t = now();
        const pong = await ask(client, { type: 'ping', t }, 'pong', 5_000);
        const back = now();
        if (back - t < best.rtt) best = { rtt: back - t, offset: pong.tc - (t + back) / 2 };
      }
      client.offset = best.offset;
    }
  }

  offsets(): number[] {
    return this.clients.map((client) => client.offset);
  }

  /** Opens `total` readers spread over the clients and endpoints; returns how many opened. */
  async connect(
    total: number,
    endpoints: Endpoint[],
    options: {
      subnet: number;
      concurrency: number;
      timeoutMs: number;
      /** Readers per source address (127.<subnet>.a.b), instead of one address per client. */
      perAddress?: number;
    },
  ): Promise<{ ok: number; failed: number; errors: string[]; seconds: number }> {
    for (const endpoint of endpoints) assertLoopback(endpoint.host);
    const began = now();
    const per = Math.ceil(total / this.clients.length);
    const replies = await Promise.all(
      this.clients.map((client, i) => {
        client.count = Math.max(0, Math.min(per, total - i * per));
        return ask(
          client,
          {
            type: 'connect',
            endpoints,
            count: client.count,
            firstIndex: i * per,
            localAddress: options.perAddress
              ? `127.${options.subnet}`
              : `127.0.${options.subnet}.${10 + i}`,
            ...(options.perAddress && { perAddress: options.perAddress }),
            concurrency: options.concurrency,
            timeoutMs: options.timeoutMs,
          },
          'connected',
          options.timeoutMs + 30_000,
        );
      }),
    );
    return {
      ok: replies.reduce((sum, reply) => sum + reply.ok, 0),
      failed: replies.reduce((sum, reply) => sum + reply.failed, 0),
      errors: [...new Set(replies.flatMap((reply) => reply.errors))],
      seconds: (now() - began) / 1000,
    };
  }

  /**
   * The reconnect storm: every reader that was open and has been dropped reconnects at once
   * with Last-Event-ID. Resolves when each has its head back (or gave up at the timeout).
   */
  async reconnect(options: {
    concurrency: number;
    retryMs: number;
    timeoutMs: number;
  }): Promise<{ asked: number; ok: number; failedAttempts: number; errors: string[] }> {
    const replies = await Promise.all(
      this.clients.map((client) =>
        ask(client, { type: 'reconnect', ...options }, 'reconnected', options.timeoutMs + 30_000),
      ),
    );
    return {
      asked: replies.reduce((sum, reply) => sum + reply.asked, 0),
      ok: replies.reduce((sum, reply) => sum + reply.ok, 0),
      failedAttempts: replies.reduce((sum, reply) => sum + reply.failedAttempts, 0),
      errors: [...new Set(replies.flatMap((reply) => reply.errors))],
    };
  }

  /** Waits until every reader has the marker (or the timeout) and returns when each got it. */
  async collect(marker: number, timeoutMs: number): Promise<Collected> {
    const replies = await Promise.all(
      this.clients.map((client) =>
        ask(client, { type: 'collect', marker, timeoutMs }, 'collected', timeoutMs + 30_000),
      ),
    );
    return {
      times: replies.map((reply, i) => {
        const offset = this.clients[i]?.offset ?? 0;
        return reply.times.map((t) => t - offset);
      }),
      missing: replies.reduce((sum, reply) => sum + reply.missing, 0),
    };
  }

  /**
   * Waits until every reader has marker `last` (or the timeout), then returns, per marker from
   * `first`, when each reader that ever opened received it (our clock; NaN where it did not).
   */
  async collectRange(
    first: number,
    last: number,
    timeoutMs: number,
    everyReader = false,
  ): Promise<{ readers: number; times: Float64Array }[]> {
    const replies = await Promise.all(
      this.clients.map((client) =>
        ask(
          client,
          { type: 'collect-range', first, last, timeoutMs, everyReader },
          'collected-range',
          timeoutMs + 60_000,
        ),
      ),
    );
    return replies.map((reply, i) => {
      const offset = this.clients[i]?.offset ?? 0;
      return { readers: reply.readers, times: reply.times.map((t) => t - offset) };
    });
  }

  /** The data of the latest event the first reader received. */
  async sample(): Promise<string | null> {
    const first = this.clients[0];
    if (!first) return null;
    return (await ask(first, { type: 'sample' }, 'sample', 10_000)).data;
  }

  async status(): Promise<{
    open: number;
    dropped: number;
    events: number;
    bytes: number;
    idBreaks: number;
    idRepeats: number;
  }> {
    const replies = await Promise.all(
      this.clients.map((client) => ask(client, { type: 'status' }, 'status', 30_000)),
    );
    return {
      open: replies.reduce((sum, r) => sum + r.open, 0),
      dropped: replies.reduce((sum, r) => sum + r.droppedAfterConnect, 0),
      events: replies.reduce((sum, r) => sum + r.events, 0),
      bytes: replies.reduce((sum, r) => sum + r.bytes, 0),
      idBreaks: replies.reduce((sum, r) => sum + r.idBreaks, 0),
      idRepeats: replies.reduce((sum, r) => sum + r.idRepeats, 0),
    };
  }

  async close(): Promise<void> {
    for (const client of this.clients) {
      if (!client.process.hasExited()) {
        client.process.child.send({ type: 'close' } satisfies ToClient);
      }
    }
    // Each client exits by itself on 'close'; stop() is for the ones that do not.
    await Promise.all(
      this.clients.map((client) => Promise.race([client.process.exited, sleep(10_000)])),
    );
    await Promise.all(this.clients.map((client) => stop(client.process)));
  }
}
