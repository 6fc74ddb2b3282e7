import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditedRoutes } from '../../src/http/audit-context.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { registeredRoutes } from '../support/routes.ts';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Routes with a write method that write nothing, each with its reason. `config: { audit:
 * false }` anywhere else fails this test: a new exception is a decision made here, in review.
 */
const NOT_WRITES: Record<string, string> = {
  'POST /desk/api/preview': 'renders a post that is not stored',
  'PUT /desk/api/pages/:slug/presence': 'says what a desk tab does, on the presence board only',
  'POST /live/:slug/latency': "an anonymous reader's delays, kept in memory",
  // Anonymous: auditing them would let anyone grow the audit log, which is never pruned.
  'POST /live/:slug/alerts': "an anonymous reader's push subscription (ADR 0023)",
  'DELETE /live/:slug/alerts': "an anonymous reader's push unsubscription (ADR 0023)",
};

describe('every write route declares its audit action (ADR 0019)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('names an action on each POST, PUT, PATCH and DELETE route, or is a listed non-write', () => {
    const writes = auditedRoutes(t.app).filter((r) => WRITES.has(r.method));
    assert.ok(writes.length >= 15, `found only ${writes.length} write routes`);
    const missing = writes.filter((r) => r.audit === undefined).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(missing, [], 'write routes without config: { audit: "<action>" }');
    const exempt = writes.filter((r) => r.audit === false).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(exempt.sort(), Object.keys(NOT_WRITES).sort());
    for (const route of writes.filter((r) => typeof r.audit === 'string'))
      assert.match(String(route.audit), /^[a-z]+\.[a-z_]+$/, `${route.method} ${route.url}`);
  });

  it('has seen every route Fastify routes (the list is complete)', () => {
    const seen = new Set(auditedRoutes(t.app).map((r) => `${r.method} ${r.url}`));
    const unseen: string[] = [];
    for (const [path, methods] of registeredRoutes(t.app))
      for (const method of methods)
        if (WRITES.has(method) && !seen.has(`${method} ${path}`)) unseen.push(`${method} ${path}`);
    assert.deepEqual(unseen, []);
    assert.ok(seen.has('PATCH /api/pages/:slug/posts/:id'));
  });
});
