import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChangeNotice } from '../bus/bus.ts';
import { MemoryBus } from '../bus/memory/memory-bus.ts';
import type { LivePage } from '../domain/page.ts';
import type { User } from '../domain/user.ts';
import { connectSqlite } from '../store/sqlite/connect.ts';
import type { Store } from '../store/store.ts';
import { aPage, aPost } from '../../test/support/factories.ts';
import { commit, commitOnPage, valueOf } from './commit.ts';
import { serviceDeps, type ServiceDeps } from './deps.ts';

// THE write path, under the use cases: what it announces after each commit, the page it
// locks, and a repeated Idempotency-Key. The HTTP suites reach it through every route.
describe('commit', { timeout: 20_000 }, () => {
  let store: Store;
  let deps: ServiceDeps;
  let page: LivePage;
  let user: User;
  const heard: ChangeNotice[] = [];
  before(async () => {
    store = await connectSqlite(':memory:');
    const bus = new MemoryBus();
    bus.subscribe((notice) => heard.push(notice));
    deps = serviceDeps({ store, bus });
    page = await store.transaction((tx) => tx.insertPage(aPage({ slug: 'commit' })));
    user = await store.transaction((tx) => tx.insertUser('Commit Editor', 'editor'));
  });
  after(() => store.close());

  const publish = (headline: string) =>
    commitOnPage(deps, 'commit', async ({ tx, log }, locked) => {
      const post = await tx.insertPost(aPost(locked.id, { headline }));
      await log(locked.id, post.id, { kind: 'post.published', post });
      return post;
    });

  it('announces the newest change once the commit is done', async () => {
    heard.length = 0;
    const post = valueOf(await publish('First'));
    const seq = (await store.getPage('commit'))?.lastSeq;
    assert.deepEqual(heard, [{ pageId: page.id, seq }]);
    assert.ok(post.id);
  });

  it('announces a write on a page that logs nothing at the page’s sequence number', async () => {
    // A draft: the desks hear of it, the public fan-out finds nothing newer than it sent.
    const before = await store.getPage('commit');
    heard.length = 0;
    await commitOnPage(deps, 'commit', async ({ tx }, locked) =>
      tx.insertPost(aPost(locked.id, { headline: 'Draft', status: 'draft' })),
    );
    assert.deepEqual(heard, [{ pageId: page.id, seq: before?.lastSeq }]);
  });

  it('announces nothing for a write on no page that logs nothing', async () => {
    heard.length = 0;
    await commit(deps, ({ tx }) => tx.insertUser('Someone New', 'contributor'));
    assert.deepEqual(heard, []);
  });

  it('refuses a write on a page that does not exist, writing nothing', async () => {
    heard.length = 0;
    let ran = false;
    await assert.rejects(
      commitOnPage(deps, 'nowhere', async () => {
        ran = true;
      }),
      { code: 'PAGE_NOT_FOUND', message: 'No live page has the slug "nowhere".' },
    );
    assert.deepEqual([ran, heard], [false, []]);
  });

  it('writes once for two racing requests with one key, and answers both alike', async () => {
    const before = (await store.getPage('commit'))?.postCount;
    const request = {
      key: 'race-key',
      fingerprint: 'same request',
      userId: user.id,
      answer: (post: { id: string }) => ({ status: 201, headers: {}, body: { id: post.id } }),
    };
    const write = () =>
      commitOnPage(
        deps,
        'commit',
        async ({ tx, log }, locked) => {
          const post = await tx.insertPost(aPost(locked.id, { headline: 'Raced' }));
          await tx.adjustPostCount(locked.id, 1);
          await log(locked.id, post.id, { kind: 'post.published', post });
          return post;
        },
        { idempotency: request },
      );
    const [one, two] = await Promise.all([write(), write()]);
    const written = [one, two].filter((c) => !c.replayed);
    const replayed = [one, two].filter((c) => c.replayed);
    assert.deepEqual([written.length, replayed.length], [1, 1]);
    const id = written[0] && !written[0].replayed ? written[0].value.id : '';
    assert.deepEqual(replayed[0]?.replayed && replayed[0].answer.body, { id });
    assert.equal((await store.getPage('commit'))?.postCount, (before ?? 0) + 1);
  });

  it('will not take the value of a replayed answer for a new write', () => {
    assert.throws(
      () => valueOf({ replayed: true, answer: { status: 201, headers: {}, body: {} } }),
      { message: 'a write without an Idempotency-Key was replayed' },
    );
    assert.equal(valueOf({ replayed: false, value: 7 }), 7);
  });
});
