import type { ChangeBus } from './bus/bus.ts';
import { MemoryBus } from './bus/memory/memory-bus.ts';
import cluster from 'node:cluster';
import { ClusterBus } from './bus/cluster/cluster-bus.ts';
import { RedisBus } from './bus/redis/redis-bus.ts';
import type { Config } from './config/config.ts';
import { serviceDeps, type ServiceDeps } from './services/deps.ts';
import { connectStore } from './store/connect.ts';

/**
 * Opens the store and bus the configuration names: what the server and the CLI share. Notices
 * travel over Redis when it is configured, between cluster workers through the primary
 * otherwise, and within the process when there is only one.
 */
export async function openServices(
  config: Config,
): Promise<ServiceDeps & { close(): Promise<void> }> {
  const store = await connectStore(config);
  const bus: ChangeBus = config.redisUrl
    ? await RedisBus.connect(config.redisUrl)
    : cluster.isWorker
      ? new ClusterBus()
      : new MemoryBus();
  return {
    ...serviceDeps({ store, bus }),
    async close() {
      await bus.close();
      await store.close();
    },
  };
}
