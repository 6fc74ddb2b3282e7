import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

const status = (tab: Page) => tab.locator('.pagination__status').innerText();

/**
 * The reader's page stays true to the live page without a reload: its page count, a post
 * edited onto page 1, and, after a long absence, the page as it is now.
 */
describe('a reader page kept current', { skip: browserSkip() }, () => {
  let newsroom: Newsroom;
  let browser: Browser;
  let ctx: BrowserContext | undefined;

  before(async () => {
    ({ newsroom, browser } = await startStack());
  });
  after(async () => {
    await ctx?.close();
    await browser?.close();
    await newsroom?.close();
  });

  it(
    'updates "Page 1 of N" and the post count as posts arrive and leave',
    { timeout: 60_000 },
    async () => {
      const slug = 'harbour-counts';
      await newsroom.createPage({ slug });
      await newsroom.publishMany(slug, 19);
      ctx = await newContext(browser);
      const tab = await openReader(ctx, `${newsroom.url}/live/${slug}`);
      assert.equal(await status(tab), 'Page 1 of 1 (19 posts)');
      assert.equal(await tab.locator('.pagination__link--older').count(), 0);
      const later = [];
      for (let n = 0; n < 3; n++) {
        later.push(await newsroom.publish(slug, { headline: `Late news ${n}` }));
      }
      await tab.waitForFunction(
        () =>
          document.querySelector('.pagination__status')?.textContent === 'Page 1 of 2 (22 posts)',
      );
      const older = tab.locator('.pagination__link--older');
      assert.equal(await older.getAttribute('href'), `/live/${slug}?page=2`);
      for (const post of later) await newsroom.deletePost(slug, post);
      await tab.waitForFunction(
        () =>
          document.querySelector('.pagination__status')?.textContent === 'Page 1 of 1 (19 posts)',
      );
      assert.equal(await older.count(), 0);
      await ctx.close();
      ctx = undefined;
    },
  );

  it('shows a post that an edit brings onto page 1, in order', { timeout: 60_000 }, async () => {
    const slug = 'harbour-upsert';
    await newsroom.createPage({ slug });
    const posts = await newsroom.publishMany(slug, 22);
    ctx = await newContext(browser);
    const tab = await openReader(ctx, `${newsroom.url}/live/${slug}`);
    const oldest = posts[0]!;
    assert.equal(await tab.locator(selectorOf(oldest)).count(), 0, 'the oldest is on page 2');
    // Re-dated to just after the newest: its edit is the first this page hears of it.
    const newest = posts.at(-1)!;
    await newsroom.editPost(slug, oldest, {
      publishedAt: new Date(Date.parse(newest.publishedAt) + 30_000).toISOString(),
    });
    await tab.waitForSelector(selectorOf(oldest));
    const ids = await articleIds(tab);
    assert.deepEqual(ids.slice(0, 2), [elementId(oldest), elementId(newest)]);
    await ctx.close();
    ctx = undefined;
  });

  it(
    'replaces its stream with the page as it is after a long absence',
    { timeout: 120_000 },
    async () => {
      const slug = 'harbour-absent';
      await newsroom.createPage({ slug });
      const before = await newsroom.publishMany(slug, 3);
      ctx = await newContext(browser);
      const tab = await openReader(ctx, `${newsroom.url}/live/${slug}`);
      // The reader goes away: its stream is refused while 300 changes happen.
      const streams = '**/live/*/events**';
      await tab.route(streams, (route) => route.abort('internetdisconnected'));
      newsroom.server.cutConnections();
      const gone = await newsroom.publish(slug, { headline: 'Soon deleted' });
      const missed = await newsroom.publishMany(slug, 300, Date.UTC(2025, 2, 21, 9, 0));
      await newsroom.deletePost(slug, gone);
      await newsroom.deletePost(slug, before[0]!);
      const reconnected = tab.waitForResponse((res) => res.url().includes('/events') && res.ok(), {
        timeout: 30_000,
      });
      await tab.unroute(streams);
      await reconnected;
      // Not 300 replayed changes: one snapshot, the first page of the page as it is now.
      const newest20 = missed.slice(-20).reverse().map(elementId);
      await tab.waitForFunction(
        (first) => document.querySelector('#posts > article')?.id === first,
        newest20[0],
        { timeout: 10_000 },
      );
      assert.deepEqual(await articleIds(tab), newest20);
      assert.equal(await status(tab), 'Page 1 of 16 (302 posts)');
      // And it carries on live from there.
      const after = await newsroom.publish(slug, { headline: 'Back again' });
      await tab.waitForSelector(selectorOf(after));
    },
  );
});
