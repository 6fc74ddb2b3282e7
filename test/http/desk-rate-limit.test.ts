import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createPerson } from '../support/people.ts';

type Json = Record<string, unknown>;

for (const adapter of await adapters()) {
  describe(
    `sign-in is rate-limited per account and per address: ${adapter.name}`,
    { skip: adapter.skip, timeout: 60_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        // Every request comes from a different address (X-Forwarded-For, trusted here), so only
        // the per-account limit can stop the tenth guess.
        t = await startTestApp(opened.store, {
          trustProxy: '127.0.0.1',
          signInLimits: { perAddress: 5 },
        });
      });
      after(async () => {
        await t.app.close();
        await drop();
      });

      let address = 0;
      const attempt = (email: string, password: string, from = `198.51.100.${++address % 250}`) =>
        t.app.inject({
          method: 'POST',
          url: '/desk/api/sign-in',
          headers: { origin: t.origin, 'x-forwarded-for': from },
          payload: { email, password },
        });

      it('refuses the tenth wrong password in a row for one account with 429, even from new addresses, and then the right one too', async () => {
        const person = await createPerson(t);
        for (let i = 1; i <= 9; i++) {
          const res = await attempt(person.email, `wrong password ${i}`);
          assert.equal(res.statusCode, 401, `attempt ${i}`);
        }
        const tenth = await attempt(person.email, 'wrong password 10');
        assert.equal(tenth.statusCode, 429);
        assert.equal(tenth.json<Json>().code, 'RATE_LIMITED');
        assert.ok(Number(tenth.headers['retry-after']) > 0);
        const right = await attempt(person.email, person.password);
        assert.equal(right.statusCode, 429, 'a locked account refuses even the right password');
        assert.equal(right.headers['set-cookie'], undefined);
      });

      it('counts wrong passwords in a row: a sign-in in between starts again', async () => {
        const person = await createPerson(t);
        for (let i = 1; i <= 8; i++)
          assert.equal((await attempt(person.email, 'wrong wrong wrong')).statusCode, 401);
        assert.equal((await attempt(person.email, person.password)).statusCode, 200);
        for (let i = 1; i <= 8; i++)
          assert.equal((await attempt(person.email, 'wrong wrong wrong')).statusCode, 401);
        assert.equal((await attempt(person.email, person.password)).statusCode, 200);
      });

      it('limits one address across accounts', async () => {
        const people = await Promise.all([1, 2, 3, 4, 5, 6].map(() => createPerson(t)));
        const answers = [];
        for (const person of people)
          answers.push((await attempt(person.email, 'wrong guess here', '203.0.113.9')).statusCode);
        assert.deepEqual(answers, [401, 401, 401, 401, 401, 429]);
        const other = await attempt(
          people[0]?.email ?? '',
          people[0]?.password ?? '',
          '203.0.113.10',
        );
        assert.equal(other.statusCode, 200, 'another address is not affected');
      });
    },
  );
}
