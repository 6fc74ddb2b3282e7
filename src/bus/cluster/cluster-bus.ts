import cluster, { type Worker } from 'node:cluster';
import { stderrLog, type FaultLog } from '../../log.ts';
import { deliver, type ChangeBus, type ChangeNotice, type NoticeListener } from '../bus.ts';

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
    if (isNoticeMessage(message)) deliver(this.listeners, message.notice, this.log);
  };

  constructor(private readonly log: FaultLog = stderrLog()) {
    process.on('message', this.onMessage);
  }

  async announce(notice: ChangeNotice): Promise<void> {
    if (!process.connected || !process.send) return;
    // With a callback, a send on a channel that is closing reports to it instead of throwing
    // or emitting 'error' on `process`. The log poll delivers what this notice would have.
    process.send(
      { type: 'liveline:notice', notice } satisfies NoticeMessage,
      undefined,
      {},
      (error) => {
        if (error) this.log.warn({ err: error }, 'could not pass a change notice to the primary');
      },
    );
  }

  subscribe(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Notices travel while the channel to the primary is open. */
  healthy(): boolean {
    return process.connected;
  }

  onHealthChange(listener: (healthy: boolean) => void): () => void {
    const onDisconnect = () => listener(false);
    process.on('disconnect', onDisconnect);
    return () => process.off('disconnect', onDisconnect);
  }

  async close(): Promise<void> {
    process.off('message', this.onMessage);
    this.listeners.clear();
  }
}

/**
 * In the primary: passes every worker's notices on to all workers. A worker that is exiting
 * cannot take one: its send fails into the callback, and its 'error' events are logged, so
 * one dying worker never takes the primary (and every other worker) down with it.
 */
export function relayNotices(worker: Worker, log: FaultLog): void {
  worker.on('error', (error: Error) =>
    log.warn({ err: error, worker: worker.id }, 'worker channel error'),
  );
  worker.on('message', (message: unknown) => {
    if (!isNoticeMessage(message)) return;
    for (const each of Object.values(cluster.workers ?? {})) {
      if (!each?.isConnected()) continue;
      each.send(message, undefined, (error: Error | null) => {
        if (error) log.warn({ err: error, worker: each.id }, 'could not relay a notice');
      });
    }
  });
}
