import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aBodyOf, aParagraph } from '../support/factories.ts';

type Problem = {
  code: string;
  status: number;
  detail: string;
  errors?: { field: string; reason: string }[];
};

describe('bad input gets a clear error and changes nothing', () => {
  let t: TestApp;
  const url = '/api/pages/storm/posts';
  const state = async () => {
    const page = (await t.call(null, 'GET', '/api/pages/storm')).json<{
      lastSeq: number;
      postCount: number;
    }>();
    return { lastSeq: page.lastSeq, postCount: page.postCount };
  };
  let initial: { lastSeq: number; postCount: number };

  before(async () => {
    t = await startTestApp();
    await t.call('editor', 'POST', '/api/pages', { slug: 'storm', title: 'Storm', status: 'live' });
    await t.call('editor', 'POST', url, { headline: 'First', body: [aParagraph('One.')] });
    initial = await state();
  });
  after(async () => {
    assert.deepEqual(await state(), initial, 'a rejected request wrote something');
    await t.close();
  });

  const rejects = async (
    body: unknown,
    status: number,
    code: string,
    headers: Record<string, string> = {},
  ) => {
    const res = await t.call('editor', 'POST', url, body, headers);
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const problem = res.json<Problem>();
    assert.equal(problem.code, code);
    assert.equal(problem.status, status);
    return problem;
  };

  it('refuses malformed JSON with 400', async () => {
    const problem = await rejects('{"headline": "x", ', 400, 'MALFORMED_JSON', {
      'content-type': 'application/json',
    });
    assert.ok(problem.detail.length > 0);
  });

  it('refuses a body over 256 KiB with 413', async () => {
    await rejects({ headline: 'Huge', body: aBodyOf(300_000) }, 413, 'BODY_TOO_LARGE');
  });

  it('refuses unknown fields, naming them, at any depth', async () => {
    const top = await rejects({ headline: 'x', body: [], mood: 'happy' }, 422, 'VALIDATION_FAILED');
    assert.deepEqual(top.errors, [{ field: 'body/mood', reason: 'is not a known field' }]);
    const deep = await rejects(
      { headline: 'x', body: [{ type: 'image', alt: 'a', onerror: 'alert(1)' }] },
      422,
      'VALIDATION_FAILED',
    );
    assert.deepEqual(deep.errors, [
      { field: 'body/body/0/onerror', reason: 'is not a known field' },
    ]);
  });

  it('refuses links that are not http, https or mailto', async () => {
    const problem = await rejects(
      {
        headline: 'x',
        body: [
          {
            type: 'paragraph',
            content: [
              { type: 'link', text: 'click', href: 'javascript:alert(1)', external: false },
            ],
          },
        ],
      },
      422,
      'VALIDATION_FAILED',
    );
    assert.equal(problem.errors?.[0]?.field, 'body/body/0/content/0/href');
    assert.match(problem.errors?.[0]?.reason ?? '', /pattern/);
  });

  it('refuses strings over their limit, missing fields, wrong types and unknown block types', async () => {
    const long = await rejects({ headline: 'x'.repeat(301), body: [] }, 422, 'VALIDATION_FAILED');
    assert.equal(long.errors?.[0]?.field, 'body/headline');
    const missing = await rejects({ body: [] }, 422, 'VALIDATION_FAILED');
    assert.deepEqual(missing.errors, [{ field: 'body/headline', reason: 'is required' }]);
    const type = await rejects({ headline: 42, body: [] }, 422, 'VALIDATION_FAILED');
    assert.equal(type.errors?.[0]?.field, 'body/headline');
    const block = await rejects(
      { headline: 'x', body: [{ type: 'iframe', src: 'https://x' }] },
      422,
      'VALIDATION_FAILED',
    );
    assert.equal(block.errors?.[0]?.field, 'body/body/0');
    const label = await rejects(
      { headline: 'x', body: [], labels: ['sponsored'] },
      422,
      'VALIDATION_FAILED',
    );
    assert.equal(label.errors?.[0]?.field, 'body/labels/0');
    const time = await rejects(
      { headline: 'x', body: [], publishedAt: 'yesterday' },
      422,
      'VALIDATION_FAILED',
    );
    assert.equal(time.errors?.[0]?.field, 'body/publishedAt');
  });

  it('refuses a body that is not JSON', async () => {
    await rejects('headline=x', 415, 'UNSUPPORTED_MEDIA_TYPE', {
      'content-type': 'application/x-www-form-urlencoded',
    });
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await t.call(null, 'GET', '/api/nothing-here');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json<Problem>().code, 'ROUTE_NOT_FOUND');
  });
});
