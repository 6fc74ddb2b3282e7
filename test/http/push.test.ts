import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, it } from 'node:test';
import webpush from 'web-push';
import type { AppOptions } from '../../src/app.ts';
import type { AlertPayload } from '../../src/push/alert.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';
import { PushReceiver, type BrowserSubscription } from '../support/push-receiver.ts';

/**
 * Push alerts over HTTP on both databases (ADR 0023): the app sends real encrypted Web Push
 * messages to a local push service (test/support/push-receiver.ts), which verifies the VAPID
 * signature and decrypts each per RFC 8291.
 */

/** A quiet moment after the last expected push, so an unexpected one would have arrived. */
const SETTLE_MS = 300;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

for (const adapter of await adapters()) {
  describe(`push alerts: ${adapter.name}`, { skip: adapter.skip, timeout: 60_000 }, () => {
    let receiver: PushReceiver;
    let t: TestApp;
    let drop: () => Promise<void>;
    const extra: TestApp[] = [];
    const pushOptions = (more: AppOptions['push'] = {}): AppOptions => ({
      publicUrl: 'https://news.example',
      // Tests subscribe far faster than readers; the test of the limit sets its own.
      push: {
        services: [receiver.host],
        ca: receiver.certificate,
        subscribesPerMinute: 1000,
        ...more,
      },
    });

    before(async () => {
      receiver = await PushReceiver.start();
      const opened = await adapter.open();
      drop = opened.drop;
      // Alerts are outbox jobs (ADR 0022): this app's runner sends them, woken by each commit.
      // The other apps of these tests run none, so every push is signed with this app's key.
      t = await startTestApp(opened.store, {
        ...pushOptions(),
        outbox: { pollMs: 50, leaseMs: 15_000 },
      });
    });
    after(async () => {
      for (const other of extra) await other.app.close();
      await t?.close();
      await drop?.();
      await receiver?.close();
    });

    let pages = 0;
    async function livePage(): Promise<string> {
      const slug = `storm-${++pages}`;
      const res = await t.call('editor', 'POST', '/api/pages', {
        slug,
        title: 'Storm Darragh',
        status: 'live',
      });
      assert.equal(res.statusCode, 201);
      return slug;
    }
    const subscribe = (slug: string, body: unknown, app: TestApp = t) =>
      app.call(null, 'POST', `/live/${slug}/alerts`, body);
    const publish = async (slug: string, headline: string, labels: string[] = []) => {
      const res = await t.call('editor', 'POST', `/api/pages/${slug}/posts`, {
        headline,
        labels,
        body: [aParagraph(`${headline}: what we know so far.`)],
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ id: string; revision: number }>();
    };
    const stored = async (slug: string) => {
      const page = await t.services.store.getPage(slug);
      assert.ok(page);
      return t.services.store.push.subscriptionsOf(page.id, null, 100);
    };
    const payloads = () => receiver.received.map((push) => JSON.parse(push.text) as AlertPayload);

    it('answers the VAPID key, generated once and shared by every instance on the database', async () => {
      const slug = await livePage();
      const first = await t.call(null, 'GET', `/live/${slug}/alerts`);
      assert.equal(first.statusCode, 200);
      const { publicKey } = first.json<{ publicKey: string }>();
      const point = Buffer.from(publicKey, 'base64url');
      assert.equal(point.length, 65);
      assert.equal(point[0], 4);
      assert.deepEqual(Object.keys(first.json()), ['publicKey'], 'the private key never leaves');
      // A second instance on the same database signs with the same key.
      const other = await startTestApp(t.services.store, pushOptions());
      extra.push(other);
      const again = await other.call(null, 'GET', `/live/${slug}/alerts`);
      assert.equal(again.json<{ publicKey: string }>().publicKey, publicKey);
      assert.equal((await t.call(null, 'GET', '/live/no-such-page/alerts')).statusCode, 404);
    });

    it('uses the configured VAPID keys when given', async () => {
      const keys = webpush.generateVAPIDKeys();
      const configured = await startTestApp(t.services.store, pushOptions({ vapidKeys: keys }));
      extra.push(configured);
      const slug = await livePage();
      const res = await configured.call(null, 'GET', `/live/${slug}/alerts`);
      assert.equal(res.json<{ publicKey: string }>().publicKey, keys.publicKey);
    });

    it('alerts each subscriber of the page once to a Breaking post, and to nothing else', async () => {
      receiver.received.length = 0;
      const slug = await livePage();
      const quiet = await livePage();
      const reader = receiver.subscribe();
      const another = receiver.subscribe();
      const elsewhere = receiver.subscribe();
      assert.equal((await subscribe(slug, reader)).statusCode, 201);
      assert.equal((await subscribe(slug, another)).statusCode, 201);
      assert.equal((await subscribe(quiet, elsewhere)).statusCode, 201);
      // The same browser again refreshes its keys: still one subscription.
      assert.equal((await subscribe(slug, reader)).statusCode, 200);
      assert.equal((await stored(slug)).length, 2);

      await publish(slug, 'Flood defences hold in Shrewsbury');
      const breaking = await publish(slug, 'Severn bursts its banks at Bewdley', ['breaking']);
      const pushes = await receiver.waitFor(2);
      await settle();
      assert.equal(
        receiver.received.length,
        2,
        'one push per subscriber, none for the ordinary post',
      );
      assert.deepEqual(
        new Set(pushes.map((p) => p.subscription)),
        new Set([reader, another].map((s) => new URL(s.endpoint).pathname.slice(6))),
      );
      for (const push of pushes) {
        assert.equal(push.urgency, 'high');
        assert.equal(push.ttl, '3600');
      }
      const [payload] = payloads();
      assert.deepEqual(payload, {
        title: 'Severn bursts its banks at Bewdley',
        body: 'Severn bursts its banks at Bewdley: what we know so far.',
        url: `https://news.example/live/${slug}/posts/${breaking.id}`,
        tag: `liveline-${breaking.id}`,
        postId: breaking.id,
      });
      const key = (await t.call(null, 'GET', `/live/${slug}/alerts`)).json<{ publicKey: string }>();
      assert.equal(
        pushes[0]?.vapidKey,
        key.publicKey,
        'signed with the key browsers subscribed with',
      );

      // An edit of the post it alerted to alerts no one again.
      const edit = await t.call('editor', 'PATCH', `/api/pages/${slug}/posts/${breaking.id}`, {
        revision: breaking.revision,
        headline: 'Severn bursts its banks at Bewdley and Bridgnorth',
      });
      assert.equal(edit.statusCode, 200, edit.body);
      await settle();
      assert.equal(receiver.received.length, 2);
    });

    it('alerts once when an edit adds the Breaking label later', async () => {
      receiver.received.length = 0;
      const slug = await livePage();
      assert.equal((await subscribe(slug, receiver.subscribe())).statusCode, 201);
      const post = await publish(slug, 'Rail services suspended');
      await settle();
      assert.equal(receiver.received.length, 0);
      const labelled = await t.call('editor', 'PATCH', `/api/pages/${slug}/posts/${post.id}`, {
        revision: post.revision,
        labels: ['breaking'],
      });
      assert.equal(labelled.statusCode, 200, labelled.body);
      await receiver.waitFor(1);
      const again = await t.call('editor', 'PATCH', `/api/pages/${slug}/posts/${post.id}`, {
        revision: labelled.json<{ revision: number }>().revision,
        body: [aParagraph('All services between Crewe and Preston are suspended.')],
      });
      assert.equal(again.statusCode, 200, again.body);
      await settle();
      assert.equal(receiver.received.length, 1, 'never twice for the same post');
      assert.equal(payloads()[0]?.postId, post.id);
    });

    it('removes subscriptions the push service says are gone, and keeps the others', async () => {
      receiver.received.length = 0;
      const slug = await livePage();
      const gone = receiver.subscribe();
      const missing = receiver.subscribe();
      const kept = receiver.subscribe();
      for (const s of [gone, missing, kept])
        assert.equal((await subscribe(slug, s)).statusCode, 201);
      receiver.answer(gone, 410);
      receiver.answer(missing, 404);
      await publish(slug, 'Evacuation ordered in Upton', ['breaking']);
      await receiver.waitFor(1);
      const deadline = Date.now() + 5_000;
      while ((await stored(slug)).length > 1 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 25));
      assert.deepEqual(
        (await stored(slug)).map((s) => s.endpoint),
        [kept.endpoint],
      );
    });

    it('strikes off a subscription refused as its own fault three alerts in a row, and no other', async () => {
      receiver.received.length = 0;
      const slug = await livePage();
      const refused = receiver.subscribe();
      const troubled = receiver.subscribe();
      const recovers = receiver.subscribe();
      const fine = receiver.subscribe();
      for (const s of [refused, troubled, recovers, fine])
        assert.equal((await subscribe(slug, s)).statusCode, 201);
      receiver.answer(refused, 403); // made for another VAPID key, say: refused every time
      receiver.answer(troubled, 500); // the push service's own trouble
      receiver.answer(recovers, 400);
      const strikes = async () =>
        Object.fromEntries((await stored(slug)).map((s) => [s.endpoint, s.strikes]));
      const alert = async (headline: string, pushes: number, expected: Record<string, number>) => {
        await publish(slug, headline, ['breaking']);
        await receiver.waitFor(pushes);
        const deadline = Date.now() + 5_000;
        while (!isDeepStrictEqual(await strikes(), expected) && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 25));
        assert.deepEqual(await strikes(), expected);
      };
      const counts = (r: number, t: number, c: number, f: number) => ({
        [refused.endpoint]: r,
        [troubled.endpoint]: t,
        [recovers.endpoint]: c,
        [fine.endpoint]: f,
      });
      await alert('Severn flood warning', 1, counts(1, 0, 1, 0));
      await alert('Bewdley barriers go up', 2, counts(2, 0, 2, 0));
      receiver.answer(recovers, 201);
      const third = counts(0, 0, 0, 0);
      delete third[refused.endpoint];
      await alert('Evacuation ordered in Upton', 4, third);
      await settle();
      assert.equal(receiver.received.length, 4, 'one push each to the two that accept');
    });

    it('unsubscribes: no alert after', async () => {
      receiver.received.length = 0;
      const slug = await livePage();
      const reader = receiver.subscribe();
      assert.equal((await subscribe(slug, reader)).statusCode, 201);
      const res = await t.call(null, 'DELETE', `/live/${slug}/alerts`, {
        endpoint: reader.endpoint,
      });
      assert.equal(res.statusCode, 204);
      assert.equal((await stored(slug)).length, 0);
      await publish(slug, 'Bridge closed', ['breaking']);
      await settle();
      assert.equal(receiver.received.length, 0);
    });

    it('refuses hostile subscriptions with the field named, storing nothing', async () => {
      const slug = await livePage();
      const good = receiver.subscribe();
      const cases: [string, unknown, string][] = [
        [
          'http endpoint',
          { ...good, endpoint: good.endpoint.replace('https:', 'http:') },
          'body/endpoint',
        ],
        [
          'not a push service',
          { ...good, endpoint: 'https://example.com/push/1' },
          'body/endpoint',
        ],
        [
          'an internal address',
          { ...good, endpoint: 'https://169.254.169.254/latest' },
          'body/endpoint',
        ],
        [
          'credentials',
          { ...good, endpoint: `https://u:p@${receiver.host}/push/x` },
          'body/endpoint',
        ],
        ['a short key', { ...good, keys: { ...good.keys, p256dh: 'BAAA' } }, 'body/keys/p256dh'],
        [
          'a key off the curve',
          { ...good, keys: { ...good.keys, p256dh: `BA${'A'.repeat(85)}` } },
          'body/keys/p256dh',
        ],
        ['a short auth', { ...good, keys: { ...good.keys, auth: 'AAAA' } }, 'body/keys/auth'],
        ['an unknown field', { ...good, extra: 1 }, ''],
      ];
      for (const [what, body, field] of cases) {
        const res = await subscribe(slug, body);
        assert.equal(res.statusCode, 422, `${what}: ${res.body}`);
        const problem = res.json<{ code: string; errors: { field: string }[] }>();
        assert.equal(problem.code, 'VALIDATION_FAILED', what);
        if (field)
          assert.ok(
            problem.errors.some((e) => e.field === field),
            `${what} names ${field}: ${res.body}`,
          );
      }
      assert.equal((await stored(slug)).length, 0);
      // A server that allows no local push service refuses the receiver's endpoint too.
      const strict = await startTestApp(t.services.store, { publicUrl: 'https://news.example' });
      extra.push(strict);
      const refused = await subscribe(slug, good, strict);
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /not on a push service/);
      assert.equal((await stored(slug)).length, 0);
    });

    it('caps the pages one browser follows, and subscriptions per address per minute', async () => {
      const capped = await startTestApp(
        t.services.store,
        pushOptions({ pagesPerEndpoint: 2, subscribesPerMinute: 4 }),
      );
      extra.push(capped);
      const browser = receiver.subscribe();
      const [a, b, c] = [await livePage(), await livePage(), await livePage()];
      assert.equal((await subscribe(a, browser, capped)).statusCode, 201);
      assert.equal((await subscribe(b, browser, capped)).statusCode, 201);
      const third = await subscribe(c, browser, capped);
      assert.equal(third.statusCode, 409);
      assert.equal(third.json<{ code: string }>().code, 'ALERTS_LIMIT_REACHED');
      assert.equal((await stored(c)).length, 0);
      // The fourth request this minute is the last one allowed; the fifth is refused unread.
      assert.equal((await subscribe(a, browser, capped)).statusCode, 200);
      const limited = await subscribe(c, receiver.subscribe(), capped);
      assert.equal(limited.statusCode, 429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.equal((await stored(c)).length, 0);
    });

    it('counts every address of one IPv6 /64 as one client', async () => {
      const capped = await startTestApp(t.services.store, {
        ...pushOptions({ subscribesPerMinute: 2 }),
        trustProxy: '127.0.0.1',
      });
      extra.push(capped);
      const slug = await livePage();
      const from = (address: string) =>
        capped.call(null, 'POST', `/live/${slug}/alerts`, receiver.subscribe(), {
          'x-forwarded-for': address,
        });
      assert.equal((await from('2001:db8:1:2::1')).statusCode, 201);
      assert.equal((await from('2001:db8:1:2:8000::2')).statusCode, 201);
      const third = await from('2001:db8:1:2:ffff:ffff:ffff:fffe');
      assert.equal(third.statusCode, 429, 'another address of the same /64');
      assert.equal((await from('2001:db8:1:3::1')).statusCode, 201, 'the next /64');
      assert.equal((await stored(slug)).length, 3);
    });

    it('serves the service worker for the live pages scope', async () => {
      const res = await t.call(null, 'GET', '/alerts-worker.js');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/javascript/);
      assert.equal(res.headers['service-worker-allowed'], '/live/');
      assert.match(res.body, /showNotification/);
      const script = await t.call(null, 'GET', '/alerts.js');
      assert.equal(script.statusCode, 200);
      assert.match(String(script.headers['content-type']), /^text\/javascript/);
      assert.match(script.body, /Alert me to breaking news/);
    });
  });
}

describe('push alerts with no subscribers', { timeout: 20_000 }, () => {
  it('publishing a Breaking post on a page nobody follows succeeds and sends nothing', async () => {
    const t = await startTestApp();
    try {
      await t.call('editor', 'POST', '/api/pages', {
        slug: 'quiet',
        title: 'Quiet',
        status: 'live',
      });
      const res = await t.call('editor', 'POST', '/api/pages/quiet/posts', {
        headline: 'Breaking',
        labels: ['breaking'],
        body: [aParagraph('x')],
      });
      assert.equal(res.statusCode, 201);
    } finally {
      await t.close();
    }
  });
});

export type { BrowserSubscription };
