import type { ChangeBus } from './bus/bus.ts';
import { MemoryBus } from './bus/memory/memory-bus.ts';
import cluster from 'node:cluster';
import { ClusterBus } from './bus/cluster/cluster-bus.ts';
import { RedisBus } from './bus/redis/redis-bus.ts';
import type { Config } from './config/config.ts';
import { ClusterBoard } from './presence/cluster/cluster-board.ts';
import type { PresenceBoard } from './presence/presence.ts';
import { RedisBoard } from './presence/redis/redis-board.ts';
import { stderrLog, type FaultLog } from './log.ts';
import { serviceDeps, type ServiceDeps } from './services/deps.ts';
import { connectStore } from './store/connect.ts';
import { OEmbedClient } from './embeds/oembed.ts';

/**
 * Opens the store and bus the configuration names: what the server and the CLI share. Notices
 * travel over Redis when it is configured, between cluster workers through the primary
 * otherwise, and within the process when there is only one. Both report connection faults
 * to `log` (the server's logger; JSON on stderr for the CLI).
 */
export async function openServices(
  config: Config,
  log: FaultLog = stderrLog(),
): Promise<ServiceDeps & { close(): Promise<void> }> {
  const store = await connectStore(config, log);
  const bus: ChangeBus = config.redisUrl
    ? await RedisBus.connect(config.redisUrl, { log })
    : cluster.isWorker
      ? new ClusterBus(log)
      : new MemoryBus(log);
  return {
    ...serviceDeps({
      store,
      bus,
      // Embeds (ADR 0021): providers' oEmbed answers describe embedded posts at publish.
      oembed: new OEmbedClient(config.oembed),
    }),
    async close() {
      await bus.close();
      await store.close();
    },
  };
}

/**
 * The presence board the configuration names, like the bus: Redis when configured, the
 * cluster primary's under WORKERS=N, or null for the server's own in-process board.
 */
export function openPresence(config: Config, log: FaultLog = stderrLog()): PresenceBoard | null {
  if (config.redisUrl) return RedisBoard.connect(config.redisUrl, { log });
  return cluster.isWorker ? new ClusterBoard({ log }) : null;
}
