import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryBus } from '../../bus/memory/memory-bus.ts';
import { RenderCache } from './render-cache.ts';

function setup() {
  let now = 0;
  const bus = new MemoryBus();
  const cache = new RenderCache({ bus, freshMs: 1000, maxEntries: 2, now: () => now });
  return { bus, cache, tick: (ms: number) => (now += ms) };
}

test('serves an entry while fresh, then only once the page is confirmed unchanged', () => {
  const { cache, tick } = setup();
  const stored = cache.store('k', 'page-1', 5, '<p>hi</p>');
  assert.equal(cache.fresh('k'), stored);
  assert.match(stored.etag, /^"[\w-]+"$/);
  tick(1000);
  assert.equal(cache.fresh('k'), null, 'stale after freshMs');
  assert.equal(cache.confirm('k', 6), null, 'the page moved on');
  assert.equal(cache.confirm('k', 5), stored);
  assert.equal(cache.fresh('k'), stored, 'confirming makes it fresh again');
});

test('drops a page at once when a change to it is announced', async () => {
  const { bus, cache } = setup();
  cache.store('a', 'page-1', 1, 'a');
  cache.store('b', 'page-2', 1, 'b');
  await bus.announce({ pageId: 'page-1', seq: 2 });
  assert.equal(cache.fresh('a'), null);
  assert.ok(cache.fresh('b'));
  cache.close();
});

test('keeps at most maxEntries, dropping the oldest', () => {
  const { cache } = setup();
  cache.store('1', 'p', 1, 'one');
  cache.store('2', 'p', 1, 'two');
  cache.store('3', 'p', 1, 'three');
  assert.equal(cache.fresh('1'), null);
  assert.ok(cache.fresh('2') && cache.fresh('3'));
});
