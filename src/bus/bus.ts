/**
 * Change notifications: "page P has changes up to sequence S". A notice carries no data; a
 * listener reads the change log, so a lost notice costs latency, never an update.
 */
export interface ChangeNotice {
  pageId: string;
  seq: number;
}

export type NoticeListener = (notice: ChangeNotice) => void;

export interface ChangeBus {
  /**
   * Sends a notice. Never waits on the network and never rejects: the change is committed
   * before this is called, and a notice that does not arrive is made up for by the log poll.
   */
  announce(notice: ChangeNotice): Promise<void>;
  /** Calls `listener` for every notice, from this process or (with Redis) any other. */
  subscribe(listener: NoticeListener): () => void;
  /**
   * Whether notices are travelling now. While they are not, readers rely on the log poll, and
   * /healthz and /metrics say so.
   */
  healthy(): boolean;
  /** Calls `listener` each time `healthy()` changes; returns a function that stops it. */
  onHealthChange(listener: (healthy: boolean) => void): () => void;
  close(): Promise<void>;
}

/**
 * Hands a notice to every listener. One that throws is logged and the others still hear it:
 * a notice is delivered after the write committed, so nothing may turn it into a failure.
 */
export function deliver(
  listeners: Iterable<NoticeListener>,
  notice: ChangeNotice,
  log: { error(object: object, message: string): void },
): void {
  for (const listener of listeners) {
    try {
      listener(notice);
    } catch (error) {
      log.error({ err: error, notice }, 'a change-notice listener failed');
    }
  }
}
