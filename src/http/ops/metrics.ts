import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LivelineError } from '../../domain/errors.ts';
import type { LivelineMetrics } from '../../realtime/metrics.ts';
import type { HttpDeps } from '../deps.ts';

/** Compares digests, so the time taken says nothing about how much of the token matched. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * /metrics: Prometheus text format. It shows process details and readers per page, so it is
 * not public: without METRICS_TOKEN it does not exist (404), with it only
 * `Authorization: Bearer <METRICS_TOKEN>` may read it (a scraper's credential, not a user's).
 */
export const metricsRoutes: FastifyPluginAsyncTypebox<
  HttpDeps & { metrics: LivelineMetrics; metricsToken: string | null }
> = async (app, { metrics, metricsToken }) => {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (metricsToken === null) {
      throw new LivelineError('ROUTE_NOT_FOUND', `Nothing at ${request.method} ${request.url}.`);
    }
    const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    if (!match?.[1] || !sameSecret(match[1], metricsToken)) {
      throw new LivelineError(
        'UNAUTHENTICATED',
        'Metrics need "Authorization: Bearer <METRICS_TOKEN>".',
      );
    }
    reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store');
    return metrics.registry.metrics();
  });
};
