import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Request } from 'playwright-core';
import { playerOrigins } from '../../src/embeds/providers.ts';
import {
  browserSkip,
  newContext,
  openReader,
  startStack,
  watchProblems,
  WAIT_MS,
  type Newsroom,
} from './support.ts';

const YOUTUBE = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';

/**
 * A reader context in which every request is recorded, and the providers' players are
 * answered by the test itself (so nothing leaves the machine): a request to a provider is
 * counted, never made.
 */
async function recordingContext(browser: Browser, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await newContext(browser, options);
  const requests: string[] = [];
  context.on('request', (request: Request) => requests.push(request.url()));
  await context.route(
    (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
    (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: `<!doctype html><title>player</title><p id="player">Player of ${new URL(route.request().url()).hostname}</p>`,
      }),
  );
  const outside = () =>
    requests.filter((url) => !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url));
  return { context, requests, outside };
}

describe('click-to-load embeds and videos in Chromium', { skip: browserSkip() }, () => {
  const slug = 'kestrel-launch';
  let newsroom: Newsroom;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    ({ newsroom, browser } = await startStack());
    await newsroom.createPage({
      slug,
      title: 'Kestrel-1 launch',
      leadMedia: { kind: 'video', src: '/media/lead.mp4', caption: 'The pad at dawn' },
    });
    await newsroom.publish(slug, {
      headline: 'The spaceport speaks',
      body: [
        {
          type: 'embed',
          provider: 'x',
          url: 'https://x.com/skerrahead/status/1850000000000000001',
          text: 'Viewing area open.',
          author: 'Skerra Head Spaceport',
        },
      ],
      publishedAt: '2026-10-25T23:40:00.000Z',
    });
    await newsroom.publish(slug, {
      headline: 'Watch the rollout',
      body: [{ type: 'embed', provider: 'youtube', url: YOUTUBE }],
      publishedAt: '2026-10-25T23:50:00.000Z',
    });
    await newsroom.publish(slug, {
      headline: 'From the cliffs',
      body: [
        {
          type: 'video',
          src: '/media/cliffs.mp4',
          poster: '/media/cliffs.jpg',
          caption: 'Lift-off from the cliffs',
        },
      ],
      publishedAt: '2026-10-26T00:00:00.000Z',
    });
  });

  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await newsroom?.close();
  });

  it('asks no provider anything until the reader clicks, then loads only that player, sandboxed', async () => {
    const { context, requests, outside } = await recordingContext(browser);
    contexts.push(context);
    const problems = await watchProblems(context);
    const page = await openReader(context, `${newsroom.url}/live/${slug}`);
    const load = page.getByRole('button', { name: 'Load the video from YouTube' });
    await load.waitFor({ state: 'visible' });
    await page.waitForTimeout(300);
    assert.deepEqual(outside(), [], 'no third-party request before a click');

    await load.click();
    const frame = page.locator('.embed--youtube iframe');
    await frame.waitFor();
    assert.equal(
      await frame.getAttribute('src'),
      'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
    );
    assert.equal(
      await frame.getAttribute('sandbox'),
      'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox',
    );
    const player = page.frameLocator('.embed--youtube iframe').locator('#player');
    assert.equal(await player.textContent(), 'Player of www.youtube-nocookie.com');
    assert.deepEqual(outside(), ['https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ']);
    // The X card was not clicked: its player was never asked for.
    assert.equal(await page.locator('.embed--x iframe').count(), 0);
    assert.deepEqual(problems, { csp: [], cspEvents: [], errors: [] });
    assert.ok(requests.length > 0);
  });

  it('works for an embed that arrives live', async () => {
    const { context, outside } = await recordingContext(browser);
    contexts.push(context);
    const page = await openReader(context, `${newsroom.url}/live/${slug}`);
    await newsroom.publish(slug, {
      headline: 'The rollout, on Vimeo',
      body: [{ type: 'embed', provider: 'vimeo', url: 'https://vimeo.com/76979871' }],
    });
    const load = page.getByRole('button', { name: 'Load the video from Vimeo' });
    await load.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.deepEqual(outside(), []);
    await load.click();
    const player = page.frameLocator('.embed--vimeo iframe').locator('#player');
    assert.equal(await player.textContent(), 'Player of player.vimeo.com');
    assert.deepEqual(outside(), ['https://player.vimeo.com/video/76979871?dnt=1']);
  });

  it('plays a video with the browser’s own controls, fetching it only when played', async () => {
    const { context, requests } = await recordingContext(browser);
    contexts.push(context);
    const page = await openReader(context, `${newsroom.url}/live/${slug}`);
    const video = page.locator('article video');
    await video.waitFor();
    assert.equal(await video.getAttribute('poster'), '/media/cliffs.jpg');
    assert.equal(await video.evaluate((v: HTMLVideoElement) => v.controls), true);
    const fetched = (path: string) => requests.some((url) => new URL(url).pathname === path);
    await page.waitForTimeout(300);
    assert.ok(fetched('/media/cliffs.jpg'), 'the poster is shown before playing');
    assert.ok(!fetched('/media/cliffs.mp4'), 'preload="none": the file waits for the reader');
    // The lead video preloads its metadata: it is the page's first thing.
    assert.ok(fetched('/media/lead.mp4'), 'the lead video is a video too');
    const asked = page.waitForRequest((r) => new URL(r.url()).pathname === '/media/cliffs.mp4');
    await video.evaluate((v: HTMLVideoElement) => void v.play().catch(() => undefined));
    await asked;
  });

  it('without JavaScript, each card is a plain link to the post', async () => {
    const { context, outside } = await recordingContext(browser, { javaScriptEnabled: false });
    contexts.push(context);
    const page = await openReader(context, `${newsroom.url}/live/${slug}`, { stream: false });
    assert.equal(await page.locator('.embed__load').first().isVisible(), false);
    const link = page.locator('.embed--youtube a.link-external');
    assert.equal(await link.getAttribute('href'), YOUTUBE);
    assert.deepEqual(outside(), []);
    assert.ok(playerOrigins().includes('https://www.youtube-nocookie.com'));
  });
});
