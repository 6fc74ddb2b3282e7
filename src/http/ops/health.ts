import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Store } from '../../store/store.ts';
import type { HttpDeps } from '../deps.ts';

/** A database that has not answered a ping in this long counts as down. */
const PING_TIMEOUT_MS = 2_000;

/** Whether the database answers a trivial query within the timeout. Never rejects. */
export async function databaseAnswers(store: Store, timeoutMs = PING_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const answered = store.ping().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /healthz: which dependency is down, if any. The database down is 503 `unavailable` (no
 * request can be served); the change bus (Redis) down is 200 `degraded`: everything works and
 * readers get changes by polling the log, a little later.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, { services }) => {
  app.get(
    '/healthz',
    { schema: { tags: ['operations'], summary: 'Liveness and database check' } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      const database = await databaseAnswers(services.store);
      const bus = services.bus.healthy();
      const down = [...(database ? [] : ['database']), ...(bus ? [] : ['bus'])];
      const status = !database ? 'unavailable' : !bus ? 'degraded' : 'ok';
      return reply.code(database ? 200 : 503).send({ status, database: services.store.kind, down });
    },
  );
};
