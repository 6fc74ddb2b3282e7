import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Request } from 'playwright-core';
import type { LatencyView } from '../../src/realtime/latency/latency-board.ts';
import { makePerson, openDesk, signIn, type Person } from './desk-support.ts';
import {
  browserSkip,
  launchBrowser,
  Newsroom,
  newContext,
  openReader,
  selectorOf,
  watchProblems,
} from './support.ts';

/** The panel refreshes every 5 s: a figure may take that long to change. */
const PANEL_MS = 12_000;

describe('the latency panel', { skip: browserSkip(), timeout: 90_000 }, () => {
  let newsroom: Newsroom;
  let browser: Browser;
  let editor: Person;

  before(async () => {
    // Every live event is reported, each reader at most twice a second.
    newsroom = await Newsroom.start({ latency: { sampleRate: 1, reportEveryMs: 500 } });
    browser = await launchBrowser();
    editor = await makePerson(newsroom, 'editor');
  });
  after(async () => {
    await browser?.close();
    await newsroom?.close();
  });

  it('shows readers and publish-to-screen p50/p99 once posts reach an open reader page', async () => {
    await newsroom.createPage({ slug: 'latency-live' });
    const desk = await signIn(await newContext(browser), newsroom.url, editor);
    await openDesk(desk, newsroom.url, 'latency-live');
    const panel = desk.locator('#latency-panel');
    await panel.locator('text=No publish→screen reports').waitFor();

    const readers = await newContext(browser);
    // A cookie the reader's browser holds for the site must not travel with a report.
    await readers.addCookies([{ name: 'returning', value: 'yes', url: newsroom.url }]);
    const reports: Request[] = [];
    readers.on('request', (request) => {
      if (request.url().endsWith('/live/latency-live/latency')) reports.push(request);
    });
    const reader = await openReader(readers, `${newsroom.url}/live/latency-live`);
    await panel.locator('[data-figure=readers]:text("1")').waitFor({ timeout: PANEL_MS });

    const posts = [];
    for (const headline of ['First', 'Second', 'Third']) {
      const post = await newsroom.publish('latency-live', { headline });
      await reader.locator(selectorOf(post)).waitFor();
      posts.push(post);
    }
    const p50 = await panel.locator('[data-figure=p50]').textContent({ timeout: PANEL_MS });
    const p99 = await panel.locator('[data-figure=p99]').textContent();
    assert.match(p50 ?? '', /^(<1|\d+) ms$/);
    assert.match(p99 ?? '', /^(<1|\d+) ms$/);
    assert.ok(Number(await panel.locator('[data-figure=readers]').textContent()) >= 1);

    // Every live post was timed once (sample rate 1) and counted at the server.
    const until = Date.now() + 5_000;
    let view: LatencyView;
    for (;;) {
      const res = await newsroom.server.call(
        'editor',
        'GET',
        '/desk/api/pages/latency-live/latency',
      );
      view = res.json<LatencyView>();
      if (view.samples >= 3 || Date.now() > until) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(view.samples, 3, JSON.stringify(view));
    assert.ok(view.readers >= 1);
    assert.ok(view.p99 !== null && view.p99 < 5_000, JSON.stringify(view));
    // What the reports carried: the posts' seqs and their delays, nothing that identifies.
    const sent = reports.flatMap(
      (r) => JSON.parse(r.postData() ?? '[]') as { seq: number; ms: number }[],
    );
    assert.deepEqual(
      sent.map((s) => s.seq).sort((x, y) => x - y),
      [1, 2, 3],
    );
    for (const { ms } of sent) assert.ok(ms >= -1_000 && ms < 5_000, `delay ${ms}`);
    for (const request of reports) {
      const headers = await request.allHeaders();
      assert.equal(headers.cookie, undefined);
      assert.equal(headers.referer, undefined);
    }
    await readers.close();
    await desk.context().close();
  });

  it('a reader whose reports are blocked still gets every post', async () => {
    await newsroom.createPage({ slug: 'latency-blocked' });
    const context = await newContext(browser);
    const problems = await watchProblems(context);
    let blocked = 0;
    await context.route('**/live/latency-blocked/latency', (route) => {
      blocked += 1;
      return route.abort('blockedbyclient');
    });
    const reader = await openReader(context, `${newsroom.url}/live/latency-blocked`);
    for (const headline of ['Blocked one', 'Blocked two']) {
      const post = await newsroom.publish('latency-blocked', { headline });
      await reader.locator(selectorOf(post)).waitFor();
    }
    const third = await newsroom.publish('latency-blocked', { headline: 'Still arriving' });
    await reader.locator(`${selectorOf(third)} h3:text("Still arriving")`).waitFor();
    assert.ok(blocked >= 1, 'the page tried to report');
    assert.deepEqual(problems.errors, []);
    assert.equal(await reader.locator('.connection-status--down').count(), 0);
    const res = await newsroom.server.call(
      'editor',
      'GET',
      '/desk/api/pages/latency-blocked/latency',
    );
    assert.equal(res.json<LatencyView>().samples, 0);
    await context.close();
  });

  it("corrects for a reader's clock an hour off the server's", async () => {
    await newsroom.createPage({ slug: 'latency-skewed' });
    // The server's clock runs an hour ahead of the browser's (the same machine's).
    newsroom.server.clock.runAhead(3_600_000);
    try {
      const context = await newContext(browser);
      const reader = await openReader(context, `${newsroom.url}/live/latency-skewed`);
      for (const headline of ['Skewed one', 'Skewed two']) {
        const post = await newsroom.publish('latency-skewed', { headline });
        await reader.locator(selectorOf(post)).waitFor();
      }
      const until = Date.now() + 5_000;
      let view: LatencyView;
      do {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const res = await newsroom.server.call(
          'editor',
          'GET',
          '/desk/api/pages/latency-skewed/latency',
        );
        view = res.json<LatencyView>();
      } while (view.samples < 2 && Date.now() < until);
      // Uncorrected, each delay would be an hour off and refused by the page itself.
      assert.equal(view.samples, 2, JSON.stringify(view));
      assert.ok(view.p99 !== null && view.p99 < 5_000, JSON.stringify(view));
      await context.close();
    } finally {
      newsroom.server.clock.release();
    }
  });
});
