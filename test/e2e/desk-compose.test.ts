import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkip, newContext, openReader, watchProblems, type Newsroom } from './support.ts';
import { deskStack, openDesk, signIn, tabTo, type Person } from './desk-support.ts';

const IMAGE = 'https://images.liveline.test/harbour.svg';

describe('writing in the desk', { skip: browserSkip(), timeout: 90_000 }, () => {
  let newsroom: Newsroom;
  let browser: Browser;
  let editor: Person;

  deskStack((stack) => ({ newsroom, browser, editor } = stack));

  it('publishes a post written with the keyboard alone (bold, a link, a list, an image with alt text); a reader sees it within a second', async () => {
    await newsroom.createPage({ slug: 'desk-keyboard' });
    const readers = await newContext(browser);
    const reader = await openReader(readers, `${newsroom.url}/live/desk-keyboard`);
    const context = await newContext(browser);
    const problems = await watchProblems(context);
    const tab = await signIn(context, newsroom.url, editor);
    await openDesk(tab, newsroom.url, 'desk-keyboard');

    const k = tab.keyboard;
    await tabTo(tab, '#new-headline');
    await k.type('Ferries resume after the storm');
    await tabTo(tab, 'input[type=checkbox]'); // Breaking
    await k.press('Space');
    await tabTo(tab, '#new-body');
    await k.type('The port said ');
    await k.press('Control+b');
    await k.type('all routes');
    await k.press('Control+b');
    await k.type(' reopen, see the timetable');
    for (let i = 0; i < 'the timetable'.length; i++) await k.press('Shift+ArrowLeft');
    await k.press('Control+k');
    await k.type('https://port.example.com/timetable');
    await k.press('Enter');
    await k.press('End');
    await k.press('Enter');
    await k.type('- Dover to Calais');
    await k.press('Enter');
    await k.type('Hull to Rotterdam');
    await k.press('Enter');
    await k.press('Enter');
    // Out of the editor, back to the toolbar's Image button, with Shift+Tab.
    await tabTo(tab, 'button[data-tool=image]', true);
    await k.press('Enter');
    // The picture form: past "Choose a picture" and "Take a photo" to the alt text and
    // caption, then past the credit to a picture's address on the web.
    await tabTo(tab, '#new-media-alt-0');
    await k.type('A ferry leaving Dover harbour');
    await k.press('Tab');
    await k.type('The first crossing since Sunday');
    await tabTo(tab, '#new-media-src');
    await k.type(IMAGE);
    await k.press('Enter');
    // The form closes and gives the focus back to the body editor.
    await tab.waitForFunction(() => document.activeElement?.id === 'new-body');

    const started = Date.now();
    const published = tab.waitForResponse(
      (r) => r.url().endsWith('/api/pages/desk-keyboard/posts') && r.request().method() === 'POST',
    );
    await k.press('Control+Enter');
    const answer = await published;
    assert.equal(answer.status(), 201, await answer.text());
    const article = reader.locator('#posts > article', {
      hasText: 'Ferries resume after the storm',
    });
    await article.waitFor({ timeout: 1_000 });
    const latency = Date.now() - started;
    assert.ok(latency < 1_000, `the reader showed it after ${latency} ms`);

    assert.equal(await article.locator('strong').textContent(), 'all routes');
    assert.equal(
      await article.locator('a[href="https://port.example.com/timetable"]').count(),
      1,
      `the link in ${await article.innerHTML()}`,
    );
    assert.equal(
      await article.locator('a[href="https://port.example.com/timetable"]').count(),
      1,
      'the link',
    );
    assert.deepEqual(await article.locator('ul li').allTextContents(), [
      'Dover to Calais',
      'Hull to Rotterdam',
    ]);
    assert.equal(
      await article.locator(`img[src="${IMAGE}"]`).getAttribute('alt'),
      'A ferry leaving Dover harbour',
    );
    assert.match((await article.textContent()) ?? '', /Breaking/i);
    // The composer is empty again, and the new post is in the desk's stream.
    assert.equal(await tab.inputValue('#new-headline'), '');
    await tab.locator('.post-card', { hasText: 'Ferries resume after the storm' }).waitFor();
    assert.deepEqual(problems, { csp: [], cspEvents: [], errors: [] });
    await context.close();
    await readers.close();
  });

  it('gives a quote its attribution and edits an inserted image, and the reader shows both', async () => {
    await newsroom.createPage({ slug: 'desk-quote' });
    const context = await newContext(browser);
    const tab = await signIn(context, newsroom.url, editor);
    await openDesk(tab, newsroom.url, 'desk-quote');
    await tab.fill('#new-headline', 'The mayor speaks');
    await tab.click('#new-body');
    await tab.keyboard.type('> We will rebuild the harbour wall.');
    await tab.fill('#new-attribution', 'Mayor Ana Lewis');
    await tab.click('#new-body p');
    await tab.keyboard.press('End');
    await tab.keyboard.press('Enter');
    await tab.keyboard.press('Enter');
    await tab.click('button[data-tool=image]');
    await tab.fill('#new-media-src', IMAGE);
    await tab.fill('#new-media-alt-0', 'A wall');
    await tab.click('button:text("Insert")');
    await tab.click('#new-body figure[data-block=image]');
    await tab.click('button:text("Edit the selected image")');
    assert.equal(await tab.inputValue('#new-media-alt-0'), 'A wall');
    await tab.fill('#new-media-alt-0', 'The damaged harbour wall at low tide');
    await tab.click('button:text("Save picture")');
    const published = tab.waitForResponse((r) => r.url().endsWith('/api/pages/desk-quote/posts'));
    await tab.click('.composer button[type=submit]');
    assert.equal((await published).status(), 201);
    const posts = await newsroom.server.call('editor', 'GET', '/api/pages/desk-quote/posts');
    const [post] = posts.json<{ posts: { body: unknown[] }[] }>().posts;
    assert.deepEqual(post?.body, [
      {
        type: 'quote',
        content: [{ type: 'text', text: 'We will rebuild the harbour wall.' }],
        attribution: 'Mayor Ana Lewis',
      },
      { type: 'image', src: IMAGE, alt: 'The damaged harbour wall at low tide' },
    ]);
    await context.close();
  });

  it('a double Publish makes one post (one Idempotency-Key per composition)', async () => {
    await newsroom.createPage({ slug: 'desk-double' });
    const context = await newContext(browser);
    const tab = await signIn(context, newsroom.url, editor);
    await openDesk(tab, newsroom.url, 'desk-double');
    await tab.fill('#new-headline', 'Only once');
    await tab.click('#new-body');
    await tab.keyboard.type('One post, however often it is clicked.');
    const sent: string[] = [];
    tab.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/pages/desk-double/posts')) {
        sent.push(r.headers()['idempotency-key'] ?? 'none');
      }
    });
    // Two clicks in the same task (before the button can be disabled), then Ctrl+Enter.
    await tab.evaluate(() => {
      const button = document.querySelector<HTMLButtonElement>('.composer button[type=submit]')!;
      button.click();
      button.click();
    });
    await tab.keyboard.press('Control+Enter');
    await tab.locator('.post-card', { hasText: 'Only once' }).waitFor();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const posts = await newsroom.server.call('editor', 'GET', '/api/pages/desk-double/posts');
    assert.equal(posts.json<{ posts: unknown[] }>().posts.length, 1);
    // Whatever reached the server carried the composition's one key.
    assert.ok(sent.length >= 1);
    assert.equal(new Set(sent).size, 1, `keys sent: ${sent.join(', ')}`);
    assert.notEqual(sent[0], 'none');
    await context.close();
  });

  it('keeps a composition through a reload, then publishes it', async () => {
    await newsroom.createPage({ slug: 'desk-reload' });
    const context = await newContext(browser);
    const tab = await signIn(context, newsroom.url, editor);
    await openDesk(tab, newsroom.url, 'desk-reload');
    await tab.fill('#new-headline', 'Half-written when the laptop restarted');
    await tab.click('#new-body');
    await tab.keyboard.type('Nothing typed is ever lost.');
    await tab.reload();
    await tab.waitForSelector('.connection--on');
    assert.equal(await tab.inputValue('#new-headline'), 'Half-written when the laptop restarted');
    assert.equal(await tab.textContent('#new-body'), 'Nothing typed is ever lost.');
    await tab.press('#new-headline', 'Control+Enter');
    await tab
      .locator('.post-card', { hasText: 'Half-written when the laptop restarted' })
      .waitFor();
    await tab.reload();
    await tab.waitForSelector('.connection--on');
    assert.equal(await tab.inputValue('#new-headline'), '', 'a published draft is not restored');
    await context.close();
  });

  it('works at 390 px: no horizontal scroll, the composer usable', async () => {
    await newsroom.createPage({ slug: 'desk-phone' });
    await newsroom.publish('desk-phone', {
      headline: 'An earlier post with a rather long headline to wrap',
    });
    const context = await newContext(browser, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const tab = await signIn(context, newsroom.url, editor);
    await openDesk(tab, newsroom.url, 'desk-phone');
    const overflow = () =>
      tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await overflow()) <= 0, `horizontal scroll of ${await overflow()} px`);
    await tab.fill('#new-headline', 'Written on a phone');
    await tab.tap('#new-body');
    await tab.keyboard.type('From the quayside.');
    await tab.tap('button[data-tool=image]');
    assert.ok((await overflow()) <= 0, 'the image form fits');
    await tab.tap('.composer button[type=submit]');
    await tab.locator('.post-card', { hasText: 'Written on a phone' }).waitFor();
    assert.ok((await overflow()) <= 0, 'the stream fits');
    await context.close();
  });
});
