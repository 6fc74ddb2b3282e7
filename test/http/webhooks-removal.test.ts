import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { tablesContaining } from '../support/every-row.ts';
import { aParagraph } from '../support/factories.ts';
import { startReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

type Delivery = { id: string; eventType: string; responseBody: string };

// A legal removal destroys the post's words everywhere Liveline keeps them (docs/corrections.md):
// the webhook jobs that carry them too. A retry still to come, or a redelivery from the desk,
// must not send them to a partner after their removal.
for (const adapter of await adapters()) {
  describe(
    `webhooks and legal removal: ${adapter.name}`,
    { skip: adapter.skip, timeout: 30_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      let receiver: WebhookReceiver;

      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        // A failed delivery is tried again a minute later: the removal comes in between.
        const retry = { firstDelayMs: 60_000, maxDelayMs: 60_000 };
        t = await startTestApp(opened.store, {
          webhooks: { allowance: 'all' },
          outbox: { pollMs: 50, leaseMs: 5000, retry },
        });
        // The partner is down, and its error page quotes what it was sent.
        receiver = await startReceiver((_, got) => ({
          status: 503,
          body: `could not take ${JSON.stringify(got.json).slice(0, 2000)}`,
          // A slow partner: its answer comes after the removal has committed.
          delayMs: got.raw.includes('Quillotine') ? 1000 : 0,
        }));
        await t.call('editor', 'POST', '/api/pages', {
          slug: 'court',
          title: 'Court',
          status: 'live',
        });
      });
      after(async () => {
        await receiver.close();
        await t.app.close();
        await drop();
      });

      it('stops the retry of a removed post, blanks what the partner answered, and refuses a redelivery', async () => {
        const registered = await t.call('admin', 'POST', '/api/webhooks', { url: receiver.url });
        assert.equal(registered.statusCode, 201, registered.body);
        const hook = registered.json<{ webhook: { id: string } }>().webhook.id;
        const published = await t.call('editor', 'POST', '/api/pages/court/posts', {
          headline: 'Zorblaxian allegation',
          body: [aParagraph('Zorblaxian words a court ordered out.')],
        });
        assert.equal(published.statusCode, 201, published.body);
        const { id } = published.json<{ id: string }>();
        const [first] = await receiver.waitFor(1);
        assert.match(first?.raw ?? '', /Zorblaxian/);
        const deliveries = async () =>
          (await t.call('admin', 'GET', `/api/webhooks/${hook}`)).json<{
            deliveries: Delivery[];
          }>().deliveries;
        const recorded = async (count: number) => {
          for (const started = Date.now(); Date.now() - started < 5000;) {
            const shown = await deliveries();
            if (shown.length === count) return shown;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          throw new Error(`${count} deliveries recorded: not within 5000 ms`);
        };
        const [failed] = await recorded(1);
        assert.match(failed?.responseBody ?? '', /Zorblaxian/, 'the partner quoted it');
        const { jobId } = (await t.services.store.getDelivery(failed?.id ?? ''))!;
        assert.equal((await t.services.store.getJob(jobId))?.state, 'pending', 'a retry to come');

        const removed = await t.call('editor', 'POST', `/api/pages/court/posts/${id}/removal`, {
          reason: 'Court order 17/2026',
        });
        assert.equal(removed.statusCode, 200, removed.body);
        const job = await t.services.store.getJob(jobId);
        assert.deepEqual(
          [job?.state, job?.lastError],
          ['failed', 'not sent: the post was removed for legal reasons'],
          'the retry will never run',
        );
        assert.deepEqual(await tablesContaining(t.services.store, 'Zorblaxian'), []);

        // The removal's own change, which carries no words, still goes out.
        const [, deleted] = await receiver.waitFor(2);
        assert.deepEqual(
          [deleted?.json.type, deleted?.raw.includes('Zorblaxian')],
          ['post.deleted', false],
        );
        const [, ofPost] = await recorded(2);
        assert.deepEqual(
          [ofPost?.id, ofPost?.responseBody],
          [failed?.id, ''],
          'the answer blanked',
        );

        const again = await t.call(
          'admin',
          'POST',
          `/api/webhooks/${hook}/deliveries/${failed?.id}/redeliver`,
        );
        assert.equal(again.statusCode, 410, again.body);
        assert.equal(again.json().code, 'POST_REMOVED');
        assert.equal(
          again.json().detail,
          'The post this delivery carried was removed for legal reasons: it is not sent again.',
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(receiver.received.length, 2, 'nothing sent again');
      });

      it('blanks the answer to an attempt that was under way when the post was removed', async () => {
        const registered = await t.call('admin', 'POST', '/api/webhooks', {
          url: receiver.url,
          kinds: ['post.published'],
        });
        assert.equal(registered.statusCode, 201, registered.body);
        const hook = registered.json<{ webhook: { id: string } }>().webhook.id;
        const before = receiver.received.length;
        const published = await t.call('editor', 'POST', '/api/pages/court/posts', {
          headline: 'Quillotine allegation',
          body: [aParagraph('Quillotine words.')],
        });
        assert.equal(published.statusCode, 201, published.body);
        await receiver.waitFor(before + 1);
        const removed = await t.call(
          'editor',
          'POST',
          `/api/pages/court/posts/${published.json<{ id: string }>().id}/removal`,
          { reason: 'Court order 18/2026' },
        );
        assert.equal(removed.statusCode, 200, removed.body);
        let shown: Delivery[] = [];
        for (const started = Date.now(); shown.length === 0 && Date.now() - started < 5000;) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          shown = (await t.call('admin', 'GET', `/api/webhooks/${hook}`)).json<{
            deliveries: Delivery[];
          }>().deliveries;
        }
        assert.equal(shown.length, 1, 'the attempt was recorded');
        assert.equal(shown[0]?.responseBody, '', 'recorded after the removal, and blanked');
        assert.deepEqual(await tablesContaining(t.services.store, 'Quillotine'), []);
      });
    },
  );
}
