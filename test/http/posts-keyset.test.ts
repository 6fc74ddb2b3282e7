import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';

interface Listing {
  page: number | null;
  pageCount: number;
  total: number;
  posts: { id: string; headline: string }[];
  next: string | null;
}

const url = '/api/pages/keyset/posts';

describe('GET /api/pages/{slug}/posts?after=: keyset paging', { timeout: 60_000 }, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await t.call('editor', 'POST', '/api/pages', { slug: 'keyset', title: 'K', status: 'live' });
    for (let i = 1; i <= 45; i++) {
      t.clock.set(new Date(Date.UTC(2025, 2, 20, 12, 0, i)).toISOString());
      const res = await t.call('editor', 'POST', url, {
        headline: `Post ${i}`,
        body: [aParagraph('Text.')],
      });
      assert.equal(res.statusCode, 201);
    }
  });
  after(() => t.close());

  for (const as of [null, 'editor'] as const) {
    it(`follows next from page 1 through the same posts as page=N (${as ?? 'anonymous'})`, async () => {
      const byNumber: string[][] = [];
      for (let n = 1; n <= 3; n++) {
        const listing = (await t.call(as, 'GET', `${url}?page=${n}`)).json<Listing>();
        assert.equal(listing.page, n);
        assert.equal(listing.next === null, n === 3, `page ${n} has a next unless it is last`);
        byNumber.push(listing.posts.map((p) => p.headline));
      }
      const byCursor: string[][] = [];
      let listing = (await t.call(as, 'GET', url)).json<Listing>();
      byCursor.push(listing.posts.map((p) => p.headline));
      while (listing.next !== null) {
        const res = await t.call(as, 'GET', `${url}?after=${listing.next}`);
        assert.equal(res.statusCode, 200);
        listing = res.json<Listing>();
        assert.equal(listing.page, null);
        assert.equal(listing.total, 45);
        byCursor.push(listing.posts.map((p) => p.headline));
      }
      assert.deepEqual(byCursor, byNumber);
      assert.deepEqual(byCursor[0]?.slice(0, 2), ['Post 45', 'Post 44']);
      assert.deepEqual(byCursor[2]?.at(-1), 'Post 1');
    });
  }

  it('keeps its place when posts are published meanwhile', async () => {
    const first = (await t.call(null, 'GET', url)).json<Listing>();
    t.clock.set('2025-03-20T13:00:00.000Z');
    await t.call('editor', 'POST', url, { headline: 'Newer', body: [aParagraph('Text.')] });
    const second = (await t.call(null, 'GET', `${url}?after=${first.next}`)).json<Listing>();
    // By number the second page would now repeat Post 26; after the cursor it starts at 25.
    assert.equal(second.posts[0]?.headline, 'Post 25');
  });

  it('pages past a pinned post, and ends on a full last page without an empty one after', async () => {
    // 46 posts so far: take it to 40 (two full pages) and pin one in the middle.
    const all = (await t.call(null, 'GET', `${url}?page=1`)).json<Listing>().posts;
    for (const post of all.slice(0, 6)) {
      const res = await t.call('editor', 'DELETE', `${url}/${post.id}`);
      assert.equal(res.statusCode, 204, res.body);
    }
    const byNumber = await Promise.all(
      [1, 2].map(async (n) => (await t.call(null, 'GET', `${url}?page=${n}`)).json<Listing>()),
    );
    const pinned = byNumber[1]?.posts.find((p) => p.headline === 'Post 10');
    assert.ok(pinned);
    const pin = await t.call('editor', 'PATCH', `${url}/${pinned.id}`, {
      revision: 1,
      pinned: true,
    });
    assert.equal(pin.statusCode, 200, pin.body);

    const first = (await t.call(null, 'GET', url)).json<Listing>();
    assert.equal(first.posts[0]?.headline, 'Post 10', 'the pinned post leads');
    assert.ok(first.next);
    const second = (await t.call(null, 'GET', `${url}?after=${first.next}`)).json<Listing>();
    assert.deepEqual(
      [second.posts.length, second.next, second.pageCount, second.total],
      [20, null, 2, 40],
      'the last page is full and says so',
    );
    const headlines = [...first.posts, ...second.posts].map((p) => p.headline);
    assert.equal(new Set(headlines).size, 40, 'every post once');
    assert.deepEqual(headlines.slice(0, 3), ['Post 10', 'Post 40', 'Post 39']);
    assert.deepEqual(headlines.at(-1), 'Post 1');
  });

  it('refuses a cursor it did not give, naming the parameter', async () => {
    const forged = [
      'not-a-cursor',
      Buffer.from('[1,"2025-03-20T12:00:00.000Z"]').toString('base64url'),
      Buffer.from('[2,"2025-03-20T12:00:00.000Z","aaaaaaaaaaaaaaaaaaaa"]').toString('base64url'),
      Buffer.from('[0,"yesterday","aaaaaaaaaaaaaaaaaaaa"]').toString('base64url'),
      Buffer.from('[0,"2025-03-20T12:00:00.000Z","x\' or 1=1"]').toString('base64url'),
      Buffer.from('[0,"2025-03-20T12:00:00.000Z","aaaaaaaaaaaaaaaaaaaa",0]').toString('base64url'),
      Buffer.from('["0","2025-03-20T12:00:00.000Z","aaaaaaaaaaaaaaaaaaaa"]').toString('base64url'),
      // A number where the time or the id belongs, each of which would pass as text.
      Buffer.from('[0,0,"aaaaaaaaaaaaaaaaaaaa"]').toString('base64url'),
      Buffer.from('[0,"2025-03-20T12:00:00.000Z",12345678901234567000]').toString('base64url'),
      Buffer.from(
        '{"0":0,"1":"2025-03-20T12:00:00.000Z","2":"aaaaaaaaaaaaaaaaaaaa","length":3}',
      ).toString('base64url'),
    ];
    for (const cursor of forged) {
      for (const as of [null, 'editor'] as const) {
        const res = await t.call(as, 'GET', `${url}?after=${cursor}`);
        assert.equal(res.statusCode, 422, cursor);
        const problem = res.json<{
          code: string;
          detail: string;
          errors: { field: string; reason: string }[];
        }>();
        assert.equal(problem.code, 'VALIDATION_FAILED');
        assert.equal(problem.errors[0]?.field, '/after');
        assert.equal(problem.errors[0]?.reason, 'is not the next of an earlier page of posts');
        assert.equal(problem.detail, 'after: not a cursor this server gave');
      }
    }
    const tooLong = await t.call(null, 'GET', `${url}?after=${'a'.repeat(201)}`);
    assert.equal(tooLong.json<{ code: string }>().code, 'VALIDATION_FAILED');
  });
});
