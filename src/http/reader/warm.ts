import type { FastifyInstance } from 'fastify';
import type { ServiceDeps } from '../../services/deps.ts';
import { listPages } from '../../services/pages.ts';

/** How many live pages a starting process reads through its own route before it listens. */
const WARMED_PAGES = 20;

/**
 * Reads the newest live pages once each, as a reader would, before the server takes
 * traffic: their renders land in the cache, and the code that renders pages and their live
 * events (the same components) is compiled. A restart is followed by every reader at once
 * (a reconnect storm): cold, the first live event rendered for them took 80 to 90 ms in one
 * piece, and a publish that arrived meanwhile waited for it. Returns how many were read.
 */
export async function warmLivePages(app: FastifyInstance, services: ServiceDeps): Promise<number> {
  const live = (await listPages(services))
    .filter((page) => page.status === 'live')
    .slice(0, WARMED_PAGES);
  for (const page of live) await app.inject({ method: 'GET', url: `/live/${page.slug}` });
  return live.length;
}
