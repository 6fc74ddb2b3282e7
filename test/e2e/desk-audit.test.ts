import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkip, newContext, startStack, watchProblems, type Newsroom } from './support.ts';
import { makePerson, openDesk, signIn, type Person } from './desk-support.ts';

describe('the audit log in the desk', { skip: browserSkip(), timeout: 90_000 }, () => {
  let newsroom: Newsroom;
  let browser: Browser;
  let admin: Person;
  let contributor: Person;

  before(async () => {
    ({ newsroom, browser } = await startStack());
    admin = await makePerson(newsroom, 'admin', 'Orla Guerin');
    contributor = await makePerson(newsroom, 'contributor', 'Quentin Sommerville');
  });
  after(async () => {
    await browser?.close();
    await newsroom?.close();
  });

  it("an admin sees a contributor's publish and filters the log by that person", async () => {
    await newsroom.createPage({ slug: 'audit-harbour', title: 'Harbour storm' });
    await newsroom.publish('audit-harbour', { headline: 'Written by the editor token' });

    const theirs = await newContext(browser);
    const writer = await signIn(theirs, newsroom.url, contributor);
    await openDesk(writer, newsroom.url, 'audit-harbour');
    await writer.fill('#new-headline', 'Ferries stay in port');
    await writer.click('#new-body');
    await writer.keyboard.type('The port authority says no sailings before noon.');
    const published = writer.waitForResponse((r) =>
      r.url().endsWith('/api/pages/audit-harbour/posts'),
    );
    await writer.click('.composer button[type=submit]');
    assert.equal((await published).status(), 201);
    await theirs.close();

    const context = await newContext(browser);
    const problems = await watchProblems(context);
    const tab = await signIn(context, newsroom.url, admin);
    await tab.click('a[href="/desk/audit"]');
    await tab.waitForSelector('h1:text("Audit log")');
    const row = tab.locator('tbody tr', { hasText: 'Ferries stay in port' });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    assert.match(cells[1] ?? '', /^Quentin Sommerville$/, 'by the person, not a token');
    assert.equal(cells[2], 'post.publish');
    assert.equal(cells[3], 'Harbour storm');
    assert.ok(
      await tab.locator('tbody tr', { hasText: 'Written by the editor token' }).count(),
      "the editor's post is listed before filtering",
    );
    // The table is a real table: a caption and column headers for screen readers.
    assert.equal(await tab.locator('table caption').count(), 1);
    assert.equal(await tab.locator('thead th[scope=col]').count(), 5);

    const people = tab.getByLabel('Person');
    await people.selectOption({ label: 'Quentin Sommerville' });
    await tab.waitForFunction(
      () => !document.body.textContent?.includes('Written by the editor token'),
      null,
      { timeout: 5_000 },
    );
    const whos = await tab.locator('tbody tr td:nth-child(2)').allTextContents();
    assert.ok(whos.length >= 2, 'the sign-in and the publish');
    assert.ok(
      whos.every((who) => who === 'Quentin Sommerville'),
      whos.join(' | '),
    );
    const actions = await tab.locator('tbody tr td:nth-child(3)').allTextContents();
    assert.deepEqual(actions.slice(0, 2), ['post.publish', 'session.sign_in']);
    assert.match(tab.url(), /\/desk\/audit\?user=[0-9a-z]{20}$/, 'the filter is in the address');

    // Reloading the filtered address shows the same filter.
    await tab.reload();
    await tab.locator('tbody tr', { hasText: 'Ferries stay in port' }).waitFor();
    assert.equal(await people.locator('option:checked').textContent(), 'Quentin Sommerville');
    assert.deepEqual(problems, { csp: [], cspEvents: [], errors: [] });
    await context.close();
  });

  it('shows no Audit log link to a contributor, and the API refuses them', async () => {
    const context = await newContext(browser);
    const tab = await signIn(context, newsroom.url, contributor);
    assert.equal(await tab.locator('a[href="/desk/audit"]').count(), 0);
    const status = await tab.evaluate(async () => (await fetch('/desk/api/audit')).status);
    assert.equal(status, 403);
    await context.close();
  });
});
