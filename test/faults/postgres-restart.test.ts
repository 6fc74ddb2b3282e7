import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStream } from '../support/event-stream.ts';
import { aParagraph } from '../support/factories.ts';
import { api, cliToken, startInstance, waitUntil, type Instance } from '../support/instance.ts';
import {
  ownServersUnavailable,
  startOwnPostgres,
  type OwnPostgres,
} from '../support/own-servers.ts';

const skip = ownServersUnavailable({ postgres: true }) ?? false;

const alive = (instance: Instance) =>
  instance.process.exitCode === null && instance.process.signalCode === null;

/** The pids that logged "serving": one per worker (or the one process). */
const servingPids = (instance: Instance) =>
  instance
    .stdout()
    .filter((line) => line.includes('Liveline is serving'))
    .map((line) => (JSON.parse(line) as { pid: number }).pid)
    .sort();

/**
 * Restarts PostgreSQL under a running Liveline with a reader's stream open: while it is away
 * every request fails fast with 503 DATABASE_UNAVAILABLE, /healthz says the database is down,
 * the stream stays open; once it is back a publish works and reaches that same reader.
 */
async function restartRound(
  instance: Instance,
  pg: OwnPostgres,
  token: string,
  mode: 'fast' | 'immediate',
): Promise<void> {
  const stream = await openStream(`${instance.url}/live/faults/events`);
  try {
    // Fill the pool with idle connections: those are the ones a restart kills.
    await Promise.all(
      Array.from({ length: 6 }, () => api(instance.url, token, 'GET', '/api/pages/faults')),
    );
    await pg.stop(mode);
    // Let the server notice its connections died (the crash came within milliseconds).
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(alive(instance), `the process died when PostgreSQL stopped (${mode})`);

    const during = [
      await api(instance.url, token, 'POST', '/api/pages/faults/posts', {
        headline: 'While the database is away',
        body: [aParagraph('Refused.')],
      }),
      await api(instance.url, token, 'GET', '/api/pages/faults/changes?since=0'),
      await api(instance.url, token, 'GET', '/api/pages/faults'),
      await api(instance.url, token, 'GET', '/api/pages'),
    ];
    for (const answer of during) {
      assert.equal(answer.status, 503, JSON.stringify(answer.json));
      assert.match(answer.type, /^application\/problem\+json/);
      assert.equal(answer.json.code, 'DATABASE_UNAVAILABLE');
      assert.ok(Number(answer.retryAfter) > 0, 'a 503 says when to retry');
      assert.ok(answer.ms < 2000, `a request during the outage took ${answer.ms} ms`);
    }
    const health = await api(instance.url, token, 'GET', '/healthz');
    assert.equal(health.status, 503);
    assert.deepEqual(health.json.down, ['database']);
    assert.ok(health.ms < 2000, `/healthz took ${health.ms} ms`);
    assert.equal(stream.ended(), false, 'the reader lost its stream during the outage');
    assert.ok(alive(instance), 'the process died during the outage');

    await pg.start();
    await waitUntil(
      'service resumes by itself',
      async () => (await api(instance.url, token, 'GET', '/healthz')).status === 200,
      15_000,
    );
    const published = await api(instance.url, token, 'POST', '/api/pages/faults/posts', {
      headline: `After a ${mode} restart`,
      body: [aParagraph('Back.')],
    });
    assert.equal(published.status, 201, JSON.stringify(published.json));
    const event = await stream.waitFor(
      (e) => (JSON.parse(e.data) as { postId?: string }).postId === published.json.id,
      8000,
    );
    assert.equal((JSON.parse(event.data) as { kind: string }).kind, 'post.published');
    assert.equal(stream.ended(), false);
  } finally {
    stream.close();
  }
}

for (const workers of ['1', '2']) {
  describe(
    `PostgreSQL restarts under a running Liveline (WORKERS=${workers})`,
    { skip, timeout: 120_000 },
    () => {
      let pg: OwnPostgres;
      let instance: Instance;
      let token: string;
      const dataDir = mkdtempSync(join(tmpdir(), 'liveline-pgfault-'));

      before(async () => {
        pg = await startOwnPostgres();
        const env = { DATABASE_URL: pg.url, REDIS_URL: '', DATA_DIR: dataDir, WORKERS: workers };
        instance = await startInstance(env);
        token = await cliToken(env);
        const page = await api(instance.url, token, 'POST', '/api/pages', {
          slug: 'faults',
          title: 'Faults',
          status: 'live',
        });
        assert.equal(page.status, 201);
        if (workers !== '1') {
          await waitUntil(
            'every worker serves',
            async () => servingPids(instance).length === 2,
            15_000,
          );
        }
      });

      after(async () => {
        await instance?.stop();
        await pg?.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      });

      for (const mode of ['fast', 'immediate'] as const) {
        it(
          `survives pg_ctl stop -m ${mode}: fast 503s, /healthz down, the stream stays, service resumes`,
          { timeout: 45_000 },
          async () => {
            const pids = servingPids(instance);
            await restartRound(instance, pg, token, mode);
            assert.ok(alive(instance));
            // No worker died and none was replaced: the same processes serve as before.
            assert.deepEqual(servingPids(instance), pids);
            assert.equal(
              instance.stdout().filter((line) => line.includes('worker died')).length,
              0,
              'a worker died',
            );
          },
        );
      }
    },
  );
}
