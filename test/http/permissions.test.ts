import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';

type PostJson = { id: string; headline: string; revision: number; pinned: boolean };
type Problem = { code: string; detail: string };

/**
 * The role table as a contributor meets it over the API: each refusal is a 403 that says
 * in words what the role may not do, and leaves the page, its posts and its change log as they
 * were. (Every cell of the table, and its sentence, is in src/domain/permissions.test.ts; the
 * check is the same on both databases, so this runs on SQLite.)
 */
describe('the role table over the API', () => {
  let t: TestApp;
  const posts = '/api/pages/match/posts';
  const lastSeq = async () =>
    (await t.call(null, 'GET', '/api/pages/match')).json<{ lastSeq: number }>().lastSeq;
  const publish = async (as: 'contributor' | 'otherContributor', headline: string) => {
    const res = await t.call(as, 'POST', posts, { headline, body: [aParagraph(`${headline}.`)] });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<PostJson>();
  };
  const refused = (res: { statusCode: number; body: string; json<T>(): T }, sentence: string) => {
    assert.equal(res.statusCode, 403, res.body);
    assert.deepEqual((({ code, detail }) => ({ code, detail }))(res.json<Problem>()), {
      code: 'FORBIDDEN',
      detail: sentence,
    });
  };

  before(async () => {
    t = await startTestApp();
    const page = await t.call('editor', 'POST', '/api/pages', {
      slug: 'match',
      title: 'The final',
      status: 'live',
    });
    assert.equal(page.statusCode, 201, page.body);
  });
  after(() => t.close());

  it('refuses a contributor the page actions, and the page stays as it was', async () => {
    const seq = await lastSeq();
    refused(
      await t.call('contributor', 'POST', '/api/pages', { slug: 'mine', title: 'Mine' }),
      'The contributor role may not create live pages.',
    );
    assert.equal((await t.call(null, 'GET', '/api/pages/mine')).statusCode, 404);
    const { revision } = (await t.call(null, 'GET', '/api/pages/match')).json<{
      revision: number;
    }>();
    refused(
      await t.call('contributor', 'PATCH', '/api/pages/match', { revision, title: 'Renamed' }),
      'The contributor role may not change a live page.',
    );
    refused(
      await t.call('contributor', 'POST', '/api/import?slug=imported', 'Summary\n', {
        'content-type': 'text/plain',
      }),
      'The contributor role may not import live pages.',
    );
    assert.equal((await t.call(null, 'GET', '/api/pages/imported')).statusCode, 404);
    const page = (await t.call(null, 'GET', '/api/pages/match')).json<{ title: string }>();
    assert.equal(page.title, 'The final');
    assert.equal(await lastSeq(), seq, 'no change was logged');
  });

  it("refuses a contributor a colleague's post and every pin; the posts stay as they were", async () => {
    const mine = await publish('contributor', 'Mine');
    const theirs = await publish('otherContributor', 'Theirs');
    const seq = await lastSeq();
    refused(
      await t.call('contributor', 'PATCH', `${posts}/${theirs.id}`, {
        revision: theirs.revision,
        headline: 'Hijacked',
      }),
      "The contributor role may not edit someone else's post.",
    );
    refused(
      await t.call('contributor', 'DELETE', `${posts}/${theirs.id}`),
      "The contributor role may not delete someone else's post.",
    );
    refused(
      await t.call('contributor', 'PATCH', `${posts}/${mine.id}`, {
        revision: mine.revision,
        pinned: true,
      }),
      'The contributor role may not pin or unpin posts.',
    );
    refused(
      await t.call('contributor', 'POST', `${posts}/${theirs.id}/removal`, {
        reason: 'Legal advice',
      }),
      'The contributor role may not remove posts for legal reasons.',
    );
    const now = async (id: string) =>
      (await t.call(null, 'GET', `${posts}/${id}`)).json<PostJson>();
    assert.deepEqual(
      { headline: (await now(theirs.id)).headline, revision: (await now(theirs.id)).revision },
      { headline: 'Theirs', revision: theirs.revision },
    );
    assert.equal((await now(mine.id)).pinned, false);
    assert.equal(await lastSeq(), seq, 'no change was logged');
  });

  it('lets a contributor edit and delete their own post, and an editor anyone’s', async () => {
    const mine = await publish('contributor', 'Draft words');
    const edited = await t.call('contributor', 'PATCH', `${posts}/${mine.id}`, {
      revision: mine.revision,
      headline: 'Better words',
    });
    assert.equal(edited.statusCode, 200, edited.body);
    const byEditor = await t.call('editor', 'PATCH', `${posts}/${mine.id}`, {
      revision: edited.json<PostJson>().revision,
      headline: 'Best words',
      pinned: true,
    });
    assert.equal(byEditor.statusCode, 200, byEditor.body);
    const read = (await t.call(null, 'GET', `${posts}/${mine.id}`)).json<PostJson>();
    assert.deepEqual([read.headline, read.pinned], ['Best words', true]);
    const gone = await t.call('contributor', 'DELETE', `${posts}/${mine.id}`);
    assert.ok([200, 204].includes(gone.statusCode), gone.body);
    assert.equal((await t.call(null, 'GET', `${posts}/${mine.id}`)).statusCode, 404);
  });
});
