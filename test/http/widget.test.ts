import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const HOSTILE = '"><script>window.__pwned=1</script><img src=x onerror=alert(1)>';
const SITE = 'https://news.liveline.test';

/** The sources of the `frame-ancestors` directive of a response's CSP. */
function frameAncestors(headers: Record<string, unknown>): string {
  const csp = String(headers['content-security-policy']);
  return /frame-ancestors ([^;]*)/.exec(csp)?.[1] ?? `(none in ${csp})`;
}

describe('the embeddable widget and /oembed over HTTP', () => {
  let t: TestApp;
  let postId: string;
  let draftId: string;
  const get = (url: string) => t.call(null, 'GET', url, undefined, { accept: 'text/html' });
  const oembed = (query: Record<string, string>) =>
    t.call(null, 'GET', `/oembed?${new URLSearchParams(query).toString()}`);

  before(async () => {
    t = await startTestApp(undefined, { publicUrl: SITE });
    const page = await t.call('editor', 'POST', '/api/pages', {
      slug: 'harbour',
      title: `Harbour ${HOSTILE}`,
      status: 'live',
    });
    assert.equal(page.statusCode, 201);
    for (let i = 1; i <= 22; i++) {
      const res = await t.call('editor', 'POST', '/api/pages/harbour/posts', {
        headline: i === 22 ? `Ferry ${HOSTILE}` : `Update ${i}`,
        publishedAt: new Date(Date.UTC(2025, 2, 20, 9, i)).toISOString(),
        body: [aParagraph(`Paragraph ${i} ${HOSTILE}`)],
      });
      assert.equal(res.statusCode, 201);
      postId = res.json<{ id: string }>().id;
    }
    const draft = await t.call('editor', 'POST', '/api/pages/harbour/posts', {
      headline: 'Not yet',
      status: 'draft',
      body: [aParagraph('Draft.')],
    });
    draftId = draft.json<{ id: string }>().id;
  });
  after(() => t.close());

  it('serves the embed view: page 1, live, framable by anyone, every post linked to its permalink', async () => {
    const res = await get('/live/harbour/embed');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(frameAncestors(res.headers), '*');
    assert.equal(res.headers['x-frame-options'], undefined);
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
    assert.equal((res.body.match(/<article/g) ?? []).length, 20);
    assert.match(res.body, /<base target="_blank"\/?>/);
    assert.match(res.body, new RegExp(`href="/live/harbour/posts/${postId}"`));
    assert.match(res.body, /data-events-url="\/live\/harbour\/events"/);
    assert.match(res.body, /<link rel="stylesheet" href="\/assets\/widget\.css\?v=/);
    assert.match(res.body, /<script src="\/assets\/widget-frame\.js\?v=[^"]+" defer/);
    assert.match(res.body, /name="robots" content="noindex"/);
    assert.doesNotMatch(res.body, /Not yet/, 'no draft');
    const css = await get(/href="(\/assets\/widget\.css\?v=[^"]+)"/.exec(res.body)?.[1] ?? '');
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);
  });

  it('escapes every text of the embed views', async () => {
    for (const url of ['/live/harbour/embed', `/live/harbour/posts/${postId}/embed`]) {
      const { body } = await get(url);
      assert.doesNotMatch(body, /<script>window/, url);
      assert.doesNotMatch(body, /<img src=x/, url);
      assert.match(body, /&lt;script>window\.__pwned=1&lt;\/script>/, url);
      assert.doesNotMatch(body, /<script(?![^>]*src=)/, `${url}: no inline script`);
    }
  });

  it('keeps refusing to be framed everywhere but the embed views', async () => {
    for (const url of [
      '/',
      '/live/harbour',
      '/live/harbour?page=2',
      `/live/harbour/posts/${postId}`,
      '/desk',
    ]) {
      // Twice: the second answer of a live page comes from the render cache.
      for (const round of [1, 2]) {
        const res = await get(url);
        assert.equal(res.statusCode, 200, url);
        assert.equal(frameAncestors(res.headers), "'self'", `${url} (read ${round})`);
        assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', url);
      }
    }
    const embed = await get('/live/harbour/embed');
    assert.equal(frameAncestors(embed.headers), '*', 'a cached embed view keeps its own rule');
  });

  it('a post has a framable card of its own; unknown pages and posts are framable 404s', async () => {
    const res = await get(`/live/harbour/posts/${postId}/embed`);
    assert.equal(res.statusCode, 200);
    assert.equal(frameAncestors(res.headers), '*');
    assert.equal((res.body.match(/<article/g) ?? []).length, 1);
    assert.match(res.body, /Ferry/);
    for (const url of ['/live/nowhere/embed', `/live/harbour/posts/${draftId}/embed`]) {
      const missing = await get(url);
      assert.equal(missing.statusCode, 404, url);
      assert.equal(frameAncestors(missing.headers), '*', url);
    }
  });

  it('serves the resize script to any site, at a stable address', async () => {
    const res = await get('/widget.js');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/javascript/);
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(res.headers['cache-control'], 'public, max-age=3600');
    assert.match(res.body, /liveline:widget-height/);
  });

  it('answers oEmbed for a live page: rich, the snippet as html, its size', async () => {
    const res = await oembed({ url: `${SITE}/live/harbour`, format: 'json' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const body = res.json<Record<string, unknown>>();
    assert.equal(body.version, '1.0');
    assert.equal(body.type, 'rich');
    assert.equal(body.provider_name, 'Liveline');
    assert.equal(body.provider_url, `${SITE}/`);
    assert.equal(body.title, `Harbour ${HOSTILE}`);
    assert.equal(body.width, 480);
    assert.equal(body.height, 640);
    const html = String(body.html);
    assert.match(html, new RegExp(`<iframe src="${SITE}/live/harbour/embed"`));
    assert.match(html, /width="480" height="640"/);
    assert.match(html, /data-liveline-widget/);
    assert.match(html, new RegExp(`<script async src="${SITE}/widget.js"></script>$`));
    // The title is an attribute: the hostile text stays inside it.
    assert.match(
      html,
      /title="Harbour &quot;>&lt;script>window.__pwned=1&lt;\/script>&lt;img src=x onerror=alert\(1\)>: live coverage"/,
    );
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    // Without format, and for a later page's address, the same page.
    const bare = await oembed({ url: `${SITE}/live/harbour?page=2` });
    assert.equal(bare.statusCode, 200);
    assert.equal(bare.json<{ html: string }>().html, html);
  });

  it('answers oEmbed for a post permalink, and honours maxwidth and maxheight', async () => {
    const res = await oembed({
      url: `${SITE}/live/harbour/posts/${postId}`,
      maxwidth: '300',
      maxheight: '200',
    });
    assert.equal(res.statusCode, 200);
    const body = res.json<{ title: string; width: number; height: number; html: string }>();
    assert.equal(body.title, `Ferry ${HOSTILE}`);
    assert.equal(body.width, 300);
    assert.equal(body.height, 200);
    assert.match(body.html, new RegExp(`src="${SITE}/live/harbour/posts/${postId}/embed"`));
    assert.match(body.html, /width="300" height="200"/);
    const wide = await oembed({ url: `${SITE}/live/harbour`, maxwidth: '2000' });
    assert.equal(wide.json<{ width: number }>().width, 480, 'a bound only ever shrinks');
  });

  it('refuses what it cannot answer with clear problems', async () => {
    const cases: [Record<string, string>, number, string, RegExp][] = [
      [{ url: `${SITE}/live/nowhere` }, 404, 'PAGE_NOT_FOUND', /nowhere/],
      [{ url: `${SITE}/live/harbour/posts/${draftId}` }, 404, 'POST_NOT_FOUND', /harbour/],
      [{ url: `${SITE}/live/harbour`, format: 'xml' }, 501, 'OEMBED_FORMAT_NOT_JSON', /format=xml/],
      [{ url: 'not a url' }, 400, 'OEMBED_URL_INVALID', /not an absolute URL/],
      [
        { url: 'https://elsewhere.test/live/harbour' },
        400,
        'OEMBED_URL_INVALID',
        /https:\/\/elsewhere\.test is not this site/,
      ],
      [
        { url: `${SITE}/desk/pages/harbour` },
        400,
        'OEMBED_URL_INVALID',
        /\/desk\/pages\/harbour is not a live page/,
      ],
      [{ url: `${SITE}/live/Harbour!` }, 400, 'OEMBED_URL_INVALID', /is not a live page/],
      [{ url: `${SITE}/live/harbour/posts/x/y` }, 400, 'OEMBED_URL_INVALID', /is not a live page/],
      [{}, 422, 'VALIDATION_FAILED', /url/],
      [{ url: `${SITE}/live/harbour`, maxwidth: '0' }, 422, 'VALIDATION_FAILED', /maxwidth/],
    ];
    for (const [query, status, code, detail] of cases) {
      const res = await oembed(query);
      const problem = res.json<{ code: string; detail: string; errors?: { field: string }[] }>();
      const where = JSON.stringify(query);
      assert.equal(res.statusCode, status, where);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/, where);
      assert.equal(problem.code, code, where);
      assert.match(`${problem.detail} ${JSON.stringify(problem.errors ?? [])}`, detail, where);
    }
  });

  it('lets live pages and permalinks be discovered by oEmbed consumers', async () => {
    const page = await get('/live/harbour');
    const href = (body: string) =>
      /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(body)?.[1];
    assert.equal(
      href(page.body),
      `${SITE}/oembed?url=${encodeURIComponent(`${SITE}/live/harbour`)}&amp;format=json`,
    );
    const permalink = await get(`/live/harbour/posts/${postId}`);
    const found = href(permalink.body)?.replaceAll('&amp;', '&') ?? '';
    const res = await t.call(null, 'GET', found.slice(SITE.length));
    assert.equal(res.statusCode, 200);
    assert.match(res.json<{ html: string }>().html, new RegExp(`posts/${postId}/embed`));
  });
});

describe('the embed view with EMBED_FRAME_ANCESTORS set', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(undefined, {
      widget: { frameAncestors: ['https://partner.example', 'https://*.partner.example'] },
    });
    await t.call('editor', 'POST', '/api/pages', { slug: 'quay', title: 'Quay', status: 'live' });
  });
  after(() => t.close());

  it('names only those sites in frame-ancestors, and leaves other pages alone', async () => {
    const embed = await t.call(null, 'GET', '/live/quay/embed');
    assert.equal(
      frameAncestors(embed.headers),
      'https://partner.example https://*.partner.example',
    );
    const page = await t.call(null, 'GET', '/live/quay');
    assert.equal(frameAncestors(page.headers), "'self'");
  });
});

describe('framing over a real socket, where cached pages are answered below Fastify', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    await t.call('editor', 'POST', '/api/pages', { slug: 'pier', title: 'Pier', status: 'live' });
  });
  after(() => t.close());

  it('never serves one framing rule for the other, however often each is read', async () => {
    const read = async (path: string) => {
      const res = await fetch(`${t.url}${path}`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      assert.equal(res.status, 200, path);
      return Object.fromEntries(res.headers);
    };
    for (let round = 1; round <= 3; round++) {
      const page = await read('/live/pier');
      assert.equal(frameAncestors(page), "'self'", `page, read ${round}`);
      assert.equal(page['x-frame-options'], 'SAMEORIGIN', `page, read ${round}`);
      const embed = await read('/live/pier/embed');
      assert.equal(frameAncestors(embed), '*', `embed view, read ${round}`);
      assert.equal(embed['x-frame-options'], undefined, `embed view, read ${round}`);
    }
  });
});
