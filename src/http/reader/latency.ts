import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { invalid } from '../../domain/errors.ts';
import { MAX_LATENCY_MS } from '../../realtime/latency/histogram.ts';
import type { LatencyBoard } from '../../realtime/latency/latency-board.ts';
import {
  CLOCK_TOLERANCE_MS,
  MAX_REPORT_ITEMS,
  REPORT_BODY_LIMIT,
  REPORTS_PER_ADDRESS_PER_MINUTE,
} from '../../realtime/latency/reporting.ts';
import { findPage } from '../../services/pages.ts';
import { spend } from '../auth.ts';
import type { HttpDeps } from '../deps.ts';
import { SlugParams } from '../schemas/common.ts';
import { SafeCount } from '../../domain/schemas.ts';
import { addressKey } from '../../net/ip-address.ts';

/** One delay a reader page saw: the change's seq and ms from its logging to the screen. */
const LatencyReport = Type.Array(
  Type.Object(
    {
      seq: SafeCount(1),
      ms: Type.Number({ minimum: -CLOCK_TOLERANCE_MS, maximum: MAX_LATENCY_MS }),
    },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: MAX_REPORT_ITEMS },
);

/**
 * POST /live/{slug}/latency: a reader page's sampled publish-to-screen delays. Anonymous,
 * so it costs no more than a page read: a 2 KiB body, a schema, a per-address limit, one
 * indexed read of the page, and the delays go to memory (the latency board), never to the
 * database. It reads no cookie, sets none, and answers 204 with nothing to track.
 */
export const latencyReportRoutes: FastifyPluginAsyncTypebox<
  HttpDeps & { board: LatencyBoard; onReport?: (delays: readonly number[]) => void }
> = async (app, { services, board, onReport }) => {
  const perAddress = app.createRateLimit({
    max: REPORTS_PER_ADDRESS_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (request) => `latency|${addressKey(request.ip)}`,
  });
  app.post(
    '/live/:slug/latency',
    {
      bodyLimit: REPORT_BODY_LIMIT,
      // An anonymous reader's delays, kept in memory: no write to the database, no actor.
      config: { audit: false },
      // Counted before the body is read: a limited report costs nothing more.
      onRequest: (request, reply) =>
        spend(perAddress, request, reply, 'Too many latency reports from this address'),
      // The reader script's own contract, like the desk's routes: not in the public API.
      schema: {
        tags: ['reader'],
        hide: true,
        summary: "A reader page's sampled publish-to-screen delays",
        params: SlugParams,
        body: LatencyReport,
      },
    },
    async (request, reply) => {
      const page = await findPage(services.store, request.params.slug);
      const future = request.body.findIndex((item) => item.seq > page.lastSeq);
      if (future >= 0)
        throw invalid(`body/${future}/seq`, 'the page has no change with this seq yet');
      // Within the clock tolerance, below zero is the offset's error: counted as no delay.
      const delays = request.body.map((item) => Math.max(0, item.ms));
      board.record(page.id, delays);
      onReport?.(delays);
      reply.header('cache-control', 'no-store');
      return reply.code(204).send();
    },
  );
};
