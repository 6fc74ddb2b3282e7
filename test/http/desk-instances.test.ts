import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aParagraph } from '../support/factories.ts';
import { createPerson, signIn } from '../support/people.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { redisUnavailable } from '../support/redis.ts';
import { readEvents, type TestServer } from '../support/server.ts';
import { twoInstances } from '../support/two-instances.ts';

const skip = (await postgresUnavailable()) ?? (await redisUnavailable()) ?? false;

/**
 * Two instances of one newsroom: one PostgreSQL schema, one Redis channel. A session made on
 * one works on the other, ends on both, and a draft saved on one reaches a desk on the other.
 */
describe('desk sessions and the desk stream across instances', { skip, timeout: 60_000 }, () => {
  let a: TestServer;
  let b: TestServer;
  let close: () => Promise<void>;
  before(async () => {
    ({ a, b, close } = await twoInstances());
  });
  after(() => close());

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
