import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';

// One clock, given once, stamps everything: the times the services choose (publishedAt,
// coverage start) and the times the store writes (createdAt, updatedAt, the log's `at`).
describe('one clock for the services and the store', { timeout: 30_000 }, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('stamps a page, a post and their change-log entries with the time a test sets', async () => {
    t.clock.set('2031-05-04T10:00:00.000Z');
    const page = await t.call('editor', 'POST', '/api/pages', { slug: 'clocked', title: 'Clock' });
    assert.equal(page.statusCode, 201);
    assert.equal(page.json().createdAt, '2031-05-04T10:00:00.000Z');

    t.clock.set('2031-05-04T10:05:00.000Z');
    const live = await t.call('editor', 'PATCH', '/api/pages/clocked', {
      revision: 1,
      status: 'live',
    });
    assert.equal(live.json().startedAt, '2031-05-04T10:05:00.000Z');
    assert.equal(live.json().updatedAt, '2031-05-04T10:05:00.000Z');

    t.clock.set('2031-05-04T10:10:00.000Z');
    const post = await t.call('editor', 'POST', '/api/pages/clocked/posts', {
      headline: 'On time',
      body: [aParagraph('Exactly.')],
    });
    const json = post.json<{ publishedAt: string; createdAt: string; updatedAt: string }>();
    assert.deepEqual(
      [json.publishedAt, json.createdAt, json.updatedAt],
      Array(3).fill('2031-05-04T10:10:00.000Z'),
    );
    const log = await t.call(null, 'GET', '/api/pages/clocked/changes?since=0');
    assert.deepEqual(
      log.json<{ changes: { at: string }[] }>().changes.map((c) => c.at),
      ['2031-05-04T10:05:00.000Z', '2031-05-04T10:10:00.000Z'],
    );
  });
});
