import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';

/** A hash's algorithm, version and cost: everything before its salt. */
const parameters = (encoded: string) => encoded.split('$').slice(0, 4).join('$');

const median = (values: number[]) => values.toSorted((a, b) => a - b)[values.length >> 1] ?? NaN;

describe('passwords', () => {
  it('hashes with argon2id at OWASP’s first setting: 19 MiB, 2 passes, one lane', async () => {
    const hashed = await hashPassword('correct horse battery staple');
    assert.equal(parameters(hashed), '$argon2id$v=19$m=19456,t=2,p=1');
    assert.equal(await verifyPassword(hashed, 'correct horse battery staple'), true);
    assert.equal(await verifyPassword(hashed, 'correct horse battery stapl'), false);
  });

  it('keeps the dummy hash at the cost of a real one, so both take as long to check', async () => {
    assert.equal(parameters(DUMMY_HASH), parameters(await hashPassword('any')));
  });

  it('refuses every password when there is no hash, or one argon2 cannot read', async () => {
    assert.equal(await verifyPassword(null, ''), false);
    assert.equal(await verifyPassword(null, 'anything'), false);
    assert.equal(await verifyPassword('not a hash', 'not a hash'), false);
    assert.equal(await verifyPassword('', ''), false);
  });

  it('spends a verification on an unknown e-mail, as on a wrong password', async () => {
    // A security property, not a benchmark: without the dummy verification the answer for an
    // unknown e-mail comes back some 250 times sooner here and tells who has an account. The
    // work is counted in the process's CPU time (argon2 runs on libuv's threads, which it
    // includes), not the clock's, which other processes on a busy machine stretch at random.
    const stored = await hashPassword('right');
    const spent: Record<'none' | 'wrong', number[]> = { none: [], wrong: [] };
    for (let round = 0; round < 7; round++) {
      for (const [kind, hashed] of [
        ['none', null],
        ['wrong', stored],
      ] as const) {
        const start = process.cpuUsage();
        await verifyPassword(hashed, 'guess');
        const used = process.cpuUsage(start);
        spent[kind].push(used.user + used.system);
      }
    }
    const ratio = median(spent.none) / median(spent.wrong);
    assert.ok(ratio > 0.3, `no hash took ${ratio.toFixed(3)} of a wrong password's CPU time`);
  });
});
