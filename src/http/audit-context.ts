import type { FastifyInstance } from 'fastify';
import { userActor, withAudit } from '../services/audit-context.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The audit action of a write route, e.g. `post.publish` (ADR 0019). `false` only on a
     * route that writes nothing, with a comment saying why; test/http/audit-routes.test.ts
     * fails on a write method that declares neither.
     */
    audit?: string | false;
  }
}

/** A route as registered, with the audit action it declares (undefined: none). */
export interface AuditedRoute {
  method: string;
  url: string;
  audit: string | false | undefined;
}

const declared = new WeakMap<FastifyInstance, AuditedRoute[]>();

/** Every route of the app and the audit action it declares, for the check that none is missed. */
export function auditedRoutes(app: FastifyInstance): readonly AuditedRoute[] {
  return declared.get(app) ?? [];
}

/**
 * Sets the audit context for every route that declares `config.audit`: the signed-in actor
 * (auth hooks ran in onRequest, before this), the action, the request id and the client's
 * address. preHandler runs after the body is read, and `run(…, done)` carries the context
 * through the handler and every commit it makes. Authentication's own bookkeeping (a token's
 * or a session's "last used") happens before, outside any action, and is not audited.
 */
export function registerAuditContext(app: FastifyInstance): void {
  const routes: AuditedRoute[] = [];
  declared.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      routes.push({ method, url: route.url, audit: route.config?.audit });
  });
  app.addHook('preHandler', (request, _reply, done) => {
    const action = request.routeOptions.config.audit;
    if (typeof action !== 'string') return done();
    const actor = request.actor
      ? userActor(request.actor, request.actorTokenId)
      : { kind: 'anonymous' as const };
    withAudit({ actor, action, requestId: request.id, address: request.ip }, done);
  });
}
