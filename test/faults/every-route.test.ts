import { SCRAPER_HEADERS } from '../support/metrics.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { connectPostgres } from '../../src/store/postgres/connect.ts';
import { openStream, type OpenStream } from '../support/event-stream.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import {
  ownServersUnavailable,
  startOwnPostgres,
  type OwnPostgres,
} from '../support/own-servers.ts';

const skip = ownServersUnavailable({ postgres: true }) ?? false;

/** Every (method, path) the app serves, read from Fastify's own route tree. */
function routesOf(app: FastifyInstance): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)── (\S+) \(([^)]+)\)/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (parents[depth - 1] ?? '') + (match[2] ?? '');
    parents[depth] = path;
    for (const method of (match[3] ?? '').split(', ')) {
      if (method !== 'HEAD') routes.push({ method, path });
    }
  }
  return routes;
}

/**
 * Valid bodies for the routes that read one before they need the database (no token is
 * looked up first), so what is tested is the outage, not the validation.
 */
const VALID_BODY: Record<string, unknown> = {
  '/desk/api/sign-in': { email: 'someone@newsroom.test', password: 'a password of theirs' },
  '/desk/api/links/:token': { password: 'a new long password' },
  '/live/:slug/latency': [{ seq: 1, ms: 40 }],
  'POST /live/:slug/alerts': {
    endpoint: 'https://fcm.googleapis.com/fcm/send/a-browser',
    keys: {
      p256dh:
        'BLI4cChwiRd1BJstOSgkNbkvXuTnGslvKO6srwdyyqVpQcFSlolEETMHQ48stHzAXS8M0yM431eeAc9sjhVEwnY',
      auth: 'wLhbEGE2cr4zcvkhUZ5Ivw',
    },
  },
  'DELETE /live/:slug/alerts': { endpoint: 'https://fcm.googleapis.com/fcm/send/a-browser' },
};

/** Valid queries for the routes that need one before they need the database. */
const VALID_QUERY: Record<string, (site: string) => string> = {
  '/oembed': (site) => `?url=${encodeURIComponent(`${site}/live/away`)}`,
};

/** Routes that never need the database, and answer as usual while it is away. */
const WITHOUT_DATABASE = new Set([
  'GET /openapi.json',
  'GET /assets/:name',
  'GET /metrics',
  // The desk's HTML shell and bundle are static; the app then shows what the API answers.
  'GET /desk',
  'GET /desk/link/:token',
  'GET /desk/pages/:slug',
  'GET /desk/users',
  'GET /desk/account',
  'GET /desk/audit',
  'GET /desk/webhooks',
  'GET /desk/assets/:name',
  // The widget's resize script for partners' pages is static too.
  'GET /widget.js',
  // Pictures come from the media storage (disk here), never the database (ADR 0020).
  'GET /media/:id/:file',
  // The push alerts' service worker is built at start.
  'GET /alerts-worker.js',
  'GET /alerts.js',
]);

describe('every route while PostgreSQL is away', { skip, timeout: 60_000 }, () => {
  let pg: OwnPostgres;
  let t: TestServer;
  let postId: string;
  let reader: OpenStream;

  before(
    async () => {
      pg = await startOwnPostgres();
      t = await startTestServer(await connectPostgres(pg.url, { maxConnections: 4 }), {
        realtime: { heartbeatMs: 200 },
      });
      const page = await t.call('editor', 'POST', '/api/pages', {
        slug: 'away',
        title: 'Away',
        status: 'live',
      });
      assert.equal(page.statusCode, 201);
      const post = await t.call('editor', 'POST', '/api/pages/away/posts', {
        headline: 'Before',
        body: [{ type: 'paragraph', content: [{ type: 'text', text: 'Before.' }] }],
      });
      assert.equal(post.statusCode, 201);
      postId = post.json<{ id: string }>().id;
      reader = await openStream(`${t.url}/live/away/events`);
      await pg.stop('fast');
    },
    { timeout: 40_000 },
  );

  after(async () => {
    reader?.close();
    await t?.app.close();
    await t?.services.store.close().catch(() => undefined);
    await pg?.destroy();
  });

  /** Reader pages, which a browser opens: their errors are the site's HTML error page. */
  const READER_HTML = /^\/($|live\/)/;

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After, quickly, on every route that needs it', async () => {
    const routes = routesOf(t.app);
    assert.ok(routes.length >= 20, `found only ${routes.length} routes`);
    for (const { method, path } of routes) {
      const url = path
        .replace(':slug', 'away')
        .replace(':id', postId)
        .replace(':deliveryId', postId)
        .replace(':name', 'live.js')
        .replace(':token', 'a-one-time-link')
        .concat(VALID_QUERY[path]?.(t.url) ?? '');
      const started = Date.now();
      const res = await t.call(
        'editor',
        method as 'GET',
        url,
        VALID_BODY[`${method} ${path}`] ??
          VALID_BODY[path] ??
          (['POST', 'PATCH'].includes(method) ? { revision: 1 } : undefined),
      );
      const ms = Date.now() - started;
      const where = `${method} ${path}`;
      assert.ok(ms < 2000, `${where} took ${ms} ms`);
      if (WITHOUT_DATABASE.has(where)) {
        assert.ok(res.statusCode < 500, `${where} answered ${res.statusCode}`);
        continue;
      }
      assert.equal(res.statusCode, 503, `${where}: ${res.body.slice(0, 200)}`);
      if (where === 'GET /healthz') {
        assert.deepEqual(res.json().down, ['database']);
        continue;
      }
      assert.equal(res.headers['retry-after'], '5', where);
      // Reader routes answer a person with the HTML error page; the rest with a problem.
      if (String(res.headers['content-type']).startsWith('text/html')) {
        assert.ok(READER_HTML.test(path), `${where} answered HTML`);
        assert.match(res.body, /Something went wrong/, where);
        continue;
      }
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/, where);
      assert.equal(res.json().code, 'DATABASE_UNAVAILABLE', where);
    }
    const metrics = await t.call(null, 'GET', '/metrics', undefined, SCRAPER_HEADERS);
    assert.match(metrics.body, /^liveline_database_up 0$/m);
    // The reader connected before the outage keeps its stream, and its heartbeats.
    const beats = reader.comments;
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.ok(reader.comments > beats, 'no heartbeat during the outage');
    assert.equal(reader.ended(), false);
  });

  it('serves again once PostgreSQL is back, with no restart', { timeout: 30_000 }, async () => {
    await pg.start();
    const started = Date.now();
    let health = await t.call(null, 'GET', '/healthz');
    while (health.statusCode !== 200 && Date.now() - started < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      health = await t.call(null, 'GET', '/healthz');
    }
    assert.equal(health.statusCode, 200);
    const read = await t.call(null, 'GET', `/api/pages/away/posts/${postId}`);
    assert.equal(read.statusCode, 200);
    const after = await t.call('editor', 'POST', '/api/pages/away/posts', {
      headline: 'After',
      body: [{ type: 'paragraph', content: [{ type: 'text', text: 'After.' }] }],
    });
    assert.equal(after.statusCode, 201);
    const id = after.json<{ id: string }>().id;
    await reader.waitFor((e) => (JSON.parse(e.data) as { postId?: string }).postId === id, 5000);
    const metrics = await t.call(null, 'GET', '/metrics', undefined, SCRAPER_HEADERS);
    assert.match(metrics.body, /^liveline_database_up 1$/m);
  });
});
