import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PostJson } from '../../src/services/present.ts';
import {
  browserSkip,
  elementId,
  newContext,
  openReader,
  selectorOf,
  startStack,
  type Newsroom,
  watchProblems,
} from './support.ts';

const minute = (n: number) => new Date(Date.UTC(2025, 2, 20, 9, 0) + n * 60_000).toISOString();

/** The headlines of the catch-up list, top to bottom. */
const catchUpHeadlines = (tab: Page) =>
  tab.$$eval('#catch-up .catch-up__posts article h3', (list) => list.map((h) => h.textContent));

/** What this browser keeps for the page: only localStorage, never a cookie. */
const kept = (tab: Page, slug: string) =>
  tab.evaluate((key) => window.localStorage.getItem(key), `liveline:last-seen:${slug}`);

describe('catch-up: new posts since the last visit, in Chromium', { skip: browserSkip() }, () => {
  let newsroom: Newsroom;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    ({ newsroom, browser } = await startStack());
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  after(async () => {
    await browser?.close();
    await newsroom?.close();
  });

  async function context() {
    const created = await newContext(browser);
    contexts.push(created);
    return created;
  }

  async function publishAt(slug: string, from: number, count: number): Promise<PostJson[]> {
    const posts: PostJson[] = [];
    for (let n = from; n < from + count; n++) {
      posts.push(await newsroom.publish(slug, { headline: `Update ${n}`, publishedAt: minute(n) }));
    }
    return posts;
  }

  it('after a reload, counts the posts published meanwhile, reads them oldest first, then rejoins live', async () => {
    const slug = 'harbour-catch-up';
    await newsroom.createPage({ slug });
    const seen = await publishAt(slug, 1, 3);
    const ctx = await context();
    const problems = await watchProblems(ctx);
    const tab = await openReader(ctx, `${newsroom.url}/live/${slug}`);
    assert.equal(
      await tab.locator('#catch-up').count(),
      0,
      'a first visit has nothing to catch up',
    );
    assert.match((await kept(tab, slug)) ?? '', /"newest":"2025-03-20T09:03:00.000Z"/);

    // Away (a tab open on the page would have seen them arrive): four posts are published,
    // one of them then edited, and an older one is edited too, which is not new.
    await tab.goto('about:blank');
    const missed = await publishAt(slug, 4, 4);
    await newsroom.editPost(slug, missed[1]!, { headline: 'Update 5, corrected' });
    await newsroom.editPost(slug, seen[0]!, { headline: 'Update 1, corrected' });
    const streamed = tab.waitForResponse((res) => res.url().includes('/events'));
    await tab.goto(`${newsroom.url}/live/${slug}`);
    await streamed;
    await tab.waitForSelector('#catch-up');
    assert.equal(await tab.textContent('#catch-up-heading'), '4 new posts since your last visit');
    await tab.click('#catch-up .catch-up__read');
    assert.deepEqual(await catchUpHeadlines(tab), [
      'Update 4',
      'Update 5, corrected',
      'Update 6',
      'Update 7',
    ]);
    const focused = await tab.evaluate(
      () => document.activeElement?.querySelector('h3')?.textContent,
    );
    assert.equal(focused, 'Update 4', 'reading starts at the oldest');

    // While catching up, the live page goes on; then back to live.
    const live = await newsroom.publish(slug, { headline: 'Update 8', publishedAt: minute(8) });
    await tab.click('#catch-up .catch-up__done');
    assert.equal(await tab.locator('#catch-up').count(), 0);
    await tab.waitForSelector(selectorOf(live));
    assert.equal(await tab.locator(`#posts > #${elementId(live)}`).count(), 1);
    assert.match((await kept(tab, slug)) ?? '', /"newest":"2025-03-20T09:08:00.000Z"/);

    // Nothing new: no offer. Another tab of the same browser shares what was seen.
    await tab.reload();
    const other = await openReader(ctx, `${newsroom.url}/live/${slug}`);
    for (const page of [tab, other]) {
      await page.waitForLoadState('load');
      await page.waitForTimeout(300);
      assert.equal(await page.locator('#catch-up').count(), 0, 'nothing to catch up');
    }
    assert.deepEqual(await ctx.cookies(), [], 'no cookie');
    assert.deepEqual(problems, { csp: [], cspEvents: [], errors: [] });
  });

  it('reads older pages when more than a page of posts came out, and can be dismissed', async () => {
    const slug = 'harbour-long-absence';
    await newsroom.createPage({ slug });
    await publishAt(slug, 1, 2);
    const ctx = await context();
    const tab = await openReader(ctx, `${newsroom.url}/live/${slug}`);
    await tab.waitForFunction(
      (key) => window.localStorage.getItem(key) !== null,
      `liveline:last-seen:${slug}`,
    );
    await tab.close();

    await publishAt(slug, 3, 23);
    const back = await openReader(ctx, `${newsroom.url}/live/${slug}`);
    await back.waitForSelector('#catch-up');
    // A full suite's run once read 21 here (6 runs of this file under load did not): the
    // record the count started from is said with a failure, untouched until the offer ends.
    const heading = await back.textContent('#catch-up-heading');
    const counted = `"${heading}", counted from ${await kept(back, slug)}`;
    assert.equal(heading, '23 new posts since your last visit', counted);
    await back.click('#catch-up .catch-up__read');
    const headlines = await catchUpHeadlines(back);
    assert.equal(headlines.length, 23);
    assert.equal(headlines[0], 'Update 3');
    assert.equal(headlines.at(-1), 'Update 25');
    // The list is a copy: the stream keeps each post once, by its id.
    assert.equal(
      await back
        .locator(`[id="${elementId({ id: (await newsroom.getPage(slug)).slug })}"]`)
        .count(),
      0,
    );
    await back.click('#catch-up .catch-up__done');

    // Away again; this time the reader dismisses the offer, and it does not come back.
    await back.close();
    await publishAt(slug, 26, 1);
    const again = await openReader(ctx, `${newsroom.url}/live/${slug}`);
    await again.waitForSelector('#catch-up');
    assert.equal(await again.textContent('#catch-up-heading'), '1 new post since your last visit');
    await again.click('#catch-up .catch-up__dismiss');
    await again.reload();
    await again.waitForTimeout(300);
    assert.equal(await again.locator('#catch-up').count(), 0);
  });
});
