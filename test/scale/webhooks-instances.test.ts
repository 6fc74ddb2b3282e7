import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { api, cliToken, startInstance, waitUntil, type Instance } from '../support/instance.ts';
import { postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';
import { redisUnavailable } from '../support/redis.ts';
import { twoInstances, type TwoInstances } from '../support/two-instances.ts';
import { startReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const paragraph = (text: string) => [{ type: 'paragraph', content: [{ type: 'text', text }] }];
const skip = (await postgresUnavailable()) ?? (await redisUnavailable()) ?? false;

describe('webhooks from two instances of one newsroom', { skip, timeout: 90_000 }, () => {
  let both: TwoInstances;
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await startReceiver();
    const options = (owner: string) => ({
      webhooks: { allowance: 'all' as const },
      outbox: { pollMs: 20, leaseMs: 10_000, owner },
    });
    both = await twoInstances(async () => [options('instance-a'), options('instance-b')]);
  });
  after(async () => {
    await both?.close();
    await receiver?.close();
  });

  it('never delivers one event twice, whichever instance wrote it', async () => {
    const made = await both.a.call('admin', 'POST', '/api/webhooks', { url: receiver.url });
    assert.equal(made.statusCode, 201, made.body);
    const count = 40;
    // Four writers at a time, alternating instances, while both runners deliver.
    for (let i = 0; i < count; i += 4) {
      const written = await Promise.all(
        [i, i + 1, i + 2, i + 3].map((n) =>
          (n % 2 === 0 ? both.a : both.b).call('editor', 'POST', '/api/pages/shared/posts', {
            headline: `Post ${n}`,
            body: paragraph(`Post ${n}.`),
          }),
        ),
      );
      for (const res of written) assert.equal(res.statusCode, 201, res.body);
    }
    await receiver.waitFor(count, 15_000);
    // Both runners keep polling a while: a second delivery of anything would show now.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const ids = receiver.received.map((r) => r.json.id);
    assert.equal(ids.length, count, `${ids.length} deliveries of ${count} events`);
    assert.equal(new Set(ids).size, count, 'each event delivered once');
    const id = made.json<{ webhook: { id: string } }>().webhook.id;
    const shown = await both.b.call('admin', 'GET', `/api/webhooks/${id}`);
    const deliveries = shown.json<{ deliveries: { outcome: string; attempt: number }[] }>()
      .deliveries;
    assert.equal(deliveries.length, count);
    assert.ok(deliveries.every((d) => d.outcome === 'delivered' && d.attempt === 1));
  });
});

describe('a killed instance’s pending delivery', { skip, timeout: 90_000 }, () => {
  const schema = `liveline_hooks_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'liveline-hooks-'));
  const env = {
    DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    DATA_DIR: dataDir,
    WEBHOOKS_ALLOW_PRIVATE: '1',
    OUTBOX_POLL_MS: '100',
    OUTBOX_LEASE_MS: '3000',
    WEBHOOKS_TIMEOUT_MS: '1500',
  };
  let a: Instance | undefined;
  let b: Instance | undefined;
  let receiver: WebhookReceiver;

  before(async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    // The first request is left unanswered: the instance that sent it dies waiting.
    receiver = await startReceiver((n) => (n === 1 ? 'hang' : 200));
  });
  after(async () => {
    await Promise.all([a?.stop('SIGKILL'), b?.stop()]);
    await receiver?.close();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is delivered by another instance once the dead one’s lease runs out', async () => {
    a = await startInstance(env);
    const admin = await cliToken(env, 'admin');
    const page = await api(a.url, admin, 'POST', '/api/pages', {
      slug: 'crash',
      title: 'Crash',
      status: 'live',
    });
    assert.equal(page.status, 201);
    const made = await api(a.url, admin, 'POST', '/api/webhooks', { url: receiver.url });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const published = await api(a.url, admin, 'POST', '/api/pages/crash/posts', {
      headline: 'Sent while dying',
      body: paragraph('Sent while dying.'),
    });
    assert.equal(published.status, 201);
    const [first] = await receiver.waitFor(1, 10_000);
    await a.stop('SIGKILL');

    b = await startInstance(env);
    const all = await receiver.waitFor(2, 15_000);
    assert.equal(all[1]?.json.id, first?.json.id, 'the same event, sent again by B');
    const id = (made.json.webhook as { id: string }).id;
    const started = b.url;
    let deliveries: { outcome: string; attempt: number }[] = [];
    await waitUntil(
      'the delivery recorded by B',
      async () => {
        const shown = await api(started, admin, 'GET', `/api/webhooks/${id}`);
        deliveries = shown.json.deliveries as typeof deliveries;
        return deliveries.length === 1;
      },
      5000,
    );
    // A died before recording its try; B's is the job's second claim.
    assert.deepEqual(
      deliveries.map((d) => [d.outcome, d.attempt]),
      [['delivered', 2]],
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(receiver.received.length, 2, 'delivered, and not again');
  });
});
