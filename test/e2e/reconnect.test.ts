import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Request } from 'playwright-core';
import {
  articleIds,
  browserSkip,
  elementId,
  newContext,
  openReader,
  selectorOf,
  startStack,
  topOf,
  type Newsroom,
} from './support.ts';

/**
 * The network between a reader and the real app drops: the stream is cut by the server's side
 * and every reconnect fails until the network comes back. Nothing published meanwhile may be
 * lost, reordered or shown twice.
 */
describe('a reader whose connection drops', { skip: browserSkip() }, () => {
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

  it('gets exactly the three posts published while offline, newest first, once each', async () => {
    const slug = 'harbour-offline';
    await newsroom.createPage({ slug });
    const earlier = await newsroom.publishMany(slug, 3);
    ctx = await newContext(browser);
    const tab = await openReader(ctx, `${newsroom.url}/live/${slug}`);
    assert.deepEqual(await articleIds(tab), earlier.map(elementId).reverse());
    // One change arrives over the stream first, so the browser has a Last-Event-ID to resume from.
    const live = await newsroom.publish(slug, { headline: 'Harbour master speaks' });
    await tab.waitForSelector(selectorOf(live));
    const initial = await articleIds(tab);
    assert.deepEqual(initial, [live, ...[...earlier].reverse()].map(elementId));
    const { lastSeq } = await newsroom.getPage(slug);

    // The network goes: every new connection to the stream fails, and the open one is cut.
    const blocked: Request[] = [];
    const streams = '**/live/*/events**';
    await tab.route(streams, (route) => {
      blocked.push(route.request());
      return route.abort('internetdisconnected');
    });
    const cut = tab.waitForEvent('requestfailed', (r) => r.url().includes('/events'));
    newsroom.server.cutConnections();
    await cut;

    const missed = [];
    for (const headline of [
      'Ferry service suspended',
      'Police close the north bank',
      'Bridge reopens',
    ]) {
      missed.push(await newsroom.publish(slug, { headline }));
    }
    // The reader really is offline: at least one reconnect was refused, and nothing arrived.
    await tab.waitForEvent('requestfailed', {
      predicate: (r) => r.url().includes('/events') && blocked.includes(r),
      timeout: 6_000,
    });
    assert.deepEqual(await articleIds(tab), initial, 'nothing arrives while offline');
    // The reader is told, quietly, in a live region that moves nothing on the page.
    const firstTop = await topOf(tab, `#${initial[0]}`);
    const status = tab.locator('#connection-status');
    await tab.waitForFunction(
      () => document.getElementById('connection-status')?.textContent === 'Reconnecting…',
    );
    assert.equal(await status.getAttribute('role'), 'status');
    assert.equal(await status.evaluate((el) => getComputedStyle(el).position), 'fixed');
    assert.equal(await topOf(tab, `#${initial[0]}`), firstTop, 'no layout shift');

    // The network comes back.
    const reconnected = tab.waitForResponse((res) => res.url().includes('/events') && res.ok(), {
      timeout: 15_000,
    });
    await tab.unroute(streams);
    const resumed = (await reconnected).request();
    // It resumes from the last change it applied: Last-Event-ID on the browser's own retry,
    // ?since= when the script had to open a new EventSource.
    const lastEventId = (await resumed.allHeaders())['last-event-id'];
    const since = new URL(resumed.url()).searchParams.get('since');
    assert.equal(lastEventId ?? since, String(lastSeq), `resumed with ${resumed.url()}`);
    await tab.waitForFunction(
      (ids) => ids.every((id) => document.getElementById(id)),
      missed.map(elementId),
      { timeout: 10_000 },
    );

    // Back online: the notice goes.
    await tab.waitForFunction(
      () => document.getElementById('connection-status')?.textContent === '',
    );
    assert.equal(await status.isVisible(), false);

    // A post published after the reconnect arrives after every replayed change, so by the time
    // it is on screen any duplicate of the missed ones would be too.
    const sentinel = await newsroom.publish(slug, { headline: 'Back to normal' });
    await tab.waitForSelector(selectorOf(sentinel));

    const ids = await articleIds(tab);
    assert.deepEqual(ids, [sentinel, ...[...missed].reverse()].map(elementId).concat(initial));
    for (const post of [...missed, sentinel]) {
      assert.equal(await tab.locator(`article#${elementId(post)}`).count(), 1, post.headline);
    }
  });
});
