import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';
import { startReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

// One partner whose receiver takes connections and never answers must not hold up the
// deliveries to every other partner: its attempt holds one of the runner's slots, not all.
for (const adapter of await adapters()) {
  describe(
    `a receiver that never answers: ${adapter.name}`,
    { skip: adapter.skip, timeout: 30_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      let silent: WebhookReceiver;
      let healthy: WebhookReceiver;

      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestApp(opened.store, {
          webhooks: { allowance: 'all', timeoutMs: 4000 },
          outbox: {
            pollMs: 50,
            leaseMs: 10_000,
            retry: { firstDelayMs: 60_000, maxDelayMs: 60_000 },
          },
        });
        silent = await startReceiver(() => 'hang');
        healthy = await startReceiver(() => 200);
        await t.call('editor', 'POST', '/api/pages', {
          slug: 'night',
          title: 'Night',
          status: 'live',
        });
        for (const receiver of [silent, healthy]) {
          const res = await t.call('admin', 'POST', '/api/webhooks', { url: receiver.url });
          assert.equal(res.statusCode, 201, res.body);
        }
      });
      after(async () => {
        await t.app.close();
        await Promise.all([silent.close(), healthy.close()]);
        await drop();
      });

      it('delivers the next change to the healthy partner while the silent one still hangs', async () => {
        const publish = async (headline: string) => {
          const res = await t.call('editor', 'POST', '/api/pages/night/posts', {
            headline,
            body: [aParagraph(`${headline}.`)],
          });
          assert.equal(res.statusCode, 201, res.body);
        };
        await publish('First');
        await Promise.all([silent.waitFor(1), healthy.waitFor(1)]);
        const started = Date.now();
        await publish('Second');
        // The silent receiver's attempt runs for 4 s; the second change must not wait for it.
        const got = await healthy.waitFor(2, 1500);
        assert.ok(Date.now() - started < 1500);
        assert.match(got[1]?.raw ?? '', /Second/);
        await silent.waitFor(2, 1500);
      });
    },
  );
}
