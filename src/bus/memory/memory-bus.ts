import type { ChangeBus, ChangeNotice, NoticeListener } from '../bus.ts';

/** The one-process bus: notices go straight to this process's listeners. */
export class MemoryBus implements ChangeBus {
  private readonly listeners = new Set<NoticeListener>();

  async announce(notice: ChangeNotice): Promise<void> {
    for (const listener of this.listeners) listener(notice);
  }

  subscribe(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
