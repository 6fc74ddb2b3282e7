import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { RedisBus } from '../../src/bus/redis/redis-bus.ts';
import { connectPostgres } from '../../src/store/postgres/connect.ts';
import { aParagraph } from '../support/factories.ts';
import { createPerson, signIn } from '../support/people.ts';
import { freshPostgresStore, postgresUnavailable, TEST_DATABASE_URL } from '../support/postgres.ts';
import { redisUnavailable, TEST_REDIS_URL } from '../support/redis.ts';
import { readEvents, startTestServer, type TestServer } from '../support/server.ts';

const skip = (await postgresUnavailable()) ?? (await redisUnavailable()) ?? false;

/**
 * Two instances of one newsroom: one PostgreSQL schema, one Redis channel. A session made on
 * one works on the other, ends on both, and a draft saved on one reaches a desk on the other.
 */
describe('desk sessions and the desk stream across instances', { skip, timeout: 60_000 }, () => {
  let a: TestServer;
  let b: TestServer;
  const closers: (() => Promise<void>)[] = [];
  before(async () => {
    const fresh = await freshPostgresStore();
    closers.push(fresh.drop);
    const second = await connectPostgres(TEST_DATABASE_URL, {
      schema: fresh.schema,
      maxConnections: 3,
    });
    closers.push(() => second.close());
    const channel = `liveline-desk-test-${randomBytes(4).toString('hex')}`;
    const busA = await RedisBus.connect(TEST_REDIS_URL, { channel });
    const busB = await RedisBus.connect(TEST_REDIS_URL, { channel });
    closers.push(
      () => busA.close(),
      () => busB.close(),
    );
    a = await startTestServer(fresh.store, {}, { bus: busA });
    b = await startTestServer(second, {}, { bus: busB });
    closers.push(
      () => a.app.close(),
      () => b.app.close(),
    );
    await a.call('editor', 'POST', '/api/pages', {
      slug: 'shared',
      title: 'Shared',
      status: 'live',
    });
  });
  after(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  });

  it('a session made on one instance works on the other and ends on both', async () => {
    const person = await createPerson(a, { role: 'editor' });
    const desk = await signIn(a.url, person.email, person.password);
    const me = (url: string) => fetch(`${url}/desk/api/me`, { headers: { cookie: desk.cookie } });
    assert.equal((await me(b.url)).status, 200);
    // b checks the Origin against its own PUBLIC_URL.
    const out = await fetch(`${b.url}/desk/api/sign-out`, {
      method: 'POST',
      headers: { ...desk.headers, origin: b.url },
    });
    assert.equal(out.status, 204);
    assert.equal((await me(a.url)).status, 401);
  });

  it('a draft saved on one instance reaches a desk stream on the other', async () => {
    const writer = await createPerson(a, { role: 'contributor' });
    const watcher = await createPerson(a, { role: 'editor' });
    const writing = await signIn(a.url, writer.email, writer.password);
    const watching = await signIn(b.url, watcher.email, watcher.password);
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    const events = readEvents(`${b.url}/desk/api/pages/shared/events`, 2, {
      headers: { cookie: watching.cookie },
      timeoutMs: 5000,
      onEvent: (_e, n) => n === 1 && connected(),
    });
    await ready;
    const draft = await fetch(`${a.url}/api/pages/shared/posts`, {
      method: 'POST',
      headers: { ...writing.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ headline: 'Draft on a', body: [aParagraph('x')], status: 'draft' }),
    });
    assert.equal(draft.status, 201);
    assert.equal((await events).length, 2, 'the draft was announced to instance b');
  });
});
