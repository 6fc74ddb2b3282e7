import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Change } from '../domain/change.ts';
import type { FanoutHub } from './hub.ts';

/** Prometheus metrics of one process: the event stream's health, plus Node's own. */
export class LivelineMetrics {
  readonly registry = new Registry();
  private readonly delivered: Counter;
  private readonly cutOff: Counter;
  private readonly latency: Histogram;
  private hub: FanoutHub | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.delivered = new Counter({
      name: 'liveline_events_delivered_total',
      help: 'Change events written to readers',
      registers: [this.registry],
    });
    this.cutOff = new Counter({
      name: 'liveline_slow_readers_cut_off_total',
      help: 'Readers disconnected because they stopped reading',
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'liveline_publish_to_fanout_seconds',
      help: 'From the change entering the log to its bytes written to every reader of this process',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    const readers = () => this.hub;
    new Gauge({
      name: 'liveline_connected_readers',
      help: 'Readers connected to the event stream, per live page',
      labelNames: ['page'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [page, count] of readers()?.readerCounts() ?? []) this.set({ page }, count);
      },
    });
  }

  /** Reads reader counts from this hub when scraped. */
  watch(hub: FanoutHub): void {
    this.hub = hub;
  }

  recordDelivery(count: number, change: Change): void {
    this.delivered.inc(count);
    this.latency.observe(Math.max(0, Date.now() - Date.parse(change.at)) / 1000);
  }

  recordCutOff(): void {
    this.cutOff.inc();
  }
}
