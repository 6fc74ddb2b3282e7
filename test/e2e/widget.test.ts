import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, ConsoleMessage, Frame, Page } from 'playwright-core';
import { within } from '../support/deadline.ts';
import { makePerson, openDesk, signIn } from './desk-support.ts';
import {
  browserSkip,
  launchBrowser,
  newContext,
  Newsroom,
  selectorOf,
  watchProblems,
  WAIT_MS,
} from './support.ts';

/**
 * A partner's site: another origin (another port, and `localhost` rather than 127.0.0.1, so
 * another site too) serving whatever page the test sets.
 */
class PartnerSite {
  html = '';
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<PartnerSite> {
    const holder: { site?: PartnerSite } = {};
    const server = createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(holder.site?.html ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.site = new PartnerSite(server, `http://localhost:${port}`);
    return holder.site;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The partner's page around a snippet, as a CMS would publish it. */
const partnerPage = (snippet: string) =>
  `<!DOCTYPE html><html lang="en"><head><title>Partner news</title></head><body><h1>Partner news</h1>${snippet}<p id="after">After the widget</p></body></html>`;

/** The frame of the page whose URL starts with `url`, once it has one. */
async function frameAt(tab: Page, url: string): Promise<Frame> {
  let found: Frame | undefined;
  const started = Date.now();
  while (!(found = tab.frames().find((frame) => frame.url().startsWith(url)))) {
    if (Date.now() - started > WAIT_MS) throw new Error(`no frame at ${url} within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return found;
}

describe('the widget embedded on another site, in Chromium', { skip: browserSkip() }, () => {
  let newsroom: Newsroom;
  let closedNewsroom: Newsroom;
  let partner: PartnerSite;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    [newsroom, closedNewsroom, partner, browser] = await Promise.all([
      Newsroom.start(),
      // This newsroom lets one other site frame its widget: not the partner's.
      Newsroom.start({ widget: { frameAncestors: ['https://elsewhere.invalid'] } }),
      PartnerSite.start(),
      launchBrowser(),
    ]);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  after(async () => {
    await browser?.close();
    await Promise.all([newsroom?.close(), closedNewsroom?.close(), partner?.close()]);
  });

  async function context() {
    const created = await newContext(browser);
    contexts.push(created);
    return created;
  }

  async function snippetOf(room: Newsroom, url: string): Promise<string> {
    const res = await room.server.call(null, 'GET', `/oembed?url=${encodeURIComponent(url)}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ html: string }>().html;
  }

  it('shows the live page in the frame, a new post arrives, the frame fits its content, a post opens outside', async () => {
    const slug = 'harbour-widget';
    await newsroom.createPage({ slug, title: 'Harbour reopens' });
    const first = await newsroom.publish(slug, { headline: 'The first cars cross' });
    partner.html = partnerPage(await snippetOf(newsroom, `${newsroom.url}/live/${slug}`));

    const ctx = await context();
    const problems = await watchProblems(ctx);
    const tab = await ctx.newPage();
    const stream = tab.waitForResponse((res) => res.url().includes(`/live/${slug}/events`));
    stream.catch(() => undefined);
    await tab.goto(partner.url);
    await stream;
    const frame = await frameAt(tab, `${newsroom.url}/live/${slug}/embed`);
    await frame.waitForSelector(selectorOf(first));
    assert.equal(await frame.textContent('#page-title'), 'Harbour reopens');

    const post = await newsroom.publish(slug, { headline: 'A ferry sounds its horn' });
    await frame.waitForSelector(selectorOf(post), { timeout: 2_000 });
    assert.equal(await frame.textContent(`${selectorOf(post)} h3`), 'A ferry sounds its horn');

    // The resize script fits the frame to its content (two short posts: far below 640 px).
    const iframe = tab.locator('iframe[data-liveline-widget]');
    await tab.waitForFunction(() => {
      const element = document.querySelector<HTMLIFrameElement>('iframe[data-liveline-widget]');
      return element !== null && element.style.height !== '';
    });
    // The frame follows its content (the new post's report may still be on its way).
    const sizes = async () => ({
      content: await frame.evaluate(() =>
        Math.ceil(document.getElementById('widget')?.getBoundingClientRect().height ?? 0),
      ),
      box: (await iframe.boundingBox())?.height ?? 0,
    });
    let size = await sizes();
    for (const deadline = Date.now() + WAIT_MS; Math.abs(size.box - size.content) > 2;) {
      if (Date.now() > deadline) assert.fail(`frame ${size.box} px, content ${size.content} px`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      size = await sizes();
    }
    const box = { height: size.box };
    assert.ok(size.content > 100, `content ${size.content} px`);
    assert.ok(box.height < 640, 'smaller than the default height');

    // A post's time links to its permalink, which opens outside the partner's page.
    const opened = ctx.waitForEvent('page');
    await frame.click(`${selectorOf(post)} a.post__time`);
    const permalink = await within(opened, WAIT_MS, 'the permalink in a new tab');
    await permalink.waitForLoadState('domcontentloaded');
    assert.equal(permalink.url(), `${newsroom.url}/live/${slug}/posts/${post.id}`);
    assert.equal(tab.url(), `${partner.url}/`, 'the partner page stays');
    assert.deepEqual(problems, { csp: [], cspEvents: [], errors: [] });
  });

  it('a normal page refuses to be framed, and so does an embed view the settings do not open to the site', async () => {
    const slug = 'harbour-framed';
    await newsroom.createPage({ slug, title: 'Framed harbour' });
    await closedNewsroom.createPage({ slug, title: 'Closed harbour' });
    const refused = [`${newsroom.url}/live/${slug}`, `${closedNewsroom.url}/live/${slug}/embed`];
    partner.html = partnerPage(
      refused
        .map((src) => `<iframe src="${src}" title="x" width="400" height="300"></iframe>`)
        .join(''),
    );
    const ctx = await context();
    const messages: string[] = [];
    ctx.on('console', (message: ConsoleMessage) => messages.push(message.text()));
    const tab = await ctx.newPage();
    await tab.goto(partner.url);
    // Chromium says so on the console: "Framing '<origin>/' violates ... frame-ancestors ...".
    const expected = [
      `Framing '${newsroom.url}/' violates the following Content Security Policy directive: "frame-ancestors 'self'"`,
      `Framing '${closedNewsroom.url}/' violates the following Content Security Policy directive: "frame-ancestors https://elsewhere.invalid"`,
    ];
    for (const text of expected) {
      const deadline = Date.now() + WAIT_MS;
      while (!messages.some((message) => message.includes(text))) {
        if (Date.now() > deadline) assert.fail(`no "${text}"; console: ${messages.join(' | ')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    // Nothing of either page was drawn in its frame.
    for (const frame of tab.frames().filter((f) => f !== tab.mainFrame())) {
      const title = await frame
        .evaluate(() => document.getElementById('page-title')?.textContent ?? null)
        .catch(() => null);
      assert.equal(title, null, `frame ${frame.url()} shows the page`);
    }
  });

  it("the desk shows the page's snippet under Page settings, and copies it", async () => {
    const slug = 'harbour-snippet';
    await newsroom.createPage({ slug, title: 'Snippet harbour' });
    const ctx = await context();
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: newsroom.url });
    const editor = await makePerson(newsroom, 'editor');
    const tab = await signIn(ctx, newsroom.url, editor);
    await openDesk(tab, newsroom.url, slug);
    await tab.click('button.tab:text("Page settings")');
    await tab.waitForFunction(() =>
      (document.getElementById('widget-snippet') as HTMLTextAreaElement | null)?.value.startsWith(
        '<iframe',
      ),
    );
    const snippet = await tab.inputValue('#widget-snippet');
    assert.equal(snippet, await snippetOf(newsroom, `${newsroom.url}/live/${slug}`));
    await tab.click('button:text("Copy snippet")');
    await tab.waitForSelector('text=Snippet copied.');
    assert.equal(await tab.evaluate(() => navigator.clipboard.readText()), snippet);
  });
});
