import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_LISTED, presentOthers } from './activity.ts';
import type { Activity, PresenceEntry } from './presence.ts';

const entry = (n: number, activity: Activity): PresenceEntry => ({
  connection: `connection-${n}`,
  pageId: 'page',
  userId: `user-${n}`,
  name: `Person ${n}`,
  activity,
  postId: activity === 'editing' ? `post-${n}` : null,
  since: new Date(Date.UTC(2026, 11, 1, 8, 0, n)).toISOString(),
});

describe('what one desk tab is told of the others', () => {
  it('leaves its own entry out, and every connection id', () => {
    const others = presentOthers([entry(1, 'viewing'), entry(2, 'editing')], 'connection-1');
    assert.deepEqual(others, [
      {
        userId: 'user-2',
        name: 'Person 2',
        activity: 'editing',
        postId: 'post-2',
        since: '2026-12-01T08:00:02.000Z',
      },
    ]);
  });

  it('on a crowded page leaves out viewers, never a lock or a writer, and keeps the order', () => {
    const crowd = Array.from({ length: MAX_LISTED + 20 }, (_, n) => entry(n, 'viewing'));
    crowd.push(entry(500, 'editing'), entry(501, 'writing'));
    const others = presentOthers(crowd, null);
    assert.equal(others.length, MAX_LISTED);
    assert.deepEqual(
      others.slice(-2).map((o) => o.activity),
      ['editing', 'writing'],
    );
    assert.equal(others[0]?.name, 'Person 0');
  });
});
