import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamLimits } from './stream-limits.ts';

type Acquired = ReturnType<StreamLimits['acquire']>;

/** The slot taken, failing the test with the refusal when there was none. */
function slot(acquired: Acquired): { release(): void } {
  if ('refused' in acquired) assert.fail(`refused (${acquired.refused}) where a slot was free`);
  return acquired;
}

describe('event-stream limits', () => {
  it('lets one address hold up to its bound, then refuses it while others still get in', () => {
    const limits = new StreamLimits({ perAddress: 2, total: 10 });
    slot(limits.acquire('10.0.0.1'));
    slot(limits.acquire('10.0.0.1'));
    assert.deepEqual(limits.acquire('10.0.0.1'), { refused: 'address' });
    slot(limits.acquire('10.0.0.2'));
    assert.equal(limits.count('10.0.0.1'), 2);
    assert.equal(limits.count('10.0.0.2'), 1);
    assert.equal(limits.count('10.0.0.3'), 0, 'an address with no stream holds none');
    assert.equal(limits.count(), 3, 'the refused stream holds no place');
  });

  it('refuses every address once the process holds its total, and says the process is full', () => {
    const limits = new StreamLimits({ perAddress: 2, total: 3 });
    slot(limits.acquire('10.0.0.1'));
    slot(limits.acquire('10.0.0.1'));
    slot(limits.acquire('10.0.0.2'));
    assert.deepEqual(limits.acquire('10.0.0.3'), { refused: 'total' });
    // An address at its own bound is told the process is full (503), not that it holds too
    // many (429): waiting for its own streams to close would not let it in.
    assert.deepEqual(limits.acquire('10.0.0.1'), { refused: 'total' });
    assert.equal(limits.count(), 3);
    assert.equal(limits.count('10.0.0.3'), 0);
  });

  it('gives a place back when a reader leaves, once however often it is released', () => {
    const limits = new StreamLimits({ perAddress: 2, total: 3 });
    const first = slot(limits.acquire('10.0.0.1'));
    const second = slot(limits.acquire('10.0.0.1'));
    slot(limits.acquire('10.0.0.2'));
    first.release();
    first.release();
    assert.equal(limits.count('10.0.0.1'), 1, 'the second release gives nothing back');
    assert.equal(limits.count(), 2);
    // The place freed is usable by the same address and counted again.
    const again = slot(limits.acquire('10.0.0.1'));
    assert.equal(limits.count('10.0.0.1'), 2);
    assert.deepEqual(limits.acquire('10.0.0.1'), { refused: 'total' });
    second.release();
    again.release();
    assert.equal(limits.count('10.0.0.1'), 0);
    assert.equal(limits.count(), 1);
    // Both of the address's places are free again.
    slot(limits.acquire('10.0.0.1'));
    slot(limits.acquire('10.0.0.1'));
    assert.equal(limits.count(), 3);
  });
});
