import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ID_PATTERN, newId } from './ids.ts';

// Ids keep state between calls (the last millisecond and its random part), so each test below
// uses later times than the one before it.

/** Crockford's base32, lower case: no i, l, o or u. */
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const SHAPE = /^[0-9a-hjkmnp-tv-z]{20}$/;

/** The millisecond an id's first ten characters encode. */
function timeOf(id: string): number {
  return [...id.slice(0, 10)].reduce((n, char) => n * 32 + CROCKFORD.indexOf(char), 0);
}

test('ids are 20 URL-safe characters', { timeout: 10_000 }, () => {
  assert.match(newId(), new RegExp(ID_PATTERN));
});

test('ID_PATTERN takes exactly 20 lower-case letters and digits', { timeout: 10_000 }, () => {
  const pattern = new RegExp(ID_PATTERN);
  const id = newId();
  assert.match(id, pattern);
  for (const bad of [id.slice(1), `${id}0`, id.toUpperCase(), ` ${id.slice(1)}`, `${id}\n`]) {
    assert.doesNotMatch(bad, pattern, JSON.stringify(bad));
  }
});

test('an id starts with the millisecond it was made, in base32', { timeout: 10_000 }, () => {
  const id = newId(2_000_000_000_000);
  assert.equal(id.slice(0, 10), '01t6mmm800');
  assert.equal(timeOf(newId(2_000_000_000_777)), 2_000_000_000_777);
});

test('ids made one after another sort in order, even within one millisecond', () => {
  const ids = Array.from({ length: 5000 }, () => newId(1_700_000_000_000));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  const later = newId(1_700_000_000_001);
  assert.ok(later > (ids.at(-1) ?? ''));
});

test(
  'a burst within one millisecond keeps that millisecond and counts up the random part',
  {
    timeout: 10_000,
  },
  () => {
    const at = 2_100_000_000_000;
    const ids = Array.from({ length: 5000 }, () => newId(at));
    for (const id of ids) {
      assert.match(id, SHAPE);
      // The time never runs ahead of the clock, or ids made elsewhere would sort wrongly.
      assert.equal(timeOf(id), at, id);
    }
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
    const next = newId(at + 5);
    assert.equal(timeOf(next), at + 5, 'the next millisecond is written as it is');
    assert.ok(next > (ids.at(-1) ?? ''));
  },
);

test('a clock that steps back does not break the order', () => {
  const a = newId(2_200_000_000_000);
  const b = newId(2_199_999_999_000);
  assert.ok(b > a);
  assert.equal(timeOf(b), 2_200_000_000_000, 'the later time is kept');
});

test(
  'the random part is random, its first character 0 to f (room to count up)',
  {
    timeout: 10_000,
  },
  () => {
    const ids = Array.from({ length: 200 }, (_, k) => newId(2_300_000_000_000 + k * 10));
    assert.equal(new Set(ids.map((id) => id.slice(10))).size, ids.length);
    const firsts = new Set(ids.map((id) => id[10]));
    for (const first of firsts) assert.match(first ?? '', /^[0-9a-f]$/);
    // 200 draws of 16 values: one value alone has a chance of 16 * 16^-200.
    assert.ok(firsts.size > 1, `first random characters: ${[...firsts].join('')}`);
  },
);
