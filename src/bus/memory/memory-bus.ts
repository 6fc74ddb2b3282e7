import { stderrLog, type FaultLog } from '../../log.ts';
import { deliver, type ChangeBus, type ChangeNotice, type NoticeListener } from '../bus.ts';

/** The one-process bus: notices go straight to this process's listeners. */
export class MemoryBus implements ChangeBus {
  private readonly listeners = new Set<NoticeListener>();

  constructor(private readonly log: FaultLog = stderrLog()) {}

  async announce(notice: ChangeNotice): Promise<void> {
    deliver(this.listeners, notice, this.log);
  }

  subscribe(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Within one process nothing can come between a notice and its listeners. */
  healthy(): boolean {
    return true;
  }

  onHealthChange(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
