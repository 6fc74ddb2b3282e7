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
  announce(notice: ChangeNotice): Promise<void>;
  /** Calls `listener` for every notice, from this process or (with Redis) any other. */
  subscribe(listener: NoticeListener): () => void;
  close(): Promise<void>;
}
