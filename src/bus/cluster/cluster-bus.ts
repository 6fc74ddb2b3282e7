import cluster, { type Worker } from 'node:cluster';
import type { ChangeBus, ChangeNotice, NoticeListener } from '../bus.ts';

interface NoticeMessage {
  type: 'liveline:notice';
  notice: ChangeNotice;
}

function isNoticeMessage(message: unknown): message is NoticeMessage {
  return (message as NoticeMessage | null)?.type === 'liveline:notice';
}

/**
 * The bus between `node:cluster` workers on one machine without Redis: a worker sends its
 * notice to the primary, which passes it to every worker, the sender included.
 */
export class ClusterBus implements ChangeBus {
  private readonly listeners = new Set<NoticeListener>();
  private readonly onMessage = (message: unknown) => {
    if (isNoticeMessage(message)) for (const listener of this.listeners) listener(message.notice);
  };

  constructor() {
    process.on('message', this.onMessage);
  }

  async announce(notice: ChangeNotice): Promise<void> {
    process.send?.({ type: 'liveline:notice', notice } satisfies NoticeMessage);
  }

  subscribe(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    process.off('message', this.onMessage);
    this.listeners.clear();
  }
}

/** In the primary: passes every worker's notices on to all workers. */
export function relayNotices(worker: Worker): void {
  worker.on('message', (message: unknown) => {
    if (!isNoticeMessage(message)) return;
    for (const each of Object.values(cluster.workers ?? {})) each?.send(message);
  });
}
