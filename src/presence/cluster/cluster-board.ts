import cluster, { type Worker } from 'node:cluster';
import { stderrLog, type FaultLog } from '../../log.ts';
import { MemoryBoard } from '../memory/memory-board.ts';
import {
  DEFAULT_TTL_MS,
  type PresenceBoard,
  type PresenceEntry,
  type PresenceListener,
  type PresenceReport,
  type PutMode,
  type PutResult,
} from '../presence.ts';
import { PageWatchers } from '../watchers.ts';

/** A worker's question to the primary's board. */
type Request =
  | { op: 'put'; report: PresenceReport; mode: PutMode }
  | { op: 'remove'; pageId: string; connection: string }
  | { op: 'list'; pageId: string };

interface RequestMessage {
  type: 'liveline:presence';
  id: number;
  request: Request;
}
interface ReplyMessage {
  type: 'liveline:presence-reply';
  id: number;
  value?: unknown;
  error?: string;
}
interface ChangedMessage {
  type: 'liveline:presence-changed';
  pageId: string;
}

/** A worker gives up on the primary after this long: presence must never hold a request up. */
const REPLY_TIMEOUT_MS = 2_000;

/**
 * The board of `node:cluster` workers without Redis: the entries live in the primary (one
 * MemoryBoard there, see servePresence); a worker asks it over the IPC channel and hears
 * its "page P changed" like every other worker.
 */
export class ClusterBoard implements PresenceBoard {
  readonly ttlMs: number;
  private readonly watchers: PageWatchers;
  private readonly waiting = new Map<number, (reply: ReplyMessage) => void>();
  private next = 0;
  private readonly onMessage = (message: unknown) => {
    const m = message as { type?: unknown; id?: unknown; pageId?: unknown } | null;
    if (m?.type === 'liveline:presence-reply' && typeof m.id === 'number') {
      this.waiting.get(m.id)?.(m as ReplyMessage);
    } else if (m?.type === 'liveline:presence-changed' && typeof m.pageId === 'string') {
      this.watchers.changed(m.pageId);
    }
  };

  constructor(options: { ttlMs?: number; log?: FaultLog } = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.watchers = new PageWatchers(
      (pageId) => this.list(pageId),
      Math.max(10, Math.floor(this.ttlMs / 3)),
      options.log ?? stderrLog(),
    );
    process.on('message', this.onMessage);
  }

  put(report: PresenceReport, mode: PutMode): Promise<PutResult> {
    return this.ask({ op: 'put', report, mode }) as Promise<PutResult>;
  }

  async remove(pageId: string, connection: string): Promise<void> {
    await this.ask({ op: 'remove', pageId, connection });
  }

  list(pageId: string): Promise<PresenceEntry[]> {
    return this.ask({ op: 'list', pageId }) as Promise<PresenceEntry[]>;
  }

  watch(pageId: string, listener: PresenceListener): () => void {
    return this.watchers.watch(pageId, listener);
  }

  async close(): Promise<void> {
    this.watchers.close();
    process.off('message', this.onMessage);
  }

  private ask(request: Request): Promise<unknown> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      if (!process.connected || !process.send) {
        reject(new Error('the channel to the cluster primary is closed'));
        return;
      }
      const timer = setTimeout(
        () => settle({ type: 'liveline:presence-reply', id, error: 'the primary did not answer' }),
        REPLY_TIMEOUT_MS,
      );
      const settle = (reply: ReplyMessage) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        if (reply.error !== undefined) reject(new Error(reply.error));
        else resolve(reply.value);
      };
      this.waiting.set(id, settle);
      process.send(
        { type: 'liveline:presence', id, request } satisfies RequestMessage,
        undefined,
        {},
        (error) => {
          if (error) settle({ type: 'liveline:presence-reply', id, error: error.message });
        },
      );
    });
  }
}

/**
 * In the primary: the board every worker shares. A change is passed to all workers; a
 * worker that dies takes its desks' entries with it at once instead of leaving them to expire.
 */
export function presenceHub(log: FaultLog): { serve(worker: Worker): void } {
  const send = (worker: Worker | undefined, message: ReplyMessage | ChangedMessage) => {
    if (!worker?.isConnected()) return;
    worker.send(message, undefined, (error: Error | null) => {
      if (error) log.warn({ err: error, worker: worker.id }, 'could not pass on presence');
    });
  };
  const board = new MemoryBoard({
    log,
    onChange: (pageId) => {
      for (const worker of Object.values(cluster.workers ?? {})) {
        send(worker, { type: 'liveline:presence-changed', pageId });
      }
    },
  });
  return {
    serve(worker) {
      const held = new Map<string, string>();
      worker.on('message', (message: unknown) => {
        const m = message as Partial<RequestMessage> | null;
        if (m?.type !== 'liveline:presence' || typeof m.id !== 'number' || !m.request) return;
        const { id, request } = m as RequestMessage;
        const answer =
          request.op === 'put'
            ? board.put(request.report, request.mode).then((result) => {
                if (result !== 'missing')
                  held.set(request.report.connection, request.report.pageId);
                return result;
              })
            : request.op === 'remove'
              ? board.remove(request.pageId, request.connection).then(() => {
                  held.delete(request.connection);
                })
              : board.list(request.pageId);
        answer.then(
          (value) => send(worker, { type: 'liveline:presence-reply', id, value }),
          (error: Error) =>
            send(worker, { type: 'liveline:presence-reply', id, error: error.message }),
        );
      });
      worker.on('exit', () => {
        for (const [connection, pageId] of held) void board.remove(pageId, connection);
        held.clear();
      });
    },
  };
}
