import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PostJson } from '../../src/services/present.ts';
import { aParagraph } from '../support/factories.ts';
import {
  browserSkip,
  newContext,
  openReader,
  selectorOf,
  startStack,
  type Newsroom,
  watchProblems,
  type PageProblems,
  type PostInput,
} from './support.ts';

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1">';
const PAYLOAD = `${SCRIPT} ${IMG}`;

/** A post that carries the payload in every string a reader sees. */
function hostilePost(headline: string): PostInput {
  return {
    headline: `${headline} ${PAYLOAD}`,
    contributors: [{ name: `Mallory ${IMG}`, role: SCRIPT }],
    body: [
      aParagraph(`Paragraph ${PAYLOAD}`),
      { type: 'quote', content: [{ type: 'text', text: IMG }], attribution: SCRIPT },
      { type: 'list', items: [[{ type: 'text', text: SCRIPT }]] },
      {
        type: 'image',
        src: 'https://images.liveline.test/a.svg',
        alt: `Alt ${IMG}`,
        caption: `Caption ${SCRIPT}`,
        credit: IMG,
      },
    ],
  };
}

/** The post's strings are on screen as text, and nothing of them became markup or ran. */
async function assertInert(tab: Page, post: PostJson, headline: string) {
  assert.equal(await tab.textContent(`${selectorOf(post)} h3`), `${headline} ${PAYLOAD}`);
  assert.match(
    (await tab.textContent(selectorOf(post))) ?? '',
    /Paragraph <script>window\.__pwned=1<\/script> <img src=x onerror="window\.__pwned=1">/,
  );
  const found = await tab.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    scripts: Array.from(document.scripts, (s) => s.type || s.src.replace(/\?.*$/, '')),
    handlers: document.querySelectorAll('[onerror]').length,
    strayImages: document.querySelectorAll('img[src="x"], img:not([src^="https:"])').length,
  }));
  assert.equal(found.pwned, undefined, 'no payload ran');
  assert.equal(found.handlers, 0, 'no element carries an inline handler');
  assert.equal(found.strayImages, 0, 'no image came from the payload');
  assert.deepEqual(
    found.scripts.map((s) => s.replace(/^https?:\/\/[^/]+/, '')),
    ['/assets/reader.js', 'application/ld+json', '/alerts.js'],
    'the only scripts are the reader script, the JSON-LD data and the alerts opt-in it loads',
  );
}

describe("hostile text in a reader's browser", { skip: browserSkip() }, () => {
  const slug = 'harbour-hostile';
  let newsroom: Newsroom;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const requested: string[] = [];

  before(async () => {
    ({ newsroom, browser } = await startStack());
    await newsroom.createPage({
      slug,
      title: `Harbour ${SCRIPT}`,
      summary: [{ text: `Key point ${IMG}` }],
    });
  });

  // A test's browser context (and its open event stream) ends with the test, failed or not.
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  after(async () => {
    await browser?.close();
    await newsroom?.close();
  });

  async function context(
    bypassCSP: boolean,
  ): Promise<{ ctx: BrowserContext; problems: PageProblems }> {
    const ctx = await newContext(browser, { bypassCSP });
    contexts.push(ctx);
    const problems = await watchProblems(ctx);
    await ctx.route('https://images.liveline.test/**', (route) =>
      route.fulfill({
        contentType: 'image/svg+xml',
        body: '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>',
      }),
    );
    ctx.on('request', (request) => requested.push(request.url()));
    return { ctx, problems };
  }

  /**
   * Under the page's own CSP (which would block an injected script anyway) and with the CSP
   * bypassed (so only the escaping stands between the payload and the reader).
   */
  for (const bypassCSP of [false, true]) {
    const mode = bypassCSP ? 'with the CSP bypassed' : 'under the CSP';
    it(`renders hostile posts as inert text on first load and live, ${mode}`, async () => {
      const { ctx, problems } = await context(bypassCSP);
      const first = `First load ${bypassCSP}`;
      const loaded = await newsroom.publish(slug, hostilePost(first));
      const tab = await openReader(ctx, `${newsroom.url}/live/${slug}`);
      await assertInert(tab, loaded, first);
      assert.equal(await tab.textContent('#page-title'), `Harbour ${SCRIPT}`);
      assert.equal(await tab.title(), `Harbour ${SCRIPT} - Liveline`);
      assert.equal(await tab.textContent('#summary-slot li'), `Key point ${IMG}`);
      const jsonLd = await tab.textContent('script[type="application/ld+json"]');
      assert.doesNotMatch(jsonLd ?? '', /<\/?script|<img/i, 'JSON-LD escapes markup');
      assert.match(JSON.stringify(JSON.parse(jsonLd ?? '{}')), /First load/);

      const arriving = `Live ${bypassCSP}`;
      const live = await newsroom.publish(slug, hostilePost(arriving));
      await tab.waitForSelector(selectorOf(live));
      await assertInert(tab, live, arriving);
      // The same through an edit, and through the page's own fields.
      const edited = await newsroom.editPost(slug, live, { headline: `${arriving} ${PAYLOAD}` });
      await tab.waitForSelector(`${selectorOf(live)}[data-revision="${edited.revision}"]`);
      await assertInert(tab, live, arriving);
      await newsroom.editPage(slug, { summary: [{ text: `Changed ${SCRIPT} ${IMG}` }] });
      await tab.waitForFunction(
        (text) => document.querySelector('#summary-slot li')?.textContent === text,
        `Changed ${SCRIPT} ${IMG}`,
      );
      await assertInert(tab, live, arriving);
      await newsroom.editPage(slug, { summary: [{ text: `Key point ${IMG}` }] });

      // The page's own stylesheet and script loaded and ran under its CSP: the live updates
      // above prove the script; the stylesheet draws the rule between posts.
      assert.equal(
        await tab.$eval(selectorOf(live), (el) => getComputedStyle(el).borderTopStyle),
        'solid',
      );
      assert.deepEqual(problems, { csp: [], cspEvents: [], errors: [] });
      const fromPayload = requested.filter((url) => /\/x$/.test(new URL(url).pathname));
      assert.deepEqual(fromPayload, [], 'the payload made no request');
    });
  }
});
