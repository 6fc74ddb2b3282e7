import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../src/domain/ids.ts';
import { listTokens } from '../../src/services/tokens.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';
import { createPerson, signIn, type DeskSession } from '../support/people.ts';
import { registeredRoutes } from '../support/routes.ts';

type Json = Record<string, unknown>;
type Method = 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * The class of defect: a state-changing request that a browser sends with the desk's cookie
 * from another site (or without the session's token) changes something. Every route that
 * changes state is forged in every way; each must be a 403 CSRF_REJECTED that writes
 * nothing, and the same request with a bearer token is not affected.
 */
interface Attack {
  route: string;
  method: Method;
  url: () => string;
  body?: () => unknown;
  type?: string;
}

for (const adapter of await adapters()) {
  describe(
    `a forged cookie-signed change is refused and writes nothing: ${adapter.name}`,
    { skip: adapter.skip, timeout: 90_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      let desk: DeskSession;
      let postId = '';
      let otherUserId = '';
      let sessionId = '';
      let tokenId = '';
      let webhookId = '';

      const ATTACKS: Attack[] = [
        {
          route: '/api/pages',
          method: 'POST',
          url: () => '/api/pages',
          body: () => ({ slug: 'forged', title: 'Forged' }),
        },
        {
          route: '/api/pages/:slug',
          method: 'PATCH',
          url: () => '/api/pages/storm',
          body: () => ({ title: 'Forged', revision: 1 }),
        },
        {
          route: '/api/pages/:slug/posts',
          method: 'POST',
          url: () => '/api/pages/storm/posts',
          body: () => ({ headline: 'Forged', body: [aParagraph('x')] }),
        },
        {
          route: '/api/pages/:slug/posts/:id',
          method: 'PATCH',
          url: () => `/api/pages/storm/posts/${postId}`,
          body: () => ({ pinned: true, revision: 1 }),
        },
        {
          route: '/api/pages/:slug/posts/:id',
          method: 'DELETE',
          url: () => `/api/pages/storm/posts/${postId}`,
        },
        ...(['submit', 'approve', 'return', 'schedule', 'unschedule'] as const).map((what) => ({
          route: `/api/pages/:slug/posts/:id/${what}`,
          method: 'POST' as const,
          url: () => `/api/pages/storm/posts/${postId}/${what}`,
          body: () => ({
            revision: 1,
            ...(what === 'return' && { note: 'Forged' }),
            ...(what === 'schedule' && { at: '2030-01-01T09:00:00Z' }),
          }),
        })),
        {
          route: '/api/pages/:slug/posts/:id/removal',
          method: 'POST',
          url: () => `/api/pages/storm/posts/${postId}/removal`,
          body: () => ({ reason: 'Forged' }),
        },
        {
          route: '/api/pages/:slug/posts/:id/history/:entryId/removal',
          method: 'POST',
          url: () => `/api/pages/storm/posts/${postId}/history/${'0'.repeat(20)}/removal`,
          body: () => ({ reason: 'Forged' }),
        },
        {
          route: '/api/import',
          method: 'POST',
          url: () => '/api/import?slug=forged-import',
          body: () => 'x',
          type: 'text/plain',
        },
        { route: '/desk/api/sign-out', method: 'POST', url: () => '/desk/api/sign-out' },
        {
          route: '/desk/api/sessions/:id',
          method: 'DELETE',
          url: () => `/desk/api/sessions/${sessionId}`,
        },
        {
          route: '/desk/api/tokens/:id',
          method: 'DELETE',
          url: () => `/desk/api/tokens/${tokenId}`,
        },
        {
          route: '/desk/api/tokens',
          method: 'POST',
          url: () => '/desk/api/tokens',
          body: () => ({ name: 'forged' }),
        },
        {
          route: '/desk/api/users',
          method: 'POST',
          url: () => '/desk/api/users',
          body: () => ({ email: 'forged@evil.test', name: 'Forged', role: 'admin' }),
        },
        {
          route: '/desk/api/users/:id',
          method: 'PATCH',
          url: () => `/desk/api/users/${otherUserId}`,
          body: () => ({ role: 'admin' }),
        },
        {
          route: '/desk/api/users/:id/reset-link',
          method: 'POST',
          url: () => `/desk/api/users/${otherUserId}/reset-link`,
        },
        {
          route: '/desk/api/preview',
          method: 'POST',
          url: () => '/desk/api/preview',
          body: () => ({ slug: 'storm', post: { headline: 'x', body: [aParagraph('x')] } }),
        },
        {
          route: '/desk/api/pages/:slug/presence',
          method: 'PUT',
          url: () => '/desk/api/pages/storm/presence',
          body: () => ({ connection: 'c'.repeat(24), activity: 'editing', postId }),
        },
        // Webhooks (src/http/api/webhooks.ts), for programs and for the desk.
        ...(['/api/webhooks', '/desk/api/webhooks'] as const).flatMap((base) => [
          {
            route: base,
            method: 'POST' as const,
            url: () => base,
            body: () => ({ url: 'https://partner.example/hook' }),
          },
          {
            route: `${base}/:id`,
            method: 'DELETE' as const,
            url: () => `${base}/${webhookId}`,
          },
          {
            route: `${base}/:id/deliveries/:deliveryId/redeliver`,
            method: 'POST' as const,
            url: () => `${base}/${webhookId}/deliveries/${'0'.repeat(20)}/redeliver`,
          },
        ]),
        {
          route: '/desk/api/media',
          method: 'POST',
          url: () => '/desk/api/media',
          type: 'multipart/form-data; boundary=forged',
          body: () =>
            '--forged\r\nContent-Disposition: form-data; name="alt"\r\n\r\nForged\r\n--forged--\r\n',
        },
      ];
      /** Routes that take no session: they check the origin only (test below). */
      const SESSIONLESS = ['/desk/api/sign-in', '/desk/api/links/:token'];
      /**
       * Anonymous by design: readers' latency reports read no cookie and act for nobody
       * (test/http/latency.test.ts), nor do push subscriptions (test/http/push.test.ts);
       * forging one is the same as sending one.
       */
      const ANONYMOUS = ['/live/:slug/latency', '/live/:slug/alerts'];

      /** Everything a forged request could change. */
      const state = async () => ({
        pages: (await t.call(null, 'GET', '/api/pages')).body,
        posts: (
          await t.app.inject({
            method: 'GET',
            url: '/desk/api/pages/storm/posts',
            headers: { cookie: desk.cookie },
          })
        ).body,
        users: JSON.stringify(await t.services.store.listUsers()),
        sessions: JSON.stringify(await t.services.store.listSessions(desk.user.id)),
        tokens: JSON.stringify(await listTokens(t.services)),
        webhooks: JSON.stringify(await t.services.store.listWebhooks()),
      });

      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestApp(opened.store);
        const admin = await createPerson(t, { role: 'admin' });
        desk = await signIn(t, admin.email, admin.password);
        otherUserId = (await createPerson(t, { role: 'contributor' })).user.id;
        await t.call('editor', 'POST', '/api/pages', {
          slug: 'storm',
          title: 'Storm',
          status: 'live',
        });
        const post = await t.call('editor', 'POST', '/api/pages/storm/posts', {
          headline: 'First',
          body: [aParagraph('One.')],
        });
        postId = post.json<{ id: string }>().id;
        sessionId = (await t.services.store.listSessions(desk.user.id))[0]?.id ?? '';
        const made = await t.app.inject({
          method: 'POST',
          url: '/desk/api/tokens',
          headers: desk.headers,
          payload: { name: 'kept' },
        });
        tokenId = made.json<{ id: string }>().id;
        webhookId = newId();
        await t.services.store.transaction((tx) =>
          tx.insertWebhook({
            id: webhookId,
            url: 'https://partner.example/hook',
            secret: 'a secret of sixteen or more',
            pages: null,
            kinds: null,
            description: '',
            createdBy: null,
          }),
        );
      });
      after(async () => {
        await t.app.close();
        await drop();
      });

      it('the table covers every route that changes state', () => {
        const unsafe = [...registeredRoutes(t.app)]
          .flatMap(([path, methods]) =>
            methods
              .filter((m) => !['GET', 'HEAD', 'OPTIONS'].includes(m))
              .map((m) => `${m} ${path}`),
          )
          .filter((r) => ![...SESSIONLESS, ...ANONYMOUS].some((path) => r.endsWith(` ${path}`)))
          .sort();
        assert.deepEqual([...new Set(ATTACKS.map((a) => `${a.method} ${a.route}`))].sort(), unsafe);
      });

      const forgeries: [string, (headers: Record<string, string>) => Record<string, string>][] = [
        ['without the CSRF token', ({ 'x-csrf-token': _, ...rest }) => rest],
        [
          'with a wrong CSRF token',
          (h) => ({ ...h, 'x-csrf-token': 'A'.repeat(h['x-csrf-token']?.length ?? 43) }),
        ],
        ['from a cross-site Origin', (h) => ({ ...h, origin: 'https://evil.example' })],
        [
          'with Sec-Fetch-Site: cross-site',
          ({ origin: _, ...rest }) => ({ ...rest, 'sec-fetch-site': 'cross-site' }),
        ],
        [
          'with Sec-Fetch-Site: same-site',
          ({ origin: _, ...rest }) => ({ ...rest, 'sec-fetch-site': 'same-site' }),
        ],
        ['with neither Origin nor Sec-Fetch-Site', ({ origin: _, ...rest }) => rest],
      ];

      for (const [how, forge] of forgeries) {
        it(`refuses every change ${how}: 403 CSRF_REJECTED, nothing written`, async () => {
          const before = await state();
          for (const attack of ATTACKS) {
            const body = attack.body?.();
            const res = await t.app.inject({
              method: attack.method,
              url: attack.url(),
              headers: {
                ...forge(desk.headers),
                ...(body !== undefined && { 'content-type': attack.type ?? 'application/json' }),
              },
              ...(body !== undefined && {
                payload: typeof body === 'string' ? body : JSON.stringify(body),
              }),
            });
            assert.equal(res.statusCode, 403, `${attack.method} ${attack.url()}: ${res.body}`);
            assert.equal(res.json<Json>().code, 'CSRF_REJECTED');
          }
          assert.deepEqual(await state(), before, 'nothing changed');
        });
      }

      it('accepts the same change with the token from the same origin (the forgeries were the only fault)', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/pages/storm/posts',
          headers: desk.headers,
          payload: { headline: 'Genuine', body: [aParagraph('From the desk.')] },
        });
        assert.equal(res.statusCode, 201, res.body);
        const withFetchMetadata = await t.app.inject({
          method: 'POST',
          url: '/desk/api/tokens',
          headers: {
            cookie: desk.cookie,
            'x-csrf-token': desk.csrfToken,
            'sec-fetch-site': 'same-origin',
          },
          payload: { name: 'genuine' },
        });
        assert.equal(withFetchMetadata.statusCode, 201, withFetchMetadata.body);
      });

      it('leaves bearer tokens alone: no CSRF token needed, whatever the Origin', async () => {
        const res = await t.call(
          'editor',
          'POST',
          '/api/pages',
          { slug: 'by-bearer', title: 'T' },
          { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
        );
        assert.equal(res.statusCode, 201, res.body);
      });

      it('refuses a sign-in or a password link from another site, and the sign-in without Origin from a program', async () => {
        const admin = await createPerson(t, { role: 'editor' });
        const cross = await t.app.inject({
          method: 'POST',
          url: '/desk/api/sign-in',
          headers: { origin: 'https://evil.example' },
          payload: { email: admin.email, password: admin.password },
        });
        assert.equal(cross.statusCode, 403);
        assert.equal(cross.json<Json>().code, 'CSRF_REJECTED');
        assert.equal(cross.headers['set-cookie'], undefined);
        const link = await t.app.inject({
          method: 'POST',
          url: '/desk/api/links/some-token',
          headers: { 'sec-fetch-site': 'cross-site' },
          payload: { password: 'a long enough password' },
        });
        assert.equal(link.statusCode, 403);
        const program = await t.app.inject({
          method: 'POST',
          url: '/desk/api/sign-in',
          payload: { email: admin.email, password: admin.password },
        });
        assert.equal(program.statusCode, 200, program.body);
      });
    },
  );
}
