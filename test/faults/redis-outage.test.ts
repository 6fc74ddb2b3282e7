import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStream, type OpenStream } from '../support/event-stream.ts';
import { aParagraph } from '../support/factories.ts';
import { SCRAPER_HEADERS } from '../support/metrics.ts';
import { api, cliToken, startInstance, waitUntil, type Instance } from '../support/instance.ts';
import {
  ownServersUnavailable,
  startOwnPostgres,
  startOwnRedis,
  type OwnPostgres,
  type OwnRedis,
} from '../support/own-servers.ts';

const skip = ownServersUnavailable({ redis: true, postgres: true }) ?? false;

const health = async (instance: Instance) => {
  const res = await fetch(`${instance.url}/healthz`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

const busUpMetric = async (instance: Instance) => {
  const res = await fetch(`${instance.url}/metrics`, {
    headers: SCRAPER_HEADERS,
    signal: AbortSignal.timeout(5000),
  });
  const line = (await res.text()).split('\n').find((l) => l.startsWith('liveline_bus_up '));
  return line === undefined ? null : Number(line.split(' ')[1]);
};

/** Lines of output that are not JSON log lines (ioredis's console.error warnings, stacks). */
const notJson = (instance: Instance) =>
  [...instance.stdout(), ...instance.stderr()].filter((line) => {
    try {
      return typeof JSON.parse(line) !== 'object';
    } catch {
      return true;
    }
  });

// Two instances over a PostgreSQL cluster of our own and a Redis of our own that the test
// kills and brings back.
describe('Redis goes away and comes back under two instances', { skip, timeout: 90_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'liveline-redisfault-'));
  let redis: OwnRedis;
  let postgres: OwnPostgres;
  let a: Instance;
  let b: Instance;
  let token: string;
  let reader: OpenStream;

  const publish = async (headline: string) => {
    const started = Date.now();
    const answer = await api(a.url, token, 'POST', '/api/pages/bus/posts', {
      headline,
      body: [aParagraph(`${headline}.`)],
    });
    return { ...answer, ms: Date.now() - started };
  };
  const reaches = (id: unknown, timeoutMs: number) =>
    reader.waitFor((e) => (JSON.parse(e.data) as { postId?: string }).postId === id, timeoutMs);

  before(
    async () => {
      [postgres, redis] = await Promise.all([startOwnPostgres(), startOwnRedis()]);
      const env = {
        DATABASE_URL: postgres.url,
        REDIS_URL: redis.url,
        DATA_DIR: dataDir,
        WORKERS: '1',
      };
      [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
      token = await cliToken(env);
      const page = await api(a.url, token, 'POST', '/api/pages', {
        slug: 'bus',
        title: 'Bus',
        status: 'live',
      });
      assert.equal(page.status, 201);
      reader = await openStream(`${b.url}/live/bus/events`);
    },
    { timeout: 60_000 },
  );

  after(async () => {
    reader?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.destroy();
    await postgres?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'keeps publishing fast, falls back to the log, reports it, and recovers',
    { timeout: 60_000 },
    async () => {
      // With Redis up, a notice carries the post across at once.
      const first = await publish('Before the outage');
      assert.equal(first.status, 201);
      await reaches(first.json.id, 2000);
      assert.equal((await health(a)).json.status, 'ok');
      assert.equal(await busUpMetric(a), 1);

      await redis.kill();
      // Writes never wait for Redis: each publish is as quick as the database.
      const during: string[] = [];
      for (let i = 1; i <= 5; i++) {
        const post = await publish(`During the outage ${i}`);
        assert.equal(post.status, 201);
        assert.ok(post.ms < 500, `publish ${i} took ${post.ms} ms with Redis down`);
        during.push(String(post.json.id));
      }
      // The reader on B still gets them, from B's own reading of the change log.
      for (const id of during) await reaches(id, 8000);
      for (const instance of [a, b]) {
        const state = await health(instance);
        assert.equal(state.status, 200, 'the bus being down is degraded, not unavailable');
        assert.equal(state.json.status, 'degraded');
        assert.deepEqual(state.json.down, ['bus']);
        assert.equal(await busUpMetric(instance), 0);
      }

      await redis.start();
      await waitUntil(
        'both instances see Redis again',
        async () =>
          (await health(a)).json.status === 'ok' && (await health(b)).json.status === 'ok',
        10_000,
      );
      assert.equal(await busUpMetric(b), 1);
      // Notices flow again: each post arrives well inside the 5 s log poll.
      for (let i = 1; i <= 3; i++) {
        const post = await publish(`After the outage ${i}`);
        assert.equal(post.status, 201);
        await reaches(post.json.id, 1500);
      }
      assert.equal(reader.ended(), false);
      for (const instance of [a, b]) {
        assert.deepEqual(notJson(instance), [], 'every line of output is a JSON log line');
        const lost = instance.stdout().filter((line) => line.includes('"bus":"down"'));
        assert.equal(lost.length, 1, `one log line per outage, got ${lost.length}`);
      }
    },
  );
});
