/** Messages between a benchmark and its SSE client processes (IPC, structured clone). */

export interface Endpoint {
  host: string;
  port: number;
  path: string;
}

export type ToClient =
  | {
      type: 'connect';
      endpoints: Endpoint[];
      count: number;
      /** Reader i of this client connects to endpoints[(firstIndex + i) % endpoints.length]. */
      firstIndex: number;
      localAddress: string;
      /**
       * Spread readers over many source addresses, this many each (a server's per-address
       * stream bound stays on); `localAddress` is then a prefix `127.x` and reader k of the
       * run binds `127.x.a.b`, a = k / perAddress as a = 250 * (a) + (b - 1).
       */
      perAddress?: number;
      concurrency: number;
      timeoutMs: number;
    }
  /**
   * A reconnect storm: every reader that was ever open and is now closed reconnects at once
   * (up to `concurrency` in flight) with Last-Event-ID, a refused or failed one again after
   * `retryMs`, until `timeoutMs`.
   */
  | { type: 'reconnect'; concurrency: number; retryMs: number; timeoutMs: number }
  | { type: 'ping'; t: number }
  /** Answer once every connected reader has seen the marker, or at the deadline. */
  | { type: 'collect'; marker: number; timeoutMs: number }
  /** A burst: answer once every connected reader has seen `last`, with every marker from `first`. */
  | {
      type: 'collect-range';
      first: number;
      last: number;
      timeoutMs: number;
      /** Wait for every reader that was ever open, not only those open now (a storm). */
      everyReader?: boolean;
    }
  | { type: 'sample' }
  | { type: 'status' }
  | { type: 'close' };

export type FromClient =
  | { type: 'ready' }
  | { type: 'connected'; ok: number; failed: number; errors: string[]; ms: number }
  | {
      type: 'reconnected';
      /** Readers that asked to resume, those whose head came back 200, attempts that failed. */
      asked: number;
      ok: number;
      failedAttempts: number;
      errors: string[];
      ms: number;
    }
  | { type: 'pong'; t: number; tc: number }
  /** Receive times (the client's clock, ms since the epoch) of the readers that got it. */
  | { type: 'collected'; marker: number; times: Float64Array; missing: number }
  /**
   * Per marker first..last, `readers` receive times (NaN: never received; readers that were
   * never open are left out): marker m's start at (m - first) * readers.
   */
  | { type: 'collected-range'; first: number; last: number; readers: number; times: Float64Array }
  | { type: 'sample'; data: string | null }
  | {
      type: 'status';
      open: number;
      droppedAfterConnect: number;
      events: number;
      bytes: number;
      lastId: string;
      /** Summed over readers: ids that did not follow the previous one, and repeats. */
      idBreaks: number;
      idRepeats: number;
    };
