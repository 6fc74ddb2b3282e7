import { Counter, Gauge, type Registry } from 'prom-client';
import { processFaults } from '../../process-guards.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { databaseAnswers } from './health.ts';

/**
 * Gauges of what this process depends on, read when /metrics is scraped: whether the
 * database answers, whether change notices travel (Redis, or the cluster channel), and how
 * many promise rejections escaped to the process (each one is a bug, and logged).
 */
export function registerDependencyMetrics(registry: Registry, services: ServiceDeps): void {
  new Gauge({
    name: 'liveline_database_up',
    help: '1 when the database answers a ping, 0 when it does not',
    registers: [registry],
    async collect() {
      this.set((await databaseAnswers(services.store)) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'liveline_bus_up',
    help: '1 when change notices travel; 0 when readers rely on polling the log (Redis down)',
    registers: [registry],
    collect() {
      this.set(services.bus.healthy() ? 1 : 0);
    },
  });
  let counted = 0;
  new Counter({
    name: 'liveline_unhandled_rejections_total',
    help: 'Promise rejections no code handled (logged; each one is a bug)',
    registers: [registry],
    collect() {
      this.inc(processFaults.unhandledRejections - counted);
      counted = processFaults.unhandledRejections;
    },
  });
}
