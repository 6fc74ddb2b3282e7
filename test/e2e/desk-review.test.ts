import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkip, newContext, openReader, startStack, type Newsroom } from './support.ts';
import { makePerson, openDesk, signIn, type Person } from './desk-support.ts';

describe('review in the desk', { skip: browserSkip(), timeout: 90_000 }, () => {
  let newsroom: Newsroom;
  let browser: Browser;
  let editor: Person;
  let contributor: Person;

  before(async () => {
    ({ newsroom, browser } = await startStack());
    editor = await makePerson(newsroom, 'editor');
    contributor = await makePerson(newsroom, 'contributor');
  });
  after(async () => {
    await browser?.close();
    await newsroom?.close();
  });

  it('a contributor submits, the editor sees Review (1), approves, and the reader sees the post', async () => {
    const made = await newsroom.server.call('editor', 'POST', '/api/pages', {
      slug: 'desk-review',
      title: 'Review desk',
      status: 'live',
      reviewMode: 'review',
    });
    assert.equal(made.statusCode, 201, made.body);
    const readers = await newContext(browser);
    const reader = await openReader(readers, `${newsroom.url}/live/desk-review`);

    // The editor's desk is open before anything is submitted: the count follows live.
    const editing = await newContext(browser);
    const editorTab = await signIn(editing, newsroom.url, editor);
    await openDesk(editorTab, newsroom.url, 'desk-review');
    await editorTab.locator('[data-filter=review]:text("Review (0)")').waitFor();

    const writing = await newContext(browser);
    const writerTab = await signIn(writing, newsroom.url, contributor);
    await openDesk(writerTab, newsroom.url, 'desk-review');
    const submit = writerTab.locator('form.composer button[type=submit]').first();
    assert.equal((await submit.textContent())?.trim(), 'Submit for review');
    await writerTab.fill('#new-headline', 'Delegations arrive in Geneva');
    await writerTab.click('#new-body');
    await writerTab.keyboard.type('Both delegations have arrived at the venue.');
    await submit.click();
    const mine = writerTab.locator('.post-card[data-status=submitted]');
    await mine.locator('.badge--review').waitFor({ timeout: 5_000 });

    await editorTab.locator('[data-filter=review]:text("Review (1)")').waitFor({ timeout: 5_000 });
    // Nothing reached readers.
    assert.equal(await reader.locator('article:has-text("Delegations arrive")').count(), 0);

    await editorTab.click('[data-filter=review]');
    const card = editorTab.locator('.post-card[data-status=submitted]');
    assert.equal(await card.count(), 1);
    assert.match((await card.locator('h3').textContent()) ?? '', /Delegations arrive in Geneva/);
    await card.locator('[data-action=approve]').click();

    await reader
      .locator('article h3:text("Delegations arrive in Geneva")')
      .waitFor({ timeout: 5_000 });
    await editorTab.locator('[data-filter=review]:text("Review (0)")').waitFor({ timeout: 5_000 });
    const posts = await newsroom.server.call(null, 'GET', '/api/pages/desk-review/posts');
    assert.deepEqual(
      posts
        .json<{ posts: { headline: string; status: string }[] }>()
        .posts.map((p) => [p.headline, p.status]),
      [['Delegations arrive in Geneva', 'published']],
    );
    await writing.close();
    await editing.close();
    await readers.close();
  });

  it('an editor returns a submission with a note, and its author sees the note', async () => {
    await newsroom.server.call('editor', 'POST', '/api/pages', {
      slug: 'desk-return',
      title: 'Return desk',
      status: 'live',
      reviewMode: 'review',
    });
    const writing = await newContext(browser);
    const writerTab = await signIn(writing, newsroom.url, contributor);
    await openDesk(writerTab, newsroom.url, 'desk-return');
    await writerTab.fill('#new-headline', 'Unconfirmed claim');
    await writerTab.click('#new-body');
    await writerTab.keyboard.type('Sources say a deal is near.');
    await writerTab.locator('form.composer button[type=submit]').first().click();
    await writerTab.locator('.post-card[data-status=submitted]').waitFor({ timeout: 5_000 });

    const editing = await newContext(browser);
    const editorTab = await signIn(editing, newsroom.url, editor);
    await openDesk(editorTab, newsroom.url, 'desk-return');
    const card = editorTab.locator('.post-card[data-status=submitted]');
    await card.locator('[data-action=return]').click();
    await editorTab.keyboard.type('Which sources? Name at least one.');
    await editorTab.click('button:text("Return to author")');
    await editorTab.locator('.post-card[data-status=draft]').waitFor({ timeout: 5_000 });

    // The author's desk hears the change and shows the note on their draft.
    await writerTab
      .locator(
        '.post-card[data-status=draft] .review-note:has-text("Which sources? Name at least one.")',
      )
      .waitFor({ timeout: 5_000 });
    await writerTab.click('[data-filter=mine]');
    assert.equal(await writerTab.locator('.post-card').count(), 1);
    await writing.close();
    await editing.close();
  });

  it("schedules a new post from the composer on the page's clock, whatever the browser's zone", async () => {
    await newsroom.server.call('editor', 'POST', '/api/pages', {
      slug: 'desk-schedule',
      title: 'Schedule desk',
      status: 'live',
      timeZone: 'Europe/Kyiv',
    });
    const editing = await newContext(browser);
    const tab = await signIn(editing, newsroom.url, editor);
    await openDesk(tab, newsroom.url, 'desk-schedule');
    await tab.fill('#new-headline', 'Talks to resume');
    await tab.click('#new-body');
    await tab.keyboard.type('The delegations meet again in the morning.');
    await tab.click('[data-action=compose-schedule]');
    await tab.fill('#new-schedule-date', '2030-07-01');
    await tab.fill('#new-schedule-time', '09:00');
    // The zone is named for the date chosen: summer time in July.
    await tab.locator('.panel__title:has-text("Eastern European Summer Time")').waitFor();
    await tab.press('#new-schedule-time', 'Enter');
    const card = tab.locator('.post-card[data-status=scheduled]');
    await card
      .locator(
        '.badge--scheduled:has-text("Scheduled for 09:00 Eastern European Summer Time, 1 Jul")',
      )
      .waitFor({ timeout: 5_000 });
    const desk = await newsroom.server.call('editor', 'GET', '/desk/api/pages/desk-schedule/posts');
    assert.deepEqual(
      desk
        .json<{ posts: { status: string; scheduledFor: string }[] }>()
        .posts.map((p) => [p.status, p.scheduledFor]),
      [['scheduled', '2030-07-01T06:00:00.000Z']],
    );
    const page = await newsroom.server.call(null, 'GET', '/api/pages/desk-schedule');
    assert.equal(page.json().postCount, 0, 'nothing public before its time');
    await editing.close();
  });
});
