import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { after, afterEach, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Change } from '../domain/change.ts';
import type { LivePage } from '../domain/page.ts';
import type { Post } from '../domain/post.ts';
import { renderLiveEvent } from './live-event.tsx';
import { makePage, makePost, postChange } from '../../test/support/factories.ts';
import { startHarness, type Harness } from '../../test/support/reader-harness.ts';

/**
 * The reader script in a real headless Chromium against a stand-in server (test/support/reader-harness.ts).
 * Skipped where no Chromium is installed (Debian: apt-get install chromium).
 */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path): path is string => !!path && existsSync(path),
);
const SLUG = 'harbour-bridge-reopening';

function minutes(n: number): string {
  return new Date(Date.parse('2025-03-20T12:00:00.000Z') + n * 60_000).toISOString();
}

/** A long post, so that a page of them scrolls. */
function post(n: number, overrides: Partial<Post> = {}): Post {
  return makePost({
    id: `n${n}`,
    headline: `Update number ${n} from the north bank`,
    publishedAt: minutes(n),
    createdAt: minutes(n),
    updatedAt: minutes(n),
    ...overrides,
  });
}

function pageWith(overrides: Partial<LivePage> = {}): LivePage {
  return makePage({ lastSeq: 100, ...overrides });
}

describe(
  'the reader script in Chromium',
  { skip: CHROMIUM ? false : 'no Chromium installed' },
  () => {
    let harness: Harness;
    let browser: Browser;
    let seq = 100;
    const page = pageWith();
    const cspViolations: string[] = [];

    before(async () => {
      harness = await startHarness();
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    });

    /** Tabs still open when a test ends (a failed one) are closed, so they stop streaming. */
    const tabs = new Set<Page>();
    afterEach(async () => {
      await Promise.all(Array.from(tabs, (tab) => tab.close()));
      tabs.clear();
    });

    after(async () => {
      await browser?.close();
      await harness?.close();
    });

    /** Open the live page with 12 posts (a pinned one first) and wait for its stream. */
    async function open(pageNumber = 1, options: { reducedMotion?: boolean } = {}): Promise<Page> {
      seq = 100;
      const posts = [post(0, { pinned: true })];
      for (let n = 11; n >= 1; n -= 1) posts.push(post(n));
      harness.setPage(SLUG, pageNumber, { page, posts, pageNumber, pageCount: 3 });
      const tab = await browser.newPage({
        viewport: { width: 390, height: 800 },
        reducedMotion: options.reducedMotion ? 'reduce' : 'no-preference',
      });
      tabs.add(tab);
      tab.on('close', () => tabs.delete(tab));
      tab.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text()))
          cspViolations.push(message.text());
      });
      const before = harness.requests.length;
      await tab.goto(
        `${harness.origin}/live/${SLUG}${pageNumber > 1 ? `?page=${pageNumber}` : ''}`,
      );
      await waitFor(() => harness.requests.length > before && harness.openStreams() > 0);
      return tab;
    }

    async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
      const start = Date.now();
      while (!check()) {
        if (Date.now() - start > timeoutMs) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    function publish(p: Post): void {
      seq += 1;
      harness.send(renderLiveEvent(postChange(seq, 'post.published', p), page));
    }

    function sendChange(change: Omit<Change, 'seq' | 'pageId' | 'postId'>): void {
      seq += 1;
      harness.send(renderLiveEvent({ ...change, seq, pageId: page.id, postId: null }, page));
    }

    const articleIds = (tab: Page) =>
      tab.$$eval('#posts > article', (list) => list.map((element) => element.id));

    it('inserts a new post after the pinned one when the reader is at the top, once', async () => {
      const tab = await open();
      publish(post(20));
      await tab.waitForSelector('#post-n20');
      assert.deepEqual((await articleIds(tab)).slice(0, 3), ['post-n0', 'post-n20', 'post-n11']);
      // The same change again, and the same post under a new seq: still one article.
      harness.send(renderLiveEvent(postChange(seq, 'post.published', post(20)), page));
      publish(post(20));
      await tab.waitForTimeout(200);
      assert.equal((await articleIds(tab)).filter((id) => id === 'post-n20').length, 1);
      await tab.waitForFunction(
        () => document.getElementById('announcer')?.textContent === '1 new post',
      );
      assert.equal(await tab.textContent('#last-updated'), '12:20 GMT 20 March');
      assert.equal(await tab.getAttribute('#post-n20', 'class'), 'post post--new');
      await tab.close();
    });

    it('queues posts while the reader is scrolled down and reveals them on the button', async () => {
      const tab = await open();
      const title = await tab.title();
      await tab.evaluate(() =>
        window.scrollTo(0, document.getElementById('post-n6')?.offsetTop ?? 0),
      );
      const anchorBefore = await tab.$eval('#post-n6', (el) => el.getBoundingClientRect().top);
      publish(post(21));
      publish(post(22));
      await tab.waitForSelector('#new-posts:not([hidden])');
      assert.equal(await tab.textContent('#new-posts'), '2 new posts');
      assert.equal(await tab.title(), `(2) ${title}`);
      assert.equal(await tab.$('#post-n21'), null, 'nothing inserted above the reader');
      assert.equal(
        await tab.$eval('#post-n6', (el) => el.getBoundingClientRect().top),
        anchorBefore,
      );
      await tab.waitForFunction(
        () => document.getElementById('announcer')?.textContent === '2 new posts',
      );

      await tab.click('#new-posts');
      assert.deepEqual((await articleIds(tab)).slice(0, 4), [
        'post-n0',
        'post-n22',
        'post-n21',
        'post-n11',
      ]);
      assert.equal(await tab.title(), title);
      assert.equal(await tab.isHidden('#new-posts'), true);
      const streamTop = await tab.$eval('#stream', (el) => el.getBoundingClientRect().top);
      assert.ok(Math.abs(streamTop) < 2, `stream at the top (${streamTop})`);
      assert.equal(await tab.evaluate(() => document.activeElement?.id), 'post-n22');
      await tab.close();
    });

    it('reveals queued posts by itself when the reader scrolls back to the top', async () => {
      const tab = await open();
      await tab.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      publish(post(23));
      await tab.waitForSelector('#new-posts:not([hidden])');
      await tab.evaluate(() => window.scrollTo(0, 0));
      await tab.waitForSelector('#post-n23');
      assert.equal(await tab.isHidden('#new-posts'), true);
      await tab.close();
    });

    it('keeps the reader in place when a post above grows, moves or disappears', async () => {
      const tab = await open();
      // Turn off Chromium's own scroll anchoring (Safari before 2024 has none): the script must
      // keep the reader in place by itself.
      await tab.evaluate(() => {
        document.documentElement.style.overflowAnchor = 'none';
        document.body.style.overflowAnchor = 'none';
      });
      await tab.evaluate(() =>
        window.scrollTo(0, document.getElementById('post-n5')?.offsetTop ?? 0),
      );
      const top = () => tab.$eval('#post-n5', (el) => el.getBoundingClientRect().top);
      const start = await top();

      const longer = post(9, {
        revision: 2,
        updatedAt: minutes(30),
        body: [...post(9).body, ...post(9).body],
      });
      seq += 1;
      harness.send(renderLiveEvent(postChange(seq, 'post.edited', longer), page));
      await tab.waitForSelector('#post-n9[data-revision="2"]');
      assert.match((await tab.textContent('#post-n9 .post__updated')) ?? '', /Updated 12:30 GMT/);
      assert.ok(Math.abs((await top()) - start) < 1, 'the edit above did not move the view');

      seq += 1;
      harness.send(
        renderLiveEvent(postChange(seq, 'post.pinned', post(3, { pinned: true })), page),
      );
      await tab.waitForSelector('#post-n3[data-pinned="true"]');
      assert.deepEqual((await articleIds(tab)).slice(0, 2), ['post-n3', 'post-n0']);
      assert.ok(Math.abs((await top()) - start) < 1, 'the move did not shift the view');

      seq += 1;
      harness.send(
        renderLiveEvent(
          {
            seq,
            pageId: page.id,
            kind: 'post.deleted',
            postId: 'n8',
            at: minutes(31),
            data: { kind: 'post.deleted', postId: 'n8' },
          },
          page,
        ),
      );
      await tab.waitForSelector('#post-n8', { state: 'detached' });
      assert.ok(Math.abs((await top()) - start) < 1, 'the deletion did not shift the view');
      await tab.close();
    });

    it('applies page updates and the end of coverage', async () => {
      const tab = await open();
      const updated = pageWith({
        title: 'The bridge is open',
        summary: [{ text: 'Traffic is flowing' }],
      });
      sendChange({
        kind: 'page.updated',
        at: minutes(40),
        data: { kind: 'page.updated', page: updated },
      });
      await tab.waitForFunction(
        () => document.getElementById('page-title')?.textContent === 'The bridge is open',
      );
      assert.equal(await tab.title(), 'The bridge is open - Liveline');
      assert.equal(await tab.textContent('#summary-slot li'), 'Traffic is flowing');

      const ended = pageWith({ status: 'ended', endedAt: minutes(50) });
      sendChange({
        kind: 'page.status_changed',
        at: minutes(50),
        data: { kind: 'page.status_changed', page: ended },
      });
      await tab.waitForSelector('#page-status .badge--ended');
      assert.match((await tab.textContent('#coverage-notice')) ?? '', /Live coverage has ended/);
      await tab.close();
    });

    it('only shows a quiet notice on page 2', async () => {
      const tab = await open(2);
      const before = await articleIds(tab);
      publish(post(24));
      await tab.waitForSelector('#newer-notice:not([hidden])');
      assert.deepEqual(await articleIds(tab), before);
      assert.equal(await tab.getAttribute('#newer-notice a', 'href'), `/live/${SLUG}`);
      await tab.close();
    });

    it('does not highlight with motion when the reader asks for less', async () => {
      const tab = await open(1, { reducedMotion: true });
      publish(post(25));
      await tab.waitForSelector('#post-n25');
      assert.equal(await tab.getAttribute('#post-n25', 'class'), 'post');
      await tab.close();
    });

    it('resumes after a dropped stream and after the server refused it', async () => {
      const tab = await open();
      publish(post(26));
      await tab.waitForSelector('#post-n26');
      const count = harness.requests.length;
      assert.equal(harness.requests.at(-1)?.url, `/live/${SLUG}/events?since=100`);

      // The connection ends: EventSource reconnects by itself with Last-Event-ID.
      harness.dropStreams();
      await waitFor(() => harness.requests.length > count && harness.openStreams() > 0);
      assert.equal(harness.requests.at(-1)?.lastEventId, String(seq));

      // The server refuses: EventSource closes, the script reopens with ?since=<last seq>.
      harness.failNextStreams(1, 503);
      const refused = harness.requests.length;
      harness.dropStreams();
      await waitFor(
        () => harness.requests.length >= refused + 2 && harness.openStreams() > 0,
        8_000,
      );
      assert.equal(harness.requests.at(-1)?.url, `/live/${SLUG}/events?since=${seq}`);
      publish(post(27));
      await tab.waitForSelector('#post-n27');
      await tab.close();
    });

    it('asks for a replay when a change is missing', async () => {
      const tab = await open();
      seq += 1; // this one never arrives
      publish(post(28));
      await waitFor(() => harness.requests.at(-1)?.url === `/live/${SLUG}/events?since=100`);
      await waitFor(() => harness.openStreams() > 0);
      const last = harness.requests.at(-1);
      assert.equal(last?.lastEventId, undefined);
      assert.equal(await tab.$('#post-n28'), null, 'not applied out of order');
      await tab.close();
    });

    it('has no serious accessibility problem at 360 px and 1440 px, and no CSP violation', async () => {
      const axe = await readFile(
        createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
        'utf8',
      );
      for (const width of [360, 1440]) {
        const tab = await open();
        await tab.setViewportSize({ width, height: 900 });
        publish(
          post(29, { labels: ['breaking', 'analysis'], revision: 2, updatedAt: minutes(35) }),
        );
        await tab.waitForSelector('#post-n29');
        await tab.evaluate(axe);
        const violations = await tab.evaluate(async () => {
          const result = await (
            window as unknown as {
              axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> };
            }
          ).axe.run();
          return result.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => v.id);
        });
        assert.deepEqual(violations, [], `at ${width}px`);
        const overflow = await tab.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        assert.ok(overflow <= 0, `no horizontal scroll at ${width}px (${overflow})`);
        if (process.env.READER_SCREENSHOTS) {
          await tab.screenshot({
            path: `${process.env.READER_SCREENSHOTS}/reader-${width}.png`,
            fullPage: false,
          });
        }
        await tab.close();
      }
      assert.deepEqual(cspViolations, []);
    });
  },
);
