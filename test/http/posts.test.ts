import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';

type PostJson = {
  id: string;
  headline: string;
  revision: number;
  pinned: boolean;
  updatedAt: string;
  createdAt: string;
};
type Listing = { page: number; pageCount: number; total: number; posts: PostJson[] };

describe('posts over HTTP', () => {
  let t: TestApp;
  const url = '/api/pages/match/posts';
  const publish = (
    as: 'editor' | 'contributor' | 'otherContributor',
    headline: string,
    extra: object = {},
  ) => t.call(as, 'POST', url, { headline, body: [aParagraph(`${headline}.`)], ...extra });

  before(async () => {
    t = await startTestApp();
    await t.call('editor', 'POST', '/api/pages', {
      slug: 'match',
      title: 'The final',
      status: 'live',
    });
  });
  after(() => t.close());

  it('publishes a post with every kind of block and reads it back', async () => {
    const body = [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Kick-off ', bold: true },
          { type: 'link', text: 'report', href: 'https://example.org/r', external: true },
        ],
      },
      {
        type: 'quote',
        content: [{ type: 'text', text: 'We are ready.' }],
        attribution: 'The captain',
      },
      {
        type: 'list',
        items: [[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two', italic: true }]],
      },
      {
        type: 'image',
        src: 'https://example.org/a.jpg',
        alt: 'The stadium',
        caption: 'Full house',
        credit: 'Reuters',
        width: 1200,
        height: 675,
      },
      { type: 'video', provider: 'youtube', providerId: 'abc_123', caption: 'Highlights' },
      {
        type: 'embed',
        provider: 'x',
        url: 'https://x.com/a/status/1',
        text: 'Big night',
        author: '@club',
      },
    ];
    const res = await t.call('contributor', 'POST', url, {
      headline: 'Kick-off',
      body,
      labels: ['key', 'breaking'],
      contributors: [
        { name: 'Frank Gardner', role: 'Sports correspondent' },
        { name: 'BBC Sport' },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    const post = res.json<PostJson & { body: unknown; labels: string[]; status: string }>();
    assert.deepEqual(post.body, body);
    assert.deepEqual(post.labels, ['breaking', 'key']);
    assert.equal(post.status, 'published');
    assert.equal(post.revision, 1);
    assert.equal(res.headers.location, `${url}/${post.id}`);
    const read = await t.call(null, 'GET', `${url}/${post.id}`);
    assert.deepEqual(read.json(), post);
  });

  it('pages through posts 20 at a time, pinned first on page 1, then newest first', async () => {
    for (let i = 1; i <= 44; i++) {
      const minute = String(i).padStart(2, '0');
      await publish('editor', `Minute ${minute}`, {
        publishedAt: `2025-06-01T15:${minute}:00.000Z`,
      });
    }
    const pinned = await publish('editor', 'Pinned: the line-ups', {
      pinned: true,
      publishedAt: '2025-06-01T14:00:00.000Z',
    });
    assert.equal(pinned.statusCode, 201);
    const one = (await t.call(null, 'GET', url)).json<Listing>();
    assert.equal(one.total, 46);
    assert.equal(one.pageCount, 3);
    assert.equal(one.page, 1);
    assert.equal(one.posts.length, 20);
    assert.deepEqual(
      one.posts.slice(0, 3).map((p) => p.headline),
      ['Pinned: the line-ups', 'Kick-off', 'Minute 44'],
    );
    const three = (await t.call(null, 'GET', `${url}?page=3`)).json<Listing>();
    assert.deepEqual(
      three.posts.map((p) => p.headline),
      ['Minute 06', 'Minute 05', 'Minute 04', 'Minute 03', 'Minute 02', 'Minute 01'],
    );
    const beyond = await t.call(null, 'GET', `${url}?page=4`);
    assert.equal(beyond.statusCode, 404);
    assert.equal(beyond.json().code, 'PAGE_OUT_OF_RANGE');
    assert.equal((await t.call(null, 'GET', `${url}?page=0`)).statusCode, 422);
    assert.equal((await t.call(null, 'GET', `${url}?page=two`)).statusCode, 422);
  });

  it('stores a published time given with an offset as the same instant in UTC', async () => {
    const res = await publish('editor', 'Offset', { publishedAt: '2025-06-01T09:05:00+01:00' });
    const post = res.json<PostJson & { publishedAt: string }>();
    assert.equal(post.publishedAt, '2025-06-01T08:05:00.000Z');
    await t.call('editor', 'DELETE', `${url}/${post.id}`);
  });

  it('pinning another post unpins the first and logs both', async () => {
    const first = (await t.call(null, 'GET', url)).json<Listing>().posts[0];
    const target = (await t.call(null, 'GET', `${url}?page=2`)).json<Listing>().posts[0];
    assert.ok(first && target);
    const before = (await t.call(null, 'GET', '/api/pages/match')).json<{ lastSeq: number }>()
      .lastSeq;
    const res = await t.call('editor', 'PATCH', `${url}/${target.id}`, {
      revision: target.revision,
      pinned: true,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(
      res.json<PostJson>().revision,
      target.revision,
      'pinning is not an edit of the text',
    );
    const top = (await t.call(null, 'GET', url)).json<Listing>().posts.slice(0, 1);
    assert.deepEqual(
      top.map((p) => p.id),
      [target.id],
    );
    const log = (await t.call(null, 'GET', `/api/pages/match/changes?since=${before}`)).json<{
      changes: { kind: string; postId: string }[];
    }>();
    assert.deepEqual(
      log.changes.map((c) => [c.kind, c.postId]),
      [
        ['post.unpinned', first.id],
        ['post.pinned', target.id],
      ],
    );
  });

  it('edits at the current revision and refuses a stale one without changing anything', async () => {
    const post = (await publish('contributor', 'Half-time')).json<PostJson>();
    const edit = await t.call('editor', 'PATCH', `${url}/${post.id}`, {
      revision: 1,
      headline: 'Half-time: 1-0',
    });
    assert.equal(edit.statusCode, 200);
    const edited = edit.json<PostJson>();
    assert.equal(edited.revision, 2);
    assert.ok(edited.updatedAt >= edited.createdAt);
    const lastSeq = (await t.call(null, 'GET', '/api/pages/match')).json<{ lastSeq: number }>()
      .lastSeq;
    const stale = await t.call('contributor', 'PATCH', `${url}/${post.id}`, {
      revision: 1,
      headline: 'Half-time: 0-0',
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'EDIT_CONFLICT');
    assert.equal(stale.json().currentRevision, 2);
    assert.equal(
      (await t.call(null, 'GET', `${url}/${post.id}`)).json<PostJson>().headline,
      'Half-time: 1-0',
    );
    assert.equal(
      (await t.call(null, 'GET', '/api/pages/match')).json<{ lastSeq: number }>().lastSeq,
      lastSeq,
    );
  });

  it('lets contributors change only their own posts, and never pin', async () => {
    const mine = (await publish('contributor', 'Mine')).json<PostJson>();
    const theirs = (await publish('otherContributor', 'Theirs')).json<PostJson>();
    const del = await t.call('contributor', 'DELETE', `${url}/${theirs.id}`);
    assert.equal(del.statusCode, 403);
    assert.match(del.json<{ detail: string }>().detail, /someone else's post/);
    assert.equal((await t.call(null, 'GET', `${url}/${theirs.id}`)).statusCode, 200);
    const edit = await t.call('contributor', 'PATCH', `${url}/${theirs.id}`, {
      revision: 1,
      headline: 'Hijacked',
    });
    assert.equal(edit.statusCode, 403);
    const pin = await t.call('contributor', 'PATCH', `${url}/${mine.id}`, {
      revision: 1,
      pinned: true,
    });
    assert.equal(pin.statusCode, 403);
    const pinNew = await publish('contributor', 'Pin me', { pinned: true });
    assert.equal(pinNew.statusCode, 403);
    const own = await t.call('contributor', 'PATCH', `${url}/${mine.id}`, {
      revision: 1,
      headline: 'Mine, edited',
    });
    assert.equal(own.statusCode, 200);
  });

  it('deletes a post: gone from reads, the count and the listing, with a log entry', async () => {
    const post = (await publish('contributor', 'Wrong score')).json<PostJson>();
    const total = (await t.call(null, 'GET', url)).json<Listing>().total;
    const res = await t.call('contributor', 'DELETE', `${url}/${post.id}`);
    assert.equal(res.statusCode, 204);
    assert.equal((await t.call(null, 'GET', `${url}/${post.id}`)).statusCode, 404);
    assert.equal((await t.call('contributor', 'DELETE', `${url}/${post.id}`)).statusCode, 404);
    const listing = (await t.call(null, 'GET', url)).json<Listing>();
    assert.equal(listing.total, total - 1);
    assert.ok(!listing.posts.some((p) => p.id === post.id));
    const page = (await t.call(null, 'GET', '/api/pages/match')).json<{ lastSeq: number }>();
    const log = (
      await t.call(null, 'GET', `/api/pages/match/changes?since=${page.lastSeq - 1}`)
    ).json<{
      changes: { kind: string; postId: string }[];
    }>();
    assert.deepEqual(log.changes, [{ ...log.changes[0], kind: 'post.deleted', postId: post.id }]);
  });

  it('keeps drafts out of public reads and the log until published', async () => {
    const before = (await t.call(null, 'GET', '/api/pages/match')).json<{
      lastSeq: number;
      postCount: number;
    }>();
    const draft = (await publish('contributor', 'Embargoed', { status: 'draft' })).json<PostJson>();
    assert.equal((await t.call(null, 'GET', `${url}/${draft.id}`)).statusCode, 404);
    assert.equal((await t.call('contributor', 'GET', `${url}/${draft.id}`)).statusCode, 200);
    const mid = (await t.call(null, 'GET', '/api/pages/match')).json<{
      lastSeq: number;
      postCount: number;
    }>();
    assert.deepEqual([mid.lastSeq, mid.postCount], [before.lastSeq, before.postCount]);
    const published = await t.call('contributor', 'PATCH', `${url}/${draft.id}`, {
      revision: 1,
      status: 'published',
    });
    assert.equal(published.statusCode, 200);
    const now = (await t.call(null, 'GET', '/api/pages/match')).json<{
      lastSeq: number;
      postCount: number;
    }>();
    assert.deepEqual([now.lastSeq, now.postCount], [before.lastSeq + 1, before.postCount + 1]);
  });

  it('serves changes in bounded batches with an ETag and answers 304 when nothing changed', async () => {
    const { lastSeq } = (await t.call(null, 'GET', '/api/pages/match')).json<{ lastSeq: number }>();
    for (let seq = lastSeq; seq < 120; seq++) await publish('editor', `Update ${seq}`);
    const first = await t.call(null, 'GET', '/api/pages/match/changes?since=0');
    const batch = first.json<{
      changes: { seq: number }[];
      lastSeq: number;
      latestSeq: number;
      hasMore: boolean;
    }>();
    assert.equal(batch.changes.length, 100);
    assert.equal(batch.lastSeq, 100);
    assert.equal(batch.hasMore, true);
    assert.deepEqual(
      batch.changes.map((c) => c.seq),
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    const etag = first.headers.etag;
    assert.ok(etag);
    assert.match(
      String(first.headers['cache-control']),
      /s-maxage=\d+, stale-while-revalidate=\d+/,
    );
    const again = await t.call(null, 'GET', '/api/pages/match/changes?since=0', undefined, {
      'if-none-match': String(etag),
    });
    assert.equal(again.statusCode, 304);
    const tail = (
      await t.call(null, 'GET', `/api/pages/match/changes?since=${batch.latestSeq}`)
    ).json<typeof batch>();
    assert.deepEqual(
      [tail.changes.length, tail.hasMore, tail.lastSeq],
      [0, false, batch.latestSeq],
    );

    const listing = await t.call(null, 'GET', url);
    const cached = await t.call(null, 'GET', url, undefined, {
      'if-none-match': String(listing.headers.etag),
    });
    assert.equal(cached.statusCode, 304);
    await publish('editor', 'Full time');
    const fresh = await t.call(null, 'GET', url, undefined, {
      'if-none-match': String(listing.headers.etag),
    });
    assert.equal(fresh.statusCode, 200);
  });
});
