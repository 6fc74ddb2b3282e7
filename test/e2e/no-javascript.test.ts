import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import type { PostJson } from '../../src/services/present.ts';
import {
  articleIds,
  browserSkip,
  elementId,
  newContext,
  openReader,
  selectorOf,
  startStack,
  type Newsroom,
} from './support.ts';

/** The reader's pages with JavaScript off: plain HTML links do all the work. */
describe('a reader with JavaScript disabled', { skip: browserSkip() }, () => {
  const slug = 'harbour-no-js';
  let newsroom: Newsroom;
  let browser: Browser;
  let ctx: BrowserContext;
  let posts: PostJson[];

  before(async () => {
    ({ newsroom, browser } = await startStack());
    await newsroom.createPage({
      slug,
      title: 'Harbour bridge reopens',
      summary: [{ text: 'The bridge reopened at dawn' }, { text: 'Ferries run as usual' }],
    });
    posts = await newsroom.publishMany(slug, 26);
    ctx = await newContext(browser, { javaScriptEnabled: false });
  });

  after(async () => {
    await ctx?.close();
    await browser?.close();
    await newsroom?.close();
  });

  it('reads page 1, follows "Older" to page 2 and opens the permalink of a post there', async () => {
    const streamRequests: string[] = [];
    ctx.on('request', (request) => {
      if (request.url().includes('/events')) streamRequests.push(request.url());
    });
    const tab = await openReader(ctx, `${newsroom.url}/live/${slug}`, { stream: false });
    const newestFirst = [...posts].reverse();

    // Page 1: the summary and the newest 20 posts, in full.
    assert.equal(await tab.textContent('#page-title'), 'Harbour bridge reopens');
    assert.equal(await tab.locator('#summary-slot li').count(), 2);
    assert.deepEqual(await articleIds(tab), newestFirst.slice(0, 20).map(elementId));
    const newest = newestFirst[0];
    assert.ok(newest);
    assert.equal(await tab.textContent(`${selectorOf(newest)} h3`), newest.headline);
    assert.match(
      (await tab.textContent(`${selectorOf(newest)} p:not(.post__meta)`)) ?? '',
      /port authority/,
    );
    assert.ok(await tab.locator(`${selectorOf(newest)} h3`).isVisible());
    assert.match((await tab.textContent('.pagination__status')) ?? '', /Page 1 of 2/);
    assert.equal(await tab.locator('.pagination__link--newer').count(), 0);
    assert.ok(await tab.locator('#new-posts').isHidden(), 'no live button without the script');

    // "Older" leads to page 2 and its 6 posts.
    await Promise.all([tab.waitForURL(/\?page=2$/), tab.click('.pagination__link--older')]);
    assert.match((await tab.textContent('.pagination__status')) ?? '', /Page 2 of 2/);
    assert.deepEqual(await articleIds(tab), newestFirst.slice(20).map(elementId));
    assert.equal(await tab.locator('.pagination__link--older').count(), 0);

    // The permalink of a post on page 2, from its time link.
    const onPage2 = newestFirst[22];
    assert.ok(onPage2);
    const permalink = `/live/${slug}/posts/${onPage2.id}`;
    assert.equal(await tab.getAttribute(`${selectorOf(onPage2)} .post__share`, 'href'), permalink);
    const [response] = await Promise.all([
      tab.waitForResponse((res) => res.url().endsWith(permalink)),
      tab.click(`${selectorOf(onPage2)} a.post__time`),
    ]);
    assert.equal(response.status(), 200);
    await tab.waitForURL(`${newsroom.url}${permalink}`);
    assert.equal(await tab.textContent(`${selectorOf(onPage2)} h3`), onPage2.headline);
    assert.deepEqual(await articleIds(tab), [elementId(onPage2)]);

    // And "Newer" on page 2 leads back to page 1.
    await tab.goto(`${newsroom.url}/live/${slug}?page=2`);
    await Promise.all([
      tab.waitForURL(/\/live\/[^/?]+(\?page=1)?$/),
      tab.click('.pagination__link--newer'),
    ]);
    assert.match((await tab.textContent('.pagination__status')) ?? '', /Page 1 of 2/);

    assert.deepEqual(streamRequests, [], 'no script ran, so no event stream was opened');
  });
});
