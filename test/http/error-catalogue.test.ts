import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aBodyOf, aParagraph } from '../support/factories.ts';

/**
 * The class of defect: an error answered outside the catalogue (Fastify's or Node's own
 * JSON or plain text). Every route gets wrong methods, wrong content types, oversize and
 * malformed bodies and bad headers; every answer must be a problem document whose code is
 * documented in docs/errors.md.
 */

const DOCUMENTED = new Set(
  [...readFileSync('docs/errors.md', 'utf8').matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]),
);

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
const METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Every route Liveline serves and the methods it takes; checked against the app's own list. */
const ROUTES: { path: string; methods: Method[] }[] = [
  { path: '/', methods: ['GET', 'HEAD'] },
  { path: '/healthz', methods: ['GET', 'HEAD'] },
  { path: '/metrics', methods: ['GET', 'HEAD'] },
  { path: '/openapi.json', methods: ['GET', 'HEAD'] },
  { path: '/assets/:name', methods: ['GET', 'HEAD'] },
  { path: '/api/pages', methods: ['GET', 'HEAD', 'POST'] },
  { path: '/api/pages/:slug', methods: ['GET', 'HEAD', 'PATCH'] },
  { path: '/api/pages/:slug/posts', methods: ['GET', 'HEAD', 'POST'] },
  { path: '/api/pages/:slug/posts/:id', methods: ['DELETE', 'GET', 'HEAD', 'PATCH'] },
  // The editorial workflow (src/http/api/workflow.ts).
  { path: '/api/pages/:slug/posts/:id/submit', methods: ['POST'] },
  { path: '/api/pages/:slug/posts/:id/approve', methods: ['POST'] },
  { path: '/api/pages/:slug/posts/:id/return', methods: ['POST'] },
  { path: '/api/pages/:slug/posts/:id/schedule', methods: ['POST'] },
  { path: '/api/pages/:slug/posts/:id/unschedule', methods: ['POST'] },
  { path: '/api/pages/:slug/changes', methods: ['GET', 'HEAD'] },
  { path: '/api/pages/:slug/posts/:id/removal', methods: ['POST'] },
  { path: '/api/pages/:slug/posts/:id/history/:entryId/removal', methods: ['POST'] },
  { path: '/api/import', methods: ['POST'] },
  { path: '/live/:slug', methods: ['GET', 'HEAD'] },
  { path: '/live/:slug.txt', methods: ['GET', 'HEAD'] },
  { path: '/live/:slug/feed.xml', methods: ['GET', 'HEAD'] },
  { path: '/live/:slug/posts/:id', methods: ['GET', 'HEAD'] },
  { path: '/live/:slug/events', methods: ['GET'] },
  { path: '/live/:slug/latency', methods: ['POST'] },
  // The embeddable widget (src/http/reader/widget.ts).
  { path: '/live/:slug/embed', methods: ['GET', 'HEAD'] },
  { path: '/live/:slug/posts/:id/embed', methods: ['GET', 'HEAD'] },
  { path: '/widget.js', methods: ['GET', 'HEAD'] },
  { path: '/oembed', methods: ['GET', 'HEAD'] },
  // Push alerts (src/http/reader/push.ts).
  { path: '/live/:slug/alerts', methods: ['DELETE', 'GET', 'HEAD', 'POST'] },
  { path: '/alerts-worker.js', methods: ['GET', 'HEAD'] },
  { path: '/alerts.js', methods: ['GET', 'HEAD'] },
  { path: '/desk/api/sign-in', methods: ['POST'] },
  { path: '/desk/api/sign-out', methods: ['POST'] },
  { path: '/desk/api/me', methods: ['GET', 'HEAD'] },
  { path: '/desk/api/links/:token', methods: ['GET', 'HEAD', 'POST'] },
  { path: '/desk/api/sessions', methods: ['GET', 'HEAD'] },
  { path: '/desk/api/sessions/:id', methods: ['DELETE'] },
  { path: '/desk/api/tokens', methods: ['GET', 'HEAD', 'POST'] },
  { path: '/desk/api/tokens/:id', methods: ['DELETE'] },
  { path: '/desk/api/users', methods: ['GET', 'HEAD', 'POST'] },
  { path: '/desk/api/users/:id', methods: ['PATCH'] },
  { path: '/desk/api/users/:id/reset-link', methods: ['POST'] },
  { path: '/desk/api/people', methods: ['GET', 'HEAD'] },
  { path: '/desk/api/pages', methods: ['GET', 'HEAD'] },
  { path: '/desk/api/pages/:slug/posts', methods: ['GET', 'HEAD'] },
  { path: '/desk/api/pages/:slug/posts/:id/history', methods: ['GET', 'HEAD'] },
  { path: '/desk/api/pages/:slug/events', methods: ['GET'] },
  { path: '/desk/api/pages/:slug/latency', methods: ['GET', 'HEAD'] },
  { path: '/desk/api/preview', methods: ['POST'] },
  { path: '/desk/api/pages/:slug/presence', methods: ['PUT'] },
  { path: '/desk/api/audit', methods: ['GET', 'HEAD'] },
  // Embeds (ADR 0021): what a pasted address becomes.
  { path: '/desk/api/embeds', methods: ['GET', 'HEAD'] },
  // Webhooks (src/http/api/webhooks.ts): the same routes for programs and for the desk.
  ...['/api/webhooks', '/desk/api/webhooks'].flatMap((base) => [
    { path: base, methods: ['GET', 'HEAD', 'POST'] as Method[] },
    { path: `${base}/:id`, methods: ['DELETE', 'GET', 'HEAD'] as Method[] },
    { path: `${base}/:id/deliveries/:deliveryId/redeliver`, methods: ['POST'] as Method[] },
  ]),
  // Pictures (ADR 0020): uploads, the original for editors, variants for readers.
  { path: '/desk/api/media', methods: ['POST'] },
  { path: '/desk/api/media/:id/original', methods: ['GET', 'HEAD'] },
  { path: '/media/:id/:file', methods: ['GET', 'HEAD'] },
  // The desk's HTML shell and its assets (src/http/desk/shell.ts).
  { path: '/desk', methods: ['GET', 'HEAD'] },
  { path: '/desk/link/:token', methods: ['GET', 'HEAD'] },
  { path: '/desk/pages/:slug', methods: ['GET', 'HEAD'] },
  { path: '/desk/users', methods: ['GET', 'HEAD'] },
  { path: '/desk/account', methods: ['GET', 'HEAD'] },
  { path: '/desk/audit', methods: ['GET', 'HEAD'] },
  { path: '/desk/webhooks', methods: ['GET', 'HEAD'] },
  { path: '/desk/assets/:name', methods: ['GET', 'HEAD'] },
];

/** The app's routes from Fastify's own tree (printRoutes), as path -> methods. */
function registeredRoutes(tree: string): Map<string, string[]> {
  const routes = new Map<string, string[]>();
  const parents: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ├└─]*?)(\S+) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const parent = parents[depth - 1] ?? '';
    const segment = match[2] ?? '';
    const path = parent === '/' ? `/${segment}` : `${parent}${segment}`;
    parents[depth] = path;
    routes.set(path, (match[3] ?? '').split(', ').sort());
  }
  return routes;
}

/** The routes that read a JSON body, with a valid one. */
const JSON_WRITES: { method: Method; url: string }[] = [
  { method: 'POST', url: '/api/pages' },
  { method: 'PATCH', url: '/api/pages/storm' },
  { method: 'POST', url: '/api/pages/storm/posts' },
  { method: 'PATCH', url: '/api/pages/storm/posts/:id' },
  { method: 'POST', url: '/desk/api/sign-in' },
  { method: 'POST', url: '/desk/api/links/:token' },
  { method: 'POST', url: '/desk/api/tokens' },
  { method: 'POST', url: '/desk/api/users' },
  { method: 'PATCH', url: '/desk/api/users/:id' },
  { method: 'POST', url: '/desk/api/preview' },
  { method: 'POST', url: '/live/storm/latency' },
  { method: 'POST', url: '/live/storm/alerts' },
  { method: 'DELETE', url: '/live/storm/alerts' },
  { method: 'PUT', url: '/desk/api/pages/storm/presence' },
  { method: 'POST', url: '/api/webhooks' },
  { method: 'POST', url: '/desk/api/webhooks' },
];

interface Problem {
  code: string;
  status: number;
  detail: string;
}

describe('every error is a problem document from the catalogue', { timeout: 60_000 }, () => {
  let t: TestApp;
  let postId = '';
  const at = (url: string) =>
    url
      .replace(':slug', 'storm')
      .replace(':id', postId)
      .replace(':deliveryId', postId)
      .replace(':name', 'reader.css')
      .replace(':token', 'an-unknown-link');

  before(async () => {
    t = await startTestApp();
    await t.call('editor', 'POST', '/api/pages', { slug: 'storm', title: 'Storm', status: 'live' });
    const post = await t.call('editor', 'POST', '/api/pages/storm/posts', {
      headline: 'First',
      body: [aParagraph('One.')],
    });
    postId = post.json<{ id: string }>().id;
  });
  after(() => t.close());

  const isProblem = (
    res: { statusCode: number; headers: Record<string, unknown>; body: string },
    status: number,
    code: string,
  ) => {
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/, res.body);
    const problem = JSON.parse(res.body) as Problem;
    assert.equal(problem.code, code);
    assert.equal(problem.status, status);
    assert.ok(DOCUMENTED.has(problem.code), `${problem.code} is not in docs/errors.md`);
    return problem;
  };

  it('the table below covers every route the app registers', () => {
    const registered = registeredRoutes(t.app.printRoutes({ commonPrefix: false }));
    assert.deepEqual(new Map(ROUTES.map((r) => [r.path, [...r.methods].sort()])), registered);
  });

  it('answers a wrong method with 405 and Allow, on every route', async () => {
    for (const route of ROUTES) {
      for (const method of [...METHODS, 'HEAD' as const].filter(
        (m) => !route.methods.includes(m),
      )) {
        const res = await t.call('editor', method, at(route.path), undefined, {
          accept: 'text/html',
        });
        assert.equal(res.statusCode, 405, `${method} ${route.path}`);
        if (method !== 'HEAD') isProblem(res, 405, 'METHOD_NOT_ALLOWED');
        assert.deepEqual(String(res.headers.allow).split(', '), [...route.methods].sort());
      }
    }
  });

  it('answers text/plain and form bodies on JSON routes with 415, writing nothing', async () => {
    const before = (await t.call(null, 'GET', '/api/pages/storm')).json();
    for (const route of JSON_WRITES) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/html']) {
        const res = await t.call('editor', route.method, at(route.url), 'headline=x', {
          'content-type': type,
        });
        isProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
    }
    assert.deepEqual((await t.call(null, 'GET', '/api/pages/storm')).json(), before);
  });

  it('answers JSON on the text import with 415, and a capture over 1 MiB with 413', async () => {
    const res = await t.call('admin', 'POST', '/api/import?slug=imported', { text: 'x' });
    isProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const huge = await t.call('admin', 'POST', '/api/import?slug=imported', 'x'.repeat(1_100_000), {
      'content-type': 'text/plain',
    });
    isProblem(huge, 413, 'BODY_TOO_LARGE');
    isProblem(await t.call(null, 'GET', '/api/pages/imported'), 404, 'PAGE_NOT_FOUND');
  });

  it('answers malformed, empty and oversize JSON with 400, 400 and 413 on every JSON route', async () => {
    for (const route of JSON_WRITES) {
      const json = { 'content-type': 'application/json' };
      isProblem(
        await t.call('editor', route.method, at(route.url), '{"headline": ', json),
        400,
        'MALFORMED_JSON',
      );
      isProblem(
        await t.call('editor', route.method, at(route.url), '', json),
        400,
        'MALFORMED_JSON',
      );
      const huge = JSON.stringify({ headline: 'x', body: aBodyOf(1_100_000) });
      isProblem(
        await t.call('editor', route.method, at(route.url), huge, json),
        413,
        'BODY_TOO_LARGE',
      );
    }
  });

  it('accepts a DELETE with a JSON content type and no body', async () => {
    const res = await t.call('editor', 'DELETE', `/api/pages/storm/posts/${postId}`, undefined, {
      'content-type': 'application/json',
    });
    assert.equal(res.statusCode, 204, res.body);
    const gone = await t.call(null, 'GET', `/api/pages/storm/posts/${postId}`);
    isProblem(gone, 404, 'POST_NOT_FOUND');
  });

  it('answers a 5,000-character slug with 414, a bad escape with 400, a long slug with 422 naming it', async () => {
    for (const url of ['/api/pages/', '/live/', '/api/pages/x/posts/']) {
      isProblem(await t.call(null, 'GET', `${url}${'a'.repeat(5_000)}`), 414, 'URI_TOO_LONG');
    }
    isProblem(await t.call(null, 'GET', '/api/pages/%E0%A4%A'), 400, 'MALFORMED_REQUEST');
    const long = isProblem(
      await t.call(null, 'GET', `/api/pages/${'a'.repeat(200)}`),
      422,
      'VALIDATION_FAILED',
    );
    assert.match(long.detail, /params\/slug/);
  });

  it('answers bad Authorization and Idempotency-Key headers with catalogue codes', async () => {
    for (const authorization of ['Basic abc', 'Bearer', 'Bearer a b', 'Bearer ll_nope']) {
      const res = await t.call(
        null,
        'POST',
        '/api/pages',
        { slug: 'x', title: 'X' },
        { authorization },
      );
      isProblem(res, 401, 'UNAUTHENTICATED');
    }
    const key = await t.call(
      'editor',
      'POST',
      '/api/pages',
      { slug: 'x', title: 'X' },
      {
        'idempotency-key': 'k'.repeat(201),
      },
    );
    isProblem(key, 422, 'VALIDATION_FAILED');
  });

  it('answers requests Node refuses itself (control character in a header, huge headers) with problems', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(request));
        let data = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk: string) => (data += chunk));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
        socket.setTimeout(5_000, () => reject(new Error('no answer')));
      });
    const parse = (answer: string) => {
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]);
      const type = /content-type: ([^\r]+)/i.exec(head)?.[1] ?? '';
      return { statusCode: status, headers: { 'content-type': type }, body };
    };
    const control = await raw(
      'GET /api/pages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\u0001b\r\n\r\n',
    );
    isProblem(parse(control), 400, 'MALFORMED_REQUEST');
    const huge = await raw(
      `GET /api/pages HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    isProblem(parse(huge), 431, 'HEADERS_TOO_LARGE');
  });
});
