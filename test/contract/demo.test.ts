import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBus } from '../../src/bus/memory/memory-bus.ts';
import { LivelineError } from '../../src/domain/errors.ts';
import { serviceDeps, type ServiceDeps } from '../../src/services/deps.ts';
import { DEMO_SLUG, loadDemoIfEmpty } from '../../src/services/demo.ts';
import type { Store, StoreWriter } from '../../src/store/store.ts';
import { adapters } from '../support/adapters.ts';
import { aPage } from '../support/factories.ts';

/** The same store, but every page it is asked to write fails with `failure`. */
function failingPages(store: Store, failure: Error): Store {
  const tx = (writer: StoreWriter) =>
    new Proxy(writer, {
      get: (target, key) =>
        key === 'insertPage'
          ? () => Promise.reject(failure)
          : (Reflect.get(target, key) as unknown),
    });
  return new Proxy(store, {
    get: (target, key) =>
      key === 'transaction'
        ? <T>(work: (writer: StoreWriter) => Promise<T>) =>
            target.transaction((writer) => work(tx(writer)))
        : (Reflect.get(target, key) as unknown),
  });
}

// The demo page loads at start on an empty database (src/main.ts), once however many
// instances start together: SQLite serialises them, PostgreSQL lets their writes race.
for (const adapter of await adapters()) {
  describe(`the demo page: ${adapter.name}`, { skip: adapter.skip, timeout: 60_000 }, () => {
    async function fresh(): Promise<{ deps: ServiceDeps; drop: () => Promise<void> }> {
      const opened = await adapter.open();
      return {
        deps: serviceDeps({ store: opened.store, bus: new MemoryBus() }),
        drop: opened.drop,
      };
    }

    it('loads once when eight instances start at the same moment', async (t) => {
      const { deps, drop } = await fresh();
      t.after(drop);
      const results = await Promise.all(Array.from({ length: 8 }, () => loadDemoIfEmpty(deps)));
      assert.deepEqual(
        results.filter((slug) => slug !== null),
        [DEMO_SLUG],
      );
      const page = await deps.store.getPage(DEMO_SLUG);
      assert.ok(page && page.postCount > 0);
      assert.equal(
        page.description,
        'A demonstration live page: a made-up rocket launch on the night the clocks go back.',
      );
      assert.equal((await deps.store.listPages()).length, 1);
      const author = await deps.store.findUserByName('Liveline demo');
      assert.equal(author?.role, 'admin', 'one author, named for the demo, who may publish');
      const [post] = await deps.store.listPosts(page.id, 0, 1);
      assert.equal(post?.authorId, author.id);
    });

    it('loads nothing into a database that has live pages', async (t) => {
      const { deps, drop } = await fresh();
      t.after(drop);
      await deps.store.transaction((tx) => tx.insertPage(aPage({ slug: 'our-own' })));
      assert.equal(await loadDemoIfEmpty(deps), null);
      assert.deepEqual(
        (await deps.store.listPages()).map((page) => page.slug),
        ['our-own'],
      );
      assert.equal(await deps.store.findUserByName('Liveline demo'), null, 'no demo author');
    });

    it('lets a failure other than a lost race reach the caller', async (t) => {
      const { deps, drop } = await fresh();
      t.after(drop);
      const failures = [
        new Error('disk full'),
        new LivelineError('DATABASE_UNAVAILABLE', 'The database is not answering.'),
      ];
      for (const failure of failures) {
        const failing = { ...deps, store: failingPages(deps.store, failure) };
        await assert.rejects(loadDemoIfEmpty(failing), failure);
      }
      assert.equal(await deps.store.getPage(DEMO_SLUG), null);
    });
  });
}
