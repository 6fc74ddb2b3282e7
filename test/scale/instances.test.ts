import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { api, cliToken, startInstance, type Instance } from '../support/instance.ts';
import { postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';
import { redisUnavailable, TEST_REDIS_URL } from '../support/redis.ts';
import { readEvents } from '../support/server.ts';
import { scrape } from '../support/metrics.ts';

const paragraph = (text: string) => [{ type: 'paragraph', content: [{ type: 'text', text }] }];
const skip = (await postgresUnavailable()) ?? (await redisUnavailable()) ?? false;

// Many identical instances: PostgreSQL holds the truth, Redis carries the notices.
describe('two instances over PostgreSQL and Redis', { skip }, () => {
  const schema = `liveline_scale_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'liveline-scale-'));
  const env = {
    DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    REDIS_URL: TEST_REDIS_URL,
    DATA_DIR: dataDir,
  };
  let a: Instance;
  let b: Instance;
  let token: string;
  const publish = (on: Instance, headline: string) =>
    api(on.url, token, 'POST', '/api/pages/scale/posts', {
      headline,
      body: paragraph(`${headline}.`),
    });
  const lastSeq = async () =>
    (await api(b.url, token, 'GET', '/api/pages/scale')).json.lastSeq as number;

  before(async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    a = await startInstance(env);
    b = await startInstance(env);
    token = await cliToken(env);
    const page = await api(a.url, token, 'POST', '/api/pages', {
      slug: 'scale',
      title: 'Scale',
      status: 'live',
    });
    assert.equal(page.status, 201);
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Within 2.5 s, well inside the 5 s log poll: the notice came over Redis.
  it('delivers a post published on A to a reader of B', async () => {
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const events = readEvents(`${b.url}/live/scale/events`, 1, { onOpen: opened, timeoutMs: 2500 });
    await open;
    const published = await publish(a, 'Published on A');
    assert.equal(published.status, 201);
    const [event] = await events;
    assert.ok(event, 'the reader of B received nothing');
    const data = JSON.parse(event.data) as { kind: string; postId: string };
    assert.equal(data.kind, 'post.published');
    assert.equal(data.postId, published.json.id);
  });

  it('gives a reader of B that reconnects exactly the events it missed', async () => {
    const seen = await lastSeq();
    const headlines = ['Missed one', 'Missed two', 'Missed three'];
    for (const headline of headlines) await publish(a, headline);
    const events = await readEvents(`${b.url}/live/scale/events`, 3, {
      headers: { 'last-event-id': String(seen) },
    });
    assert.deepEqual(
      events.map((e) => Number(e.id)),
      [seen + 1, seen + 2, seen + 3],
    );
    assert.deepEqual(
      events.map((e) => /Missed (one|two|three)/.exec(JSON.parse(e.data).html)?.[0]),
      headlines,
    );
  });

  it('loses no acknowledged post when an instance is killed', async () => {
    const published = await publish(a, 'Acknowledged then killed');
    assert.equal(published.status, 201);
    await a.stop('SIGKILL');
    const read = await api(
      b.url,
      token,
      'GET',
      `/api/pages/scale/posts/${String(published.json.id)}`,
    );
    assert.equal(read.status, 200);
    assert.equal(read.json.headline, 'Acknowledged then killed');
  });
});

describe('one instance on SQLite', () => {
  it('keeps an acknowledged post through a crash of the process', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'liveline-crash-'));
    const env = { DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' };
    try {
      const token = await cliToken(env);
      let server = await startInstance(env);
      await api(server.url, token, 'POST', '/api/pages', {
        slug: 'crash',
        title: 'Crash',
        status: 'live',
      });
      const published = await api(server.url, token, 'POST', '/api/pages/crash/posts', {
        headline: 'Written before the crash',
        body: paragraph('Still here.'),
      });
      assert.equal(published.status, 201);
      await server.stop('SIGKILL');
      server = await startInstance(env);
      try {
        const read = await api(
          server.url,
          token,
          'GET',
          `/api/pages/crash/posts/${String(published.json.id)}`,
        );
        assert.equal(read.status, 200);
        assert.equal(read.json.headline, 'Written before the crash');
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('an instance restarting with live pages', () => {
  it(
    'reads each live page once before it listens: the first reader is served from the cache',
    { timeout: 60_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'liveline-warm-'));
      const env = { DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', WORKERS: '1' };
      try {
        const token = await cliToken(env);
        let server = await startInstance(env);
        for (const [slug, status] of [
          ['warm', 'live'],
          ['done', 'ended'],
        ] as const) {
          await api(server.url, token, 'POST', '/api/pages', { slug, title: slug, status });
          const published = await api(server.url, token, 'POST', `/api/pages/${slug}/posts`, {
            headline: `On ${slug}`,
            body: paragraph('Hello.'),
          });
          assert.equal(published.status, 201);
        }
        await server.stop();
        server = await startInstance(env);
        try {
          const warmed = server
            .stdout()
            .map((line) => JSON.parse(line) as { msg?: string; pages?: number })
            .find((line) => line.msg?.includes('before listening'));
          assert.equal(warmed?.pages, 1, 'the live page, not the ended one');
          // Before any reader has asked: the live page's render is in the cache, alone.
          assert.match(await scrape(server.url), /^liveline_render_cache_entries 1$/m);
          const page = await fetch(`${server.url}/live/warm`);
          assert.equal(page.status, 200);
          assert.match(await page.text(), /On warm/);
        } finally {
          await server.stop();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});

describe('WORKERS=2 on one machine with SQLite', () => {
  it('delivers a post to readers on every worker, through the primary', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'liveline-workers-'));
    const env = { DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', WORKERS: '2' };
    const token = await cliToken(env);
    const server = await startInstance(env);
    try {
      await api(server.url, token, 'POST', '/api/pages', {
        slug: 'workers',
        title: 'Workers',
        status: 'live',
      });
      // The primary hands connections to the workers in turn: four readers reach both.
      const opened: Promise<void>[] = [];
      const readers = Array.from({ length: 4 }, () => {
        let open!: () => void;
        opened.push(new Promise<void>((resolve) => (open = resolve)));
        return readEvents(`${server.url}/live/workers/events`, 1, {
          onOpen: open,
          timeoutMs: 2500,
        });
      });
      await Promise.all(opened);
      const published = await api(server.url, token, 'POST', '/api/pages/workers/posts', {
        headline: 'To every worker',
        body: paragraph('Hello.'),
      });
      assert.equal(published.status, 201);
      for (const events of await Promise.all(readers)) {
        assert.equal(events.length, 1, 'a reader missed the post');
        assert.equal(JSON.parse(events[0]?.data ?? '{}').postId, published.json.id);
      }
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
