import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../src/domain/ids.ts';
import { commitOnPage } from '../../src/services/commit.ts';
import { sign } from '../../src/webhooks/signature.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';
import { startReceiver, type Received, type WebhookReceiver } from '../support/webhook-receiver.ts';

type Json = Record<string, unknown>;

/**
 * The recipe of docs/webhooks.md, "Verifying a delivery", taken from the guide itself: the
 * code a partner copies is the code tested.
 */
async function documentedRecipe(): Promise<
  (secret: string, headers: Received['headers'], raw: string, tolerance?: number) => boolean
> {
  const guide = readFileSync('docs/webhooks.md', 'utf8');
  const block = [...guide.matchAll(/```js\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .find((code) => code.includes('export function verifyLiveline'));
  assert.ok(block, 'docs/webhooks.md shows verifyLiveline');
  const dir = mkdtempSync(join(tmpdir(), 'liveline-recipe-'));
  const file = join(dir, 'verify-liveline.mjs');
  writeFileSync(file, block);
  const module = (await import(pathToFileURL(file).href)) as {
    verifyLiveline: (s: string, h: Received['headers'], r: string, t?: number) => boolean;
  };
  rmSync(dir, { recursive: true, force: true });
  return module.verifyLiveline;
}

/** Polls `check` every 50 ms until it holds, or fails naming `what` after `ms`. */
async function eventually(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const OUTBOX = { pollMs: 50, leaseMs: 5000, retry: { firstDelayMs: 50, maxDelayMs: 200 } };

for (const adapter of await adapters()) {
  describe(`webhooks over HTTP: ${adapter.name}`, { skip: adapter.skip, timeout: 60_000 }, () => {
    let t: TestApp;
    let drop: () => Promise<void>;
    let receiver: WebhookReceiver;
    /** What the receiver answers next: tests set it. */
    let answer: (n: number) => number = () => 200;

    const register = async (body: Json) => {
      const res = await t.call('admin', 'POST', '/api/webhooks', body);
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ webhook: Json & { id: string }; secret: string }>();
    };
    const publish = async (headline: string, slug = 'storm') => {
      const res = await t.call('editor', 'POST', `/api/pages/${slug}/posts`, {
        headline,
        body: [aParagraph(`${headline}.`)],
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ id: string }>();
    };
    const deliveries = async (id: string) =>
      (await t.call('admin', 'GET', `/api/webhooks/${id}`)).json<{
        webhook: Json;
        deliveries: (Json & { id: string })[];
      }>();
    const remove = async (id: string) =>
      assert.equal((await t.call('admin', 'DELETE', `/api/webhooks/${id}`)).statusCode, 204);

    before(async () => {
      const opened = await adapter.open();
      drop = opened.drop;
      t = await startTestApp(opened.store, { webhooks: { allowance: 'all' }, outbox: OUTBOX });
      receiver = await startReceiver((n) => answer(n));
      for (const slug of ['storm', 'election'])
        await t.call('editor', 'POST', '/api/pages', { slug, title: slug, status: 'live' });
    });
    after(async () => {
      await receiver.close();
      await t.app.close();
      await drop();
    });

    it('delivers each change signed, verifiable with the documented recipe', async () => {
      const { webhook, secret } = await register({ url: receiver.url, pages: ['storm'] });
      assert.match(secret, /^whsec_/);
      assert.equal('secret' in webhook, false, 'the endpoint as listed never shows its secret');
      const post = await publish('Flood warning');
      await publish('Elsewhere', 'election');
      const [got] = await receiver.waitFor(1);
      assert.ok(got);
      const verify = await documentedRecipe();
      assert.ok(verify(secret, got.headers, got.raw), 'the signature checks with the secret');
      assert.equal(verify('whsec_another secret', got.headers, got.raw), false);
      assert.equal(verify(secret, got.headers, got.raw.replace('Flood', 'Fl00d')), false);
      // A genuine signature of ten minutes ago: refused for its age alone.
      const then = Math.floor(Date.now() / 1000) - 600;
      const old = {
        ...got.headers,
        'liveline-webhook-timestamp': String(then),
        'liveline-webhook-signature': sign(secret, then, got.raw),
      };
      assert.equal(verify(secret, old, got.raw, 3600), true);
      assert.equal(verify(secret, old, got.raw), false, 'an old timestamp is refused');
      assert.equal(got.headers['liveline-webhook-id'], got.json.id);
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal(got.json.type, 'post.published');
      const page = got.json.page as Json;
      assert.equal(page.slug, 'storm');
      assert.equal(page.url, `${t.origin}/live/storm`);
      const change = got.json.change as { post: Json; seq: number };
      assert.equal(change.post.id, post.id);
      assert.equal(change.post.headline, 'Flood warning');
      // The other page's post is not for this endpoint.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.received.length, 1);
      const { deliveries: shown } = await deliveries(webhook.id);
      assert.equal(shown.length, 1);
      assert.equal(shown[0]?.outcome, 'delivered');
      assert.equal(shown[0]?.statusCode, 200);
      assert.equal(shown[0]?.responseBody, 'answer 1');
      await remove(webhook.id);
      receiver.received.length = 0;
    });

    it('retries a receiver that fails three times and delivers on the fourth try', async () => {
      answer = (n) => (n <= 3 ? 500 : 200);
      const { webhook } = await register({ url: receiver.url, kinds: ['post.published'] });
      await publish('Fourth time lucky');
      const got = await receiver.waitFor(4);
      assert.equal(new Set(got.map((r) => r.json.id)).size, 1, 'one event, four tries');
      let shown: (Json & { id: string })[] = [];
      await eventually('four deliveries recorded', async () => {
        shown = (await deliveries(webhook.id)).deliveries;
        return shown.length === 4;
      });
      assert.deepEqual(shown.map((d) => [d.attempt, d.outcome, d.statusCode]).reverse(), [
        [1, 'failed', 500],
        [2, 'failed', 500],
        [3, 'failed', 500],
        [4, 'delivered', 200],
      ]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.received.length, 4, 'nothing more once it was delivered');
      assert.equal((await deliveries(webhook.id)).webhook.failingSince, null);

      // The desk can send it again: the same event, once more.
      const first = shown.at(-1);
      const again = await t.call(
        'admin',
        'POST',
        `/api/webhooks/${webhook.id}/deliveries/${first?.id}/redeliver`,
      );
      assert.equal(again.statusCode, 202, again.body);
      const all = await receiver.waitFor(5);
      assert.equal(all[4]?.json.id, all[0]?.json.id);
      // A delivery is sent again only through its own endpoint.
      const other = await register({ url: receiver.url, pages: ['election'] });
      for (const [id, deliveryId, code] of [
        [other.webhook.id, first?.id, 'DELIVERY_NOT_FOUND'],
        [webhook.id, '0'.repeat(20), 'DELIVERY_NOT_FOUND'],
        ['0'.repeat(20), first?.id, 'WEBHOOK_NOT_FOUND'],
      ]) {
        const refused = await t.call(
          'admin',
          'POST',
          `/api/webhooks/${id}/deliveries/${deliveryId}/redeliver`,
        );
        assert.equal(refused.statusCode, 404, refused.body);
        assert.equal(refused.json().code, code);
      }
      await remove(other.webhook.id);
      await remove(webhook.id);
      receiver.received.length = 0;
      answer = () => 200;
    });

    it('marks an endpoint failing once its retries run out', async () => {
      const opened = await adapter.open();
      const short = await startTestApp(opened.store, {
        webhooks: { allowance: 'all' },
        outbox: { ...OUTBOX, retry: { firstDelayMs: 50, maxDelayMs: 50, retryForMs: 1500 } },
      });
      const failing = await startReceiver(() => 503);
      try {
        await short.call('editor', 'POST', '/api/pages', { slug: 'p', title: 'P', status: 'live' });
        const made = await short.call('admin', 'POST', '/api/webhooks', { url: failing.url });
        const id = made.json<{ webhook: { id: string } }>().webhook.id;
        await short.call('editor', 'POST', '/api/pages/p/posts', {
          headline: 'Never heard',
          body: [aParagraph('x')],
        });
        await eventually('the endpoint marked failing', async () => {
          const shown = await short.call('admin', 'GET', `/api/webhooks/${id}`);
          return typeof shown.json<{ webhook: Json }>().webhook.failingSince === 'string';
        });
        const tries = failing.received.length;
        assert.ok(tries >= 2, `retried (${tries} tries)`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(failing.received.length, tries, 'no tries after it failed for good');
      } finally {
        await failing.close();
        await short.app.close();
        await opened.drop();
      }
    });

    it('refuses a webhook to 127.0.0.1 and other private addresses by default', async () => {
      const opened = await adapter.open();
      const strict = await startTestApp(opened.store);
      try {
        for (const url of [
          receiver.url,
          'http://localhost:9/hook',
          'http://[::1]/hook',
          'http://[::ffff:127.0.0.1]/hook',
          'http://169.254.169.254/latest/meta-data',
          'http://10.1.2.3/hook',
          'http://0.0.0.0/hook',
        ]) {
          const res = await strict.call('admin', 'POST', '/api/webhooks', { url });
          assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
          assert.equal(res.json().code, 'WEBHOOK_TARGET_REFUSED', url);
        }
        const listed = await strict.call('admin', 'GET', '/api/webhooks');
        assert.deepEqual(listed.json(), { webhooks: [] }, 'nothing was registered');
      } finally {
        await strict.app.close();
        await opened.drop();
      }
    });

    it('checks the address again at delivery: an endpoint that turned private gets nothing', async () => {
      const opened = await adapter.open();
      const strict = await startTestApp(opened.store, { outbox: OUTBOX });
      try {
        await strict.call('editor', 'POST', '/api/pages', {
          slug: 'p',
          title: 'P',
          status: 'live',
        });
        // Registered when it was public (as a name that later resolves to 127.0.0.1 would be).
        const id = newId();
        await strict.services.store.transaction((tx) =>
          tx.insertWebhook({
            id,
            url: receiver.url,
            secret: 'a secret of sixteen or more',
            pages: null,
            kinds: null,
            description: '',
            createdBy: null,
          }),
        );
        await strict.call('editor', 'POST', '/api/pages/p/posts', {
          headline: 'Not for loopback',
          body: [aParagraph('x')],
        });
        let shown: Json[] = [];
        await eventually('a refused delivery recorded', async () => {
          const res = await strict.call('admin', 'GET', `/api/webhooks/${id}`);
          shown = res.json<{ deliveries: Json[] }>().deliveries;
          return shown.length > 0;
        });
        assert.equal(shown[0]?.outcome, 'failed');
        assert.equal(shown[0]?.statusCode, null);
        assert.match(String(shown[0]?.error), /127\.0\.0\.1: .*non-public/);
        assert.equal(receiver.received.length, 0, 'no request reached the receiver');
      } finally {
        await strict.app.close();
        await opened.drop();
      }
    });

    it('lets only admins manage webhooks, and names what is wrong with a bad one', async () => {
      const editor = await t.call('editor', 'POST', '/api/webhooks', { url: receiver.url });
      assert.equal(editor.statusCode, 403);
      assert.equal((await t.call('editor', 'GET', '/api/webhooks')).statusCode, 403);
      assert.equal((await t.call(null, 'GET', '/api/webhooks')).statusCode, 401);
      const cases: [Json, string][] = [
        [{ url: 'ftp://example.com/' }, '/url'],
        [{ url: 'http://user:pw@example.com/' }, '/url'],
        [{ url: receiver.url, pages: ['no-such-page'] }, '/pages/0'],
        [{ url: receiver.url, kinds: ['post.superseded'] }, '/kinds/0'],
        [{ url: receiver.url, secret: 'short' }, '/secret'],
      ];
      for (const [body, field] of cases) {
        const res = await t.call('admin', 'POST', '/api/webhooks', body);
        assert.equal(res.statusCode, 422, JSON.stringify(body));
        const problems = res.json<{ errors: { field: string }[] }>().errors;
        assert.ok(
          problems.some((p) => p.field.replace(/^body/, '') === field),
          `${JSON.stringify(body)}: ${res.body}`,
        );
      }
      assert.deepEqual((await t.call('admin', 'GET', '/api/webhooks')).json(), { webhooks: [] });
      const missing = await t.call('admin', 'DELETE', `/api/webhooks/${'0'.repeat(20)}`);
      assert.equal(missing.json().code, 'WEBHOOK_NOT_FOUND');
    });

    it('registers an endpoint as the admin asked: their secret, each page and kind once', async () => {
      const mine = 'partner-chosen-secret-0001';
      const made = await register({
        url: receiver.url,
        secret: mine,
        pages: ['storm', 'election', 'storm'],
        kinds: ['post.published', 'post.published'],
        description: 'The partner app',
      });
      assert.equal(made.secret, mine, 'the secret given is the one that signs');
      assert.deepEqual(
        [made.webhook.pages, made.webhook.kinds, made.webhook.description],
        [['storm', 'election'], ['post.published'], 'The partner app'],
      );
      const plain = await register({ url: receiver.url });
      assert.deepEqual(
        [plain.webhook.pages, plain.webhook.kinds, plain.webhook.description],
        [null, null, ''],
        'no pages or kinds named: every change of every page',
      );
      const listed = await t.call('admin', 'GET', '/api/webhooks');
      assert.deepEqual(
        listed
          .json<{ webhooks: Json[] }>()
          .webhooks.map((w) => w.id)
          .sort(),
        [made.webhook.id, plain.webhook.id].sort(),
      );
      await remove(made.webhook.id);
      await remove(plain.webhook.id);
      const gone = await t.call('admin', 'GET', `/api/webhooks/${made.webhook.id}`);
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().code, 'WEBHOOK_NOT_FOUND');
      assert.match(gone.json<{ detail: string }>().detail, new RegExp(made.webhook.id));
    });

    it('refuses an address it could not post to as written, saying why', async () => {
      const at = new URL(receiver.url);
      const cases: [string, RegExp][] = [
        ['not an address', /absolute http or https URL/],
        ['ftp://example.com/', /http or https URL, not ftp:/],
        [`http://someone@${at.host}/hook`, /user name or password/],
        [`http://:pw@${at.host}/hook`, /user name or password/],
        [`${receiver.url}#top`, /#fragment/],
      ];
      for (const [url, why] of cases) {
        const res = await t.call('admin', 'POST', '/api/webhooks', { url });
        assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
        const [problem, ...more] = res.json<{ errors: { field: string; reason: string }[] }>()
          .errors;
        assert.equal(more.length, 0, url);
        assert.equal(problem?.field, '/url', url);
        assert.match(problem?.reason ?? '', why, url);
      }
      const secure = await register({ url: `https://${at.host}/hook` });
      assert.equal(secure.webhook.url, `https://${at.host}/hook`, 'https is an address too');
      await remove(secure.webhook.id);
      const pages = await t.call('admin', 'POST', '/api/webhooks', {
        url: receiver.url,
        pages: ['storm', 'gone', 'never'],
      });
      assert.equal(pages.statusCode, 422, pages.body);
      assert.deepEqual(pages.json<{ errors: Json[] }>().errors, [
        { field: '/pages/1', reason: 'no live page has the slug "gone"' },
        { field: '/pages/2', reason: 'no live page has the slug "never"' },
      ]);
      assert.match(pages.json<{ detail: string }>().detail, /"gone"; no live page .*"never"/);
      assert.deepEqual((await t.call('admin', 'GET', '/api/webhooks')).json(), { webhooks: [] });
    });

    it('enqueues its deliveries in the commit: a write rolled back after logging sends none', async () => {
      const { webhook } = await register({ url: receiver.url });
      await assert.rejects(
        commitOnPage(t.services, 'storm', async ({ log }, page) => {
          await log(page.id, null, { kind: 'page.updated', page });
          throw new Error('a fault after the change was logged');
        }),
        /a fault after/,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.received.length, 0);
      assert.deepEqual((await deliveries(webhook.id)).deliveries, []);
      await remove(webhook.id);
    });
  });
}
