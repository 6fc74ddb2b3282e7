import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';

type Problem = { code: string; detail: string; errors: { field: string; reason: string }[] };
type PostJson = { id: string; revision: number; body: Record<string, unknown>[] };
type PageJson = { revision: number; leadMedia: Record<string, unknown> | null };

const ALLOWED = 'https://images.example.org';
const image = (src: string) => ({ type: 'image', src, alt: 'The harbour wall' });

// Pictures, videos and posters from origins outside MEDIA_REMOTE_ORIGINS are refused at
// publish and edit (posts and lead media), naming the field and the allowed origins, and
// nothing is stored: the CSP would block them in readers' browsers anyway (ADR 0020).
describe('remote media outside MEDIA_REMOTE_ORIGINS', { timeout: 60_000 }, () => {
  let t: TestApp;
  const slug = 'harbour';
  const posts = `/api/pages/${slug}/posts`;
  const stored = async () =>
    (await t.call('editor', 'GET', posts)).json<{ posts: PostJson[] }>().posts;
  const page = async () => (await t.call('editor', 'GET', `/api/pages/${slug}`)).json<PageJson>();

  before(async () => {
    t = await startTestApp(undefined, { mediaRemoteOrigins: [ALLOWED, 'https://cdn.example.net'] });
    const res = await t.call('editor', 'POST', '/api/pages', { slug, title: 'Harbour fire' });
    assert.equal(res.statusCode, 201, res.body);
  });
  after(() => t.close());

  it('refuses a post whose picture, gallery picture, video or poster is elsewhere', async () => {
    const res = await t.call('contributor', 'POST', posts, {
      headline: 'Smoke over the harbour',
      body: [
        aParagraph('The fire spread.'),
        image('https://evil.example/fire.jpg'),
        {
          type: 'gallery',
          images: [image(`${ALLOWED}/a.jpg`), image('http://images.example.org/b.jpg')],
        },
        { type: 'video', src: 'https://videos.example/fire.mp4', poster: '/media/still.jpg' },
        { type: 'video', src: `${ALLOWED}/fire.mp4`, poster: 'https://evil.example/p.jpg' },
      ],
    });
    assert.equal(res.statusCode, 422, res.body);
    const problem = res.json<Problem>();
    assert.equal(problem.code, 'VALIDATION_FAILED');
    assert.deepEqual(
      problem.errors.map((p) => p.field),
      ['/body/1/src', '/body/2/images/1/src', '/body/3/src', '/body/4/poster'],
    );
    assert.match(
      problem.errors[0]!.reason,
      /"https:\/\/evil\.example\/fire\.jpg" is not from an origin pictures and videos may come from \(https:\/\/images\.example\.org, https:\/\/cdn\.example\.net\)/,
    );
    assert.match(problem.detail, /^\/body\/1\/src: /);
    assert.deepEqual(await stored(), [], 'nothing stored');
  });

  it('publishes pictures from an allowed origin or this site', async () => {
    const body = [
      image(`${ALLOWED}/fire.jpg`),
      image('https://CDN.example.net/fire.jpg'),
      image('/media/local.jpg'),
      { type: 'video', src: '/media/fire.mp4', poster: `${ALLOWED}/still.jpg` },
    ];
    const res = await t.call('contributor', 'POST', posts, { headline: 'Allowed', body });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json<PostJson>().body, body);
  });

  it('refuses an edit that brings a picture from elsewhere and changes nothing', async () => {
    const [post] = await stored();
    assert.ok(post);
    const res = await t.call('contributor', 'PATCH', `${posts}/${post.id}`, {
      revision: post.revision,
      body: [...post.body, image('https://evil.example/more.jpg')],
    });
    assert.equal(res.statusCode, 422, res.body);
    assert.deepEqual(
      res.json<Problem>().errors.map((p) => p.field),
      [`/body/${post.body.length}/src`],
    );
    const [after] = await stored();
    assert.deepEqual(after, post, 'the post is as it was');
  });

  it('refuses lead media from elsewhere on a new page and on an edit', async () => {
    const created = await t.call('editor', 'POST', '/api/pages', {
      slug: 'elsewhere',
      title: 'Elsewhere',
      leadMedia: { kind: 'image', src: 'https://evil.example/lead.jpg', caption: '' },
    });
    assert.equal(created.statusCode, 422, created.body);
    assert.deepEqual(
      created.json<Problem>().errors.map((p) => p.field),
      ['/leadMedia/src'],
    );
    assert.equal((await t.call('editor', 'GET', '/api/pages/elsewhere')).statusCode, 404);

    const before = await page();
    const edited = await t.call('editor', 'PATCH', `/api/pages/${slug}`, {
      revision: before.revision,
      leadMedia: {
        kind: 'video',
        src: `${ALLOWED}/lead.mp4`,
        poster: 'https://evil.example/poster.jpg',
        caption: 'The harbour',
      },
    });
    assert.equal(edited.statusCode, 422, edited.body);
    const problem = edited.json<Problem>();
    assert.deepEqual(
      problem.errors.map((p) => p.field),
      ['/leadMedia/poster'],
    );
    assert.match(problem.detail, /https:\/\/images\.example\.org, https:\/\/cdn\.example\.net/);
    assert.deepEqual(await page(), before, 'the page is as it was');

    const allowed = { kind: 'image', src: `${ALLOWED}/lead.jpg`, alt: 'Smoke', caption: '' };
    const ok = await t.call('editor', 'PATCH', `/api/pages/${slug}`, {
      revision: before.revision,
      leadMedia: allowed,
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json<PageJson>().leadMedia, allowed);
  });

  it('needs the alt text of an uploaded lead picture', async () => {
    const before = await page();
    const res = await t.call('editor', 'PATCH', `/api/pages/${slug}`, {
      revision: before.revision,
      leadMedia: { kind: 'image', media: 'a'.repeat(64), width: 800, height: 600, caption: '' },
    });
    assert.equal(res.statusCode, 422, res.body);
    assert.deepEqual(
      res.json<Problem>().errors.map((p) => p.field),
      ['/leadMedia/alt'],
    );
    assert.deepEqual(await page(), before);
  });
});

describe(
  'remote media with the default MEDIA_REMOTE_ORIGINS and with none',
  { timeout: 60_000 },
  () => {
    it('takes any https address by default, never plain http', async () => {
      const t = await startTestApp();
      try {
        await t.call('editor', 'POST', '/api/pages', { slug: 'open', title: 'Open' });
        const ok = await t.call('editor', 'POST', '/api/pages/open/posts', {
          headline: 'Any https',
          body: [image('https://anything.example/fire.jpg')],
        });
        assert.equal(ok.statusCode, 201, ok.body);
        const plain = await t.call('editor', 'POST', '/api/pages/open/posts', {
          headline: 'Plain http',
          body: [image('http://anything.example/fire.jpg')],
        });
        assert.equal(plain.statusCode, 422, plain.body);
        assert.match(plain.json<Problem>().errors[0]!.reason, /\(any https address\)/);
      } finally {
        await t.close();
      }
    });

    it('takes only this site’s pictures with none', async () => {
      const t = await startTestApp(undefined, { mediaRemoteOrigins: [] });
      try {
        await t.call('editor', 'POST', '/api/pages', { slug: 'closed', title: 'Closed' });
        const res = await t.call('editor', 'POST', '/api/pages/closed/posts', {
          headline: 'Remote',
          body: [image('https://images.example.org/fire.jpg'), image('/media/ok.jpg')],
        });
        assert.equal(res.statusCode, 422, res.body);
        assert.deepEqual(
          res
            .json<Problem>()
            .errors.map((p) => [p.field, /allows no remote address/.test(p.reason)]),
          [['/body/0/src', true]],
        );
      } finally {
        await t.close();
      }
    });
  },
);
