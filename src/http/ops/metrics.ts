import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LivelineMetrics } from '../../realtime/metrics.ts';
import type { HttpDeps } from '../deps.ts';

/** /metrics: Prometheus text format. */
export const metricsRoutes: FastifyPluginAsyncTypebox<
  HttpDeps & { metrics: LivelineMetrics }
> = async (app, { metrics }) => {
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store');
    return metrics.registry.metrics();
  });
};
