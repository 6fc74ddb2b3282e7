import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import {
  articleIds,
  browserSkip,
  elementId,
  newContext,
  openReader,
  selectorOf,
  startStack,
  type Newsroom,
  topOf,
  watchProblems,
} from './support.ts';

/**
 * A reader's live page in Chromium, served by the real app, while the desk publishes, edits,
 * deletes and ends the coverage through the JSON API.
 */
describe("the reader's live page, live", { skip: browserSkip() }, () => {
  let newsroom: Newsroom;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    ({ newsroom, browser } = await startStack());
  });

  // A test's browser context (and its open event stream) ends with the test, failed or not.
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

  it('shows a post published through the API within 2 s, then its edit, its deletion and the end of coverage', async () => {
    const slug = 'harbour-live';
    await newsroom.createPage({ slug, summary: [{ text: 'The bridge opened at dawn' }] });
    const first = await newsroom.publish(slug, { headline: 'The first cars cross' });
    const ctx = await context();
    const problems = await watchProblems(ctx);
    const tab = await openReader(ctx, `${newsroom.url}/live/${slug}`);
    assert.deepEqual(await articleIds(tab), [elementId(first)]);

    const started = Date.now();
    const post = await newsroom.publish(slug, {
      headline: 'A ferry sounds its horn',
      labels: ['breaking'],
    });
    await tab.waitForSelector(selectorOf(post), { timeout: 2_000 });
    const latency = Date.now() - started;
    assert.ok(latency < 2_000, `arrived in ${latency} ms`);
    assert.deepEqual(await articleIds(tab), [elementId(post), elementId(first)], 'at the top');
    assert.equal(await tab.textContent(`${selectorOf(post)} h3`), 'A ferry sounds its horn');
    assert.equal(await tab.textContent(`${selectorOf(post)} .label--breaking`), 'Breaking');
    assert.equal(await tab.locator(`${selectorOf(post)} .post__updated`).count(), 0);

    const edited = await newsroom.editPost(slug, post, {
      headline: 'A ferry sounds its horn three times',
    });
    assert.equal(edited.revision, 2);
    await tab.waitForSelector(`${selectorOf(post)}[data-revision="2"]`);
    assert.equal(
      await tab.textContent(`${selectorOf(post)} h3`),
      'A ferry sounds its horn three times',
    );
    assert.match((await tab.textContent(`${selectorOf(post)} .post__updated`)) ?? '', /^Updated /);
    assert.deepEqual(await articleIds(tab), [elementId(post), elementId(first)], 'in place');

    await newsroom.deletePost(slug, post);
    await tab.waitForSelector(selectorOf(post), { state: 'detached' });
    assert.deepEqual(await articleIds(tab), [elementId(first)]);

    assert.equal(await tab.textContent('#page-status .badge'), 'Live');
    await newsroom.setStatus(slug, 'ended');
    await tab.waitForSelector('#page-status .badge--ended');
    assert.equal(await tab.textContent('#page-status .badge'), 'Ended');
    assert.match((await tab.textContent('#coverage-notice')) ?? '', /Live coverage has ended/);
    // A reload says the same: the live change and the server's page agree.
    await tab.reload();
    assert.equal(await tab.textContent('#page-status .badge'), 'Ended');
    assert.deepEqual(problems, { csp: [], cspEvents: [], errors: [] });
  });

  it('keeps the text under the reader still and offers "1 new post" when scrolled down', async () => {
    const slug = 'harbour-scrolled';
    await newsroom.createPage({ slug });
    const posts = await newsroom.publishMany(slug, 20);
    const ctx = await context();
    const tab = await openReader(ctx, `${newsroom.url}/live/${slug}`);
    const title = await tab.title();
    assert.equal((await articleIds(tab)).length, 20);

    // Bring a post from the middle of the stream to the middle of the screen.
    const watched = posts[10];
    assert.ok(watched);
    await tab.locator(selectorOf(watched)).scrollIntoViewIfNeeded();
    await tab.evaluate(() => window.scrollBy(0, -200));
    const scrolledBy = await tab.evaluate(() => window.scrollY);
    assert.ok(scrolledBy > 2_000, `the page is scrolled well down (${scrolledBy} px)`);
    const before = await topOf(tab, selectorOf(watched));
    assert.ok(before > 0 && before < 800, `the watched post is on screen (${before})`);

    const fresh = await newsroom.publish(slug, { headline: 'Traffic halted on the bridge' });
    await tab.locator('#new-posts').waitFor({ state: 'visible' });
    assert.equal(await tab.textContent('#new-posts'), '1 new post');
    await tab.waitForFunction((t) => document.title === `(1) ${t}`, title);
    assert.equal(await tab.locator(selectorOf(fresh)).count(), 0, 'nothing inserted above');
    const after = await topOf(tab, selectorOf(watched));
    assert.ok(Math.abs(after - before) <= 1, `the watched post stayed put (${before} -> ${after})`);

    await tab.click('#new-posts');
    await tab.waitForSelector(selectorOf(fresh));
    assert.equal((await articleIds(tab))[0], elementId(fresh), 'revealed at the top');
    await tab.locator('#new-posts').waitFor({ state: 'hidden' });
    assert.equal(await tab.title(), title);
    assert.equal(
      await tab.evaluate(() => document.activeElement?.id),
      elementId(fresh),
      'focus moves to the revealed post, not to <body>',
    );
    const streamTop = await topOf(tab, '#stream');
    assert.ok(Math.abs(streamTop) < 2, `the reader is taken to the top (${streamTop})`);
  });

  it('keeps the text still in a browser without native scroll anchoring (Safari) when the button appears', async () => {
    const slug = 'harbour-no-anchoring';
    await newsroom.createPage({ slug });
    const posts = await newsroom.publishMany(slug, 20);
    const ctx = await context();
    const tab = await openReader(ctx, `${newsroom.url}/live/${slug}`);
    // Chromium's scroll anchoring hides the problem; browsers without it (the script's own
    // keepInView() exists for them) show it.
    await tab.evaluate(() => {
      document.documentElement.style.overflowAnchor = 'none';
      document.body.style.overflowAnchor = 'none';
    });
    const watched = posts[10];
    assert.ok(watched);
    await tab.locator(selectorOf(watched)).scrollIntoViewIfNeeded();
    await tab.evaluate(() => window.scrollBy(0, -200));
    const before = await topOf(tab, selectorOf(watched));
    await newsroom.publish(slug, { headline: 'Traffic halted on the bridge' });
    await tab.locator('#new-posts').waitFor({ state: 'visible' });
    const after = await topOf(tab, selectorOf(watched));
    assert.ok(Math.abs(after - before) <= 1, `the watched post stayed put (${before} -> ${after})`);
  });
});
