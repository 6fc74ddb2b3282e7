import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryBus } from '../../bus/memory/memory-bus.ts';
import type { LivePage } from '../../domain/page.ts';
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

test('keeps at most maxBytes, least recently used out first', () => {
  const bus = new MemoryBus();
  const cache = new RenderCache({ bus, maxBytes: 10_000, now: () => 0 });
  const big = 'x'.repeat(3_000);
  cache.store('a', 'p', 1, big);
  cache.store('b', 'p', 1, big);
  cache.store('c', 'p', 1, big);
  assert.ok(cache.fresh('a'), 'a is used, so b is now the least recently used');
  cache.store('d', 'p', 1, big);
  assert.equal(cache.fresh('b'), null, 'the least recently used entry went');
  assert.ok(cache.fresh('a') && cache.fresh('c') && cache.fresh('d'));
  const { entries, bytes } = cache.size();
  assert.equal(entries, 3);
  assert.ok(bytes <= 10_000 && bytes >= 9_000, `held ${bytes} bytes`);
  cache.store('huge', 'p', 1, 'y'.repeat(20_000));
  assert.equal(cache.fresh('huge'), null, 'larger than the budget: served, not kept');
  assert.equal(cache.size().entries, 3);
  cache.close();
});

test('a rendering that began before a change was announced is never served as fresh', async () => {
  const { bus, cache } = setup();
  const page = { id: 'page-1', lastSeq: 24 } as unknown as LivePage;
  let announced = false;
  const rendered = await cache.through(
    'live',
    async () => page,
    async () => {
      // The change commits and is announced while the older page is being rendered.
      await bus.announce({ pageId: 'page-1', seq: 25 });
      announced = true;
      return 'page at 24';
    },
    () => ({}),
  );
  assert.ok(announced);
  assert.equal(rendered.body.toString(), 'page at 24', 'the request still gets its answer');
  assert.equal(cache.fresh('live'), null, 'but the next reader does not get it unchecked');
  assert.equal(cache.confirm('live', 25), null, 'nor once the page is at 25');
});
