import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY, nextAttempt } from './retry.ts';

describe('the outbox retry schedule', () => {
  const created = '2026-12-01T00:00:00.000Z';
  const at = (ms: number) => new Date(Date.parse(created) + ms);

  it('doubles the wait after each failure, up to an hour', () => {
    const waits = [1, 2, 3, 4, 10, 20].map((attempts) => {
      const now = at(0);
      const next = nextAttempt(DEFAULT_RETRY, attempts, created, now);
      return next === null ? null : Date.parse(next) - now.getTime();
    });
    assert.deepEqual(waits, [10_000, 20_000, 40_000, 80_000, 3_600_000, 3_600_000]);
  });

  it('gives up once the next try would be more than a day after the job was written', () => {
    assert.notEqual(nextAttempt(DEFAULT_RETRY, 30, created, at(22 * 3_600_000)), null);
    assert.equal(nextAttempt(DEFAULT_RETRY, 31, created, at(23.5 * 3_600_000)), null);
  });
});
