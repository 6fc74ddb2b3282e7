import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ID_PATTERN, newId } from './ids.ts';

test('ids are 20 URL-safe characters', () => {
  assert.match(newId(), new RegExp(ID_PATTERN));
});

test('ids made one after another sort in order, even within one millisecond', () => {
  const ids = Array.from({ length: 5000 }, () => newId(1_700_000_000_000));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  const later = newId(1_700_000_000_001);
  assert.ok(later > (ids.at(-1) ?? ''));
});

test('a clock that steps back does not break the order', () => {
  const a = newId(1_800_000_000_000);
  const b = newId(1_799_999_999_000);
  assert.ok(b > a);
});
