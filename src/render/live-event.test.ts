import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Change } from '../domain/change.ts';
import { renderLiveEvent } from './live-event.tsx';
import { renderPostArticle } from './post-article.tsx';
import { renderReaderPage } from './reader-page.tsx';
import { makePage, makePost, postChange } from '../../test/support/factories.ts';
import { ASSETS, BASE_URL } from '../../test/support/html-checks.ts';

describe('renderLiveEvent', () => {
  const page = makePage();

  it('carries exactly the article the page renders for a published post', () => {
    const post = makePost({ id: 'n1', labels: ['breaking'] });
    const event = renderLiveEvent(postChange(43, 'post.published', post), page);
    assert.equal(event.kind, 'post.published');
    assert.equal(event.seq, 43);
    if (event.kind !== 'post.published') return;
    assert.equal(event.html, renderPostArticle(page, post));
    assert.equal(event.elementId, 'post-n1');
    assert.equal(event.publishedAt, '2025-03-20T18:10:00.000Z');
    assert.equal(event.pinned, false);
    assert.equal(event.atText, '18:10 GMT 20 March');
    const pageHtml = renderReaderPage({
      page,
      posts: [post],
      pageNumber: 1,
      pageCount: 1,
      total: 1,
      baseUrl: BASE_URL,
      assets: ASSETS,
    });
    assert.ok(pageHtml.includes(event.html), 'the page holds the same fragment');
  });

  it('carries the edited article with "Updated" and its revision', () => {
    const post = makePost({ id: 'e1', revision: 3, updatedAt: '2025-03-20T18:40:00.000Z' });
    const event = renderLiveEvent(postChange(44, 'post.edited', post), page);
    assert.equal(event.kind, 'post.edited');
    if (event.kind !== 'post.edited') return;
    assert.equal(event.revision, 3);
    assert.match(event.html, /Updated <time[^>]*>18:40 GMT<\/time>/);
  });

  it('carries pin and unpin with the article and the flag', () => {
    const pinned = renderLiveEvent(
      postChange(45, 'post.pinned', makePost({ id: 'p', pinned: true })),
      page,
    );
    assert.equal(pinned.kind, 'post.pinned');
    assert.ok(
      pinned.kind === 'post.pinned' && pinned.pinned && pinned.html.includes('data-pinned="true"'),
    );
  });

  it('carries only the id for a deletion', () => {
    const change: Change = {
      pageId: page.id,
      seq: 46,
      kind: 'post.deleted',
      postId: 'gone',
      at: '2025-06-01T08:05:00Z',
      data: { kind: 'post.deleted', postId: 'gone' },
    };
    assert.deepEqual(renderLiveEvent(change, page), {
      seq: 46,
      at: '2025-06-01T08:05:00.000Z',
      atText: '09:05 BST 1 June',
      postCount: page.postCount,
      pageCount: Math.max(1, Math.ceil(page.postCount / 20)),
      kind: 'post.deleted',
      postId: 'gone',
      elementId: 'post-gone',
    });
  });

  it('re-renders the summary, title and lead media for a page update', () => {
    const updated = makePage({ title: 'New title', summary: [{ text: 'A & B' }], leadMedia: null });
    const event = renderLiveEvent(
      {
        pageId: page.id,
        seq: 47,
        kind: 'page.updated',
        postId: null,
        at: updated.updatedAt,
        data: { kind: 'page.updated', page: updated },
      },
      page,
    );
    assert.equal(event.kind, 'page.updated');
    if (event.kind !== 'page.updated') return;
    assert.equal(event.title, 'New title');
    assert.equal(event.documentTitle, 'New title - Liveline');
    assert.match(event.summaryHtml, /<li>A &amp; B<\/li>/);
    assert.equal(event.leadMediaHtml, '');
  });

  it('renders the badge and the wrap-up for a status change', () => {
    const ended = makePage({ status: 'ended', endedAt: '2025-03-20T21:30:00.000Z' });
    const event = renderLiveEvent(
      {
        pageId: page.id,
        seq: 48,
        kind: 'page.status_changed',
        postId: null,
        at: ended.endedAt ?? '',
        data: { kind: 'page.status_changed', page: ended },
      },
      page,
    );
    assert.equal(event.kind, 'page.status_changed');
    if (event.kind !== 'page.status_changed') return;
    assert.equal(event.status, 'ended');
    assert.equal(event.badgeHtml, '<span class="badge badge--ended">Ended</span>');
    assert.match(event.noticeHtml, /Live coverage has ended/);
  });

  it('survives JSON.stringify once and parses back to the same value', () => {
    const event = renderLiveEvent(postChange(49, 'post.published', makePost()), page);
    assert.deepEqual(JSON.parse(JSON.stringify(event)), event);
  });
});
