import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Change } from '../domain/change.ts';
import type { FanoutHub, HubFailure } from './hub.ts';

/** What the metrics read from the render cache when scraped. */
export interface CacheSize {
  size(): { entries: number; bytes: number };
}

/** The gate new connections wait at (src/http/admission.ts). */
export interface ConnectionLine {
  waiting(): number;
}

/** Prometheus metrics of one process: the event stream's health, plus Node's own. */
export class LivelineMetrics {
  readonly registry = new Registry();
  private readonly delivered: Counter;
  private readonly cutOff: Counter;
  private readonly latency: Histogram;
  private readonly screenLatency: Histogram;
  private readonly hubErrors: Counter<'during'>;
  private readonly snapshots: Counter;
  private readonly refused: Counter<'reason'>;
  private hub: FanoutHub | null = null;
  private cache: CacheSize | null = null;
  private admission: ConnectionLine | null = null;

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
    this.screenLatency = new Histogram({
      name: 'liveline_publish_to_screen_seconds',
      help: 'From the change entering the log to a reader page showing it, as sampled pages report it',
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.hubErrors = new Counter({
      name: 'liveline_fanout_errors_total',
      help: 'Failed change-log reads or renders in the fan-out hub (each is retried with backoff)',
      labelNames: ['during'],
      registers: [this.registry],
    });
    this.snapshots = new Counter({
      name: 'liveline_snapshots_rendered_total',
      help: 'Page snapshots rendered for readers too far behind to replay',
      registers: [this.registry],
    });
    this.refused = new Counter({
      name: 'liveline_streams_refused_total',
      help: 'Event-stream connections refused by the per-address or total bound',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    const cache = () => this.cache?.size();
    new Gauge({
      name: 'liveline_render_cache_bytes',
      help: 'Bytes held by the cache of rendered reader pages',
      registers: [this.registry],
      collect() {
        this.set(cache()?.bytes ?? 0);
      },
    });
    new Gauge({
      name: 'liveline_render_cache_entries',
      help: 'Rendered reader pages held in the cache',
      registers: [this.registry],
      collect() {
        this.set(cache()?.entries ?? 0);
      },
    });
    const admission = () => this.admission;
    new Gauge({
      name: 'liveline_connections_waiting',
      help: 'Connections accepted and waiting for their turn to read a first request (ADR 0033)',
      registers: [this.registry],
      collect() {
        this.set(admission()?.waiting() ?? 0);
      },
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

  /** Delays (ms) reader pages reported (src/http/reader/latency.ts). */
  recordScreenLatency(delays: readonly number[]): void {
    for (const ms of delays) this.screenLatency.observe(ms / 1000);
  }

  recordCutOff(): void {
    this.cutOff.inc();
  }

  /** Reads the render cache's size when scraped. */
  watchCache(cache: CacheSize): void {
    this.cache = cache;
  }

  /** Reads how many connections wait for a turn from this gate when scraped. */
  watchAdmission(admission: ConnectionLine): void {
    this.admission = admission;
  }

  recordHubError(during: HubFailure): void {
    this.hubErrors.inc({ during });
  }

  recordSnapshot(): void {
    this.snapshots.inc();
  }

  recordRefused(reason: 'address' | 'total'): void {
    this.refused.inc({ reason });
  }
}
