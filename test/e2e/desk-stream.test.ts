import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  browserSkip,
  newContext,
  openReader,
  selectorOf,
  startStack,
  type Newsroom,
} from './support.ts';
import { makePerson, openDesk, signIn, type Person } from './desk-support.ts';

describe('the stream as the desk sees it', { skip: browserSkip(), timeout: 90_000 }, () => {
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

  it('edits, pins and deletes from the desk, and each reaches an open reader page', async () => {
    await newsroom.createPage({ slug: 'desk-actions' });
    const older = await newsroom.publish('desk-actions', { headline: 'Older news' });
    const post = await newsroom.publish('desk-actions', { headline: 'Typo in the headlne' });
    const readers = await newContext(browser);
    const reader = await openReader(readers, `${newsroom.url}/live/desk-actions`);
    const context = await newContext(browser);
    const tab = await signIn(context, newsroom.url, editor);
    await openDesk(tab, newsroom.url, 'desk-actions');

    const card = tab.locator(`#desk-post-${post.id}`);
    await card.locator('[data-action=edit]').click();
    await tab.fill(`#edit-${post.id}-headline`, 'Typo in the headline fixed');
    await tab.press(`#edit-${post.id}-headline`, 'Control+Enter');
    await reader
      .locator(`${selectorOf(post)} h3:text("Typo in the headline fixed")`)
      .waitFor({ timeout: 2_000 });

    await tab.locator(`#desk-post-${older.id} [data-action=pin]`).click();
    await waitForTop(reader, older.id);
    await tab.locator(`#desk-post-${older.id} [data-action=unpin]`).waitFor();

    await tab.locator(`#desk-post-${post.id} [data-action=delete]`).click();
    // Nothing is deleted before the confirmation.
    assert.equal(await reader.locator(selectorOf(post)).count(), 1);
    await tab.keyboard.press('Enter'); // "Yes, delete" has the focus
    await reader.locator(selectorOf(post)).waitFor({ state: 'detached', timeout: 2_000 });
    await tab.locator(`#desk-post-${post.id}`).waitFor({ state: 'detached' });
    const left = await newsroom.server.call('editor', 'GET', '/api/pages/desk-actions/posts');
    assert.deepEqual(
      left.json<{ posts: { id: string; pinned: boolean }[] }>().posts.map((p) => [p.id, p.pinned]),
      [[older.id, true]],
    );
    await context.close();
    await readers.close();
  });

  it("shows drafts, marked, and colleagues' posts while you type without losing your text", async () => {
    await newsroom.createPage({ slug: 'desk-live' });
    const context = await newContext(browser);
    const tab = await signIn(context, newsroom.url, editor);
    await openDesk(tab, newsroom.url, 'desk-live');
    await tab.fill('#new-headline', 'My story in progress');
    await tab.click('#new-body');
    await tab.keyboard.type('I am typing when ');
    const colleague = await newsroom.publish('desk-live', { headline: 'A colleague was faster' });
    await tab.locator(`#desk-post-${colleague.id}`).waitFor({ timeout: 2_000 });
    await tab.keyboard.type('their post arrives.');
    assert.equal(await tab.inputValue('#new-headline'), 'My story in progress');
    assert.equal(await tab.textContent('#new-body'), 'I am typing when their post arrives.');

    await tab.locator('button:text("Save draft")').click();
    const draft = tab.locator('.post-card--draft', { hasText: 'My story in progress' });
    await draft.waitFor();
    assert.equal(await draft.locator('.badge--draft').textContent(), 'Draft');
    const reader = await openReader(context, `${newsroom.url}/live/desk-live`);
    assert.equal(
      await reader.locator('#posts > article', { hasText: 'My story in progress' }).count(),
      0,
      'readers never see a draft',
    );
    await context.close();
  });

  it('a contributor sees no pin button and cannot edit or delete a colleague’s post', async () => {
    await newsroom.createPage({ slug: 'desk-roles' });
    const theirs = await newsroom.publish('desk-roles', { headline: 'The editor wrote this' });
    const context = await newContext(browser);
    const tab = await signIn(context, newsroom.url, contributor);
    await openDesk(tab, newsroom.url, 'desk-roles');
    await tab.fill('#new-headline', 'The contributor wrote this');
    await tab.click('#new-body');
    await tab.keyboard.type('From the scene.');
    await tab.keyboard.press('Control+Enter');
    const mine = tab.locator('.post-card', { hasText: 'The contributor wrote this' });
    await mine.waitFor();
    assert.equal(await tab.locator('.post-card [data-action=pin]').count(), 0, 'no pin anywhere');
    assert.equal(await mine.locator('[data-action=edit]').count(), 1, 'may edit their own');
    const other = tab.locator(`#desk-post-${theirs.id}`);
    assert.equal(await other.locator('button').count(), 0, 'no edit or delete on others');
    // And the server refuses it whatever the interface shows.
    const forced = await tab.evaluate(async ({ id }) => {
      const me = (await (await fetch('/desk/api/me')).json()) as { csrfToken: string };
      const res = await fetch(`/api/pages/desk-roles/posts/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ revision: 1, pinned: true }),
      });
      return res.status;
    }, theirs);
    assert.equal(forced, 403);
    await context.close();
  });

  it('two desks editing one post resolve the conflict without losing either text', async () => {
    await newsroom.createPage({ slug: 'desk-conflict' });
    const post = await newsroom.publish('desk-conflict', {
      headline: 'Bridge reopens',
      body: [
        { type: 'paragraph', content: [{ type: 'text', text: 'First paragraph.' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Second paragraph.' }] },
      ],
    });
    const one = await newContext(browser);
    const two = await newContext(browser);
    const a = await signIn(one, newsroom.url, editor);
    const b = await signIn(two, newsroom.url, editor);
    await openDesk(a, newsroom.url, 'desk-conflict');
    await openDesk(b, newsroom.url, 'desk-conflict');
    await a.locator(`#desk-post-${post.id} [data-action=edit]`).click();
    await b.locator(`#desk-post-${post.id} [data-action=edit]`).click();

    // Desk A changes the headline and saves first.
    await a.fill(`#edit-${post.id}-headline`, 'Bridge reopens at dawn');
    await a.press(`#edit-${post.id}-headline`, 'Control+Enter');
    await a.locator(`#desk-post-${post.id} h3:text("Bridge reopens at dawn")`).waitFor();

    // Desk B, still on revision 1, corrects the second paragraph and saves: a conflict.
    await b.locator(`#edit-${post.id}-body p:text("Second paragraph.")`).click();
    await b.keyboard.press('End');
    await b.keyboard.press('Backspace');
    await b.keyboard.type(', corrected by desk B.');
    await b.press(`#edit-${post.id}-headline`, 'Control+Enter');
    const conflict = b.locator('.conflict');
    await conflict.waitFor();
    const frames = conflict.locator('iframe');
    // The two previews arrive from the server after the view opens: wait for the second.
    await frames.nth(1).waitFor({ timeout: 5_000 });
    assert.equal(await frames.count(), 2, 'theirs and mine side by side');
    await b
      .frameLocator('.conflict__side:nth-child(1) iframe')
      .locator('h3:text("Bridge reopens at dawn")')
      .waitFor();
    await b
      .frameLocator('.conflict__side:nth-child(2) iframe')
      .locator('text=corrected by desk B')
      .waitFor();

    await conflict.locator('button:text("Reapply my changes on theirs")').click();
    assert.equal(await b.inputValue(`#edit-${post.id}-headline`), 'Bridge reopens at dawn');
    await b.press(`#edit-${post.id}-headline`, 'Control+Enter');
    await b.locator(`#desk-post-${post.id} h3:text("Bridge reopens at dawn")`).waitFor();

    const saved = await newsroom.server.call(
      'editor',
      'GET',
      `/api/pages/desk-conflict/posts/${post.id}`,
    );
    const body = saved.json<{ headline: string; revision: number; body: unknown }>();
    assert.equal(body.headline, 'Bridge reopens at dawn', "A's text kept");
    assert.match(
      JSON.stringify(body.body),
      /Second paragraph, corrected by desk B\./,
      "B's text kept",
    );
    assert.match(JSON.stringify(body.body), /First paragraph\./);
    assert.equal(body.revision, 3);
    await one.close();
    await two.close();
  });
});

async function waitForTop(reader: Page, id: string) {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const first = await reader.$eval('#posts > article', (el) => el.id).catch(() => '');
    if (first === `post-${id}`) return;
    if (Date.now() > deadline) assert.fail(`post-${id} did not reach the top (first: ${first})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
