import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { PostJson } from '../../src/services/present.ts';
import { browserSkip, newContext, watchProblems, type Newsroom } from './support.ts';
import { deskStack, openDesk, signIn, type Person } from './desk-support.ts';

const BLUESKY = 'https://bsky.app/profile/skerra.example/post/3kabcdefghijk';

describe('embeds and videos from the desk', { skip: browserSkip(), timeout: 90_000 }, () => {
  let newsroom: Newsroom;
  let browser: Browser;
  let editor: Person;

  deskStack((stack) => ({ newsroom, browser, editor } = stack));

  it('pastes a post address, shows the card readers will see, and publishes it with a video', async () => {
    const slug = 'desk-embeds';
    await newsroom.createPage({ slug });
    const context = await newContext(browser);
    const problems = await watchProblems(context);
    const tab = await signIn(context, newsroom.url, editor);
    await openDesk(tab, newsroom.url, slug);
    await tab.fill('#new-headline', 'Reaction from the cliffs');

    await tab.click('button[data-tool=embed]');
    const address = tab.getByLabel('Post address (required)');
    await address.fill('https://example.com/not-a-post');
    await address.press('Enter');
    await tab
      .getByRole('alert')
      .getByText(/Paste the address of one post or video/)
      .waitFor();

    await address.fill(BLUESKY);
    await address.press('Enter');
    const card = tab.frameLocator('iframe[title="The card readers will see"]');
    assert.equal(await card.locator('.embed__author').textContent(), 'Bluesky');
    await tab.getByRole('button', { name: 'Insert', exact: true }).click();
    await tab.locator('#new-body figure[data-block="embed"]').waitFor();

    await tab.click('button[data-tool=video]');
    await tab.getByLabel('Video address (MP4 or HLS) (required)').fill('/media/cliffs.mov');
    await tab.getByLabel('Poster image address').fill('/media/cliffs.jpg');
    await tab.getByRole('button', { name: 'Insert', exact: true }).click();
    await tab
      .getByRole('alert')
      .getByText(/MP4 \(\.mp4\) or HLS/)
      .waitFor();
    await tab.getByLabel('Video address (MP4 or HLS) (required)').fill('/media/cliffs.m3u8');
    await tab.getByRole('button', { name: 'Insert', exact: true }).click();
    await tab.locator('#new-body figure[data-block="video"]').waitFor();

    const published = tab.waitForResponse(
      (r) => r.url().endsWith(`/api/pages/${slug}/posts`) && r.request().method() === 'POST',
    );
    await tab.keyboard.press('Control+Enter');
    const answer = await published;
    assert.equal(answer.status(), 201, await answer.text());
    const post = (await answer.json()) as PostJson;
    assert.deepEqual(post.body, [
      { type: 'embed', provider: 'bluesky', url: BLUESKY },
      { type: 'video', src: '/media/cliffs.m3u8', poster: '/media/cliffs.jpg' },
    ]);
    assert.deepEqual(problems, { csp: [], cspEvents: [], errors: [] });
  });
});
