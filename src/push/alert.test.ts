import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Post } from '../domain/post.ts';
import { makePage, makePost, postChange } from '../../test/support/factories.ts';
import type { Change } from '../domain/change.ts';
import type { LivePage } from '../domain/page.ts';
import { alertedPost, alertPayload, FRESH_FOR_MS } from './alert.ts';

/** The alert a logged change calls for: what the commit decides, then what is sent. */
function alertOf(change: Change, page: LivePage, baseUrl: string) {
  const post = alertedPost(change);
  return post ? alertPayload(post, page, baseUrl) : null;
}

const page = makePage({ slug: 'storm', title: 'Storm Darragh' });
const at = (post: Post, ms: number) => new Date(Date.parse(post.publishedAt) + ms).toISOString();
const breaking = (overrides: Partial<Post> = {}) =>
  makePost({ labels: ['breaking'], headline: 'Severn bursts its banks', ...overrides });

describe('alertOf: which logged changes are alerts', () => {
  it('alerts to a published Breaking post, with its permalink', () => {
    const post = breaking();
    const alert = alertOf(postChange(1, 'post.published', post), page, 'https://news.example');
    assert.deepEqual(alert && { ...alert, body: alert.body.slice(0, 24) }, {
      title: 'Severn bursts its banks',
      body: 'Hundreds of people have ',
      url: `https://news.example/live/storm/posts/${post.id}`,
      tag: `liveline-${post.id}`,
      postId: post.id,
    });
  });

  it('alerts to an edit of a Breaking post (the sender claims each post once)', () => {
    assert.ok(alertOf(postChange(2, 'post.edited', breaking()), page, 'https://x.example'));
  });

  it('does not alert to posts without the label, unpublished, removed, or pins', () => {
    const base = 'https://x.example';
    assert.equal(alertOf(postChange(1, 'post.published', makePost()), page, base), null);
    assert.equal(
      alertOf(postChange(1, 'post.edited', breaking({ status: 'draft' })), page, base),
      null,
    );
    const removal = { byId: null, byName: 'Ed', at: '2025-03-20T18:11:00.000Z', reason: 'legal' };
    assert.equal(alertOf(postChange(1, 'post.edited', breaking({ removal })), page, base), null);
    assert.equal(alertOf(postChange(1, 'post.pinned', breaking()), page, base), null);
    const deleted = {
      pageId: 'page-1',
      seq: 3,
      kind: 'post.deleted',
      postId: 'p1',
      at: '2025-03-20T18:11:00.000Z',
      data: { kind: 'post.deleted', postId: 'p1' },
    } as const;
    assert.equal(alertOf(deleted, page, base), null);
  });

  it('does not alert to old news: a change more than an hour after the post was published', () => {
    const post = breaking();
    const change = (ms: number) => ({ ...postChange(4, 'post.edited', post), at: at(post, ms) });
    assert.ok(alertOf(change(FRESH_FOR_MS), page, 'https://x.example'));
    assert.equal(alertOf(change(FRESH_FOR_MS + 1), page, 'https://x.example'), null);
  });

  it('clips a long headline and body, and falls back to the page title', () => {
    const long = breaking({ headline: 'word '.repeat(60), body: [] });
    const alert = alertOf(postChange(1, 'post.published', long), page, 'https://x.example');
    assert.ok(alert);
    assert.ok(alert.title.length <= 120 && alert.title.endsWith('…'));
    assert.equal(alert.body, 'Storm Darragh');
  });
});
