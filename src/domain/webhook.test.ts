import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WEBHOOK_KINDS } from './webhook.ts';

describe('the kinds of change a webhook may ask for', { timeout: 10_000 }, () => {
  it('every logged kind but the log’s own tombstones (docs/webhooks.md)', () => {
    assert.deepEqual(WEBHOOK_KINDS, [
      'post.published',
      'post.edited',
      'post.deleted',
      'post.pinned',
      'post.unpinned',
      'page.updated',
      'page.status_changed',
    ]);
  });
});
