import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { AxeResults, Result } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkip, newContext, startStack, type Newsroom } from './support.ts';
import { makePerson, openDesk, signIn, type Person } from './desk-support.ts';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The violations axe rates serious or critical, one readable line per element. */
function describeViolations(violations: Result[]): string {
  return violations
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n${v.nodes
          .map((node) => `    ${node.target.join(' ')}: ${node.failureSummary ?? ''}`)
          .join('\n')}`,
    )
    .join('\n');
}

async function audit(tab: Page, where: string): Promise<void> {
  await tab.addScriptTag({ path: AXE_PATH });
  for (const width of [1280, 390]) {
    await tab.setViewportSize({ width, height: 900 });
    const results = await tab.evaluate(() =>
      (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
    );
    assert.ok(results.passes.length > 10, `axe ran its rules on ${where}`);
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.equal(bad.length, 0, `${where} at ${width} px:\n${describeViolations(bad)}`);
    const overflow = await tab.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 0, `${where}: no sideways scrolling at ${width} px (${overflow} px)`);
  }
}

describe('the desk is accessible', { skip: browserSkip(), timeout: 120_000 }, () => {
  let newsroom: Newsroom;
  let browser: Browser;
  let admin: Person;
  let ctx: BrowserContext;

  before(async () => {
    ({ newsroom, browser } = await startStack());
    admin = await makePerson(newsroom, 'admin', 'Amina Okafor');
    await newsroom.createPage({
      slug: 'desk-axe',
      summary: [
        { text: 'The bridge reopened at 06:00' },
        { text: 'Ferries run a reduced timetable' },
      ],
    });
    await newsroom.publish('desk-axe', {
      headline: 'Pinned overview',
      pinned: true,
      labels: ['key'],
    });
    await newsroom.publish('desk-axe', { headline: 'Breaking update', labels: ['breaking'] });
    await newsroom.server.call('editor', 'POST', '/api/pages/desk-axe/posts', {
      headline: 'A draft in progress',
      body: [],
      status: 'draft',
    });
    // axe is injected as a script the desk's CSP would (rightly) refuse.
    ctx = await newContext(browser, { bypassCSP: true });
  });
  after(async () => {
    await ctx?.close();
    await browser?.close();
    await newsroom?.close();
  });

  it('finds no serious or critical violation on the sign-in screen', async () => {
    const tab = await ctx.newPage();
    await tab.goto(`${newsroom.url}/desk`);
    await tab.waitForSelector('#email');
    await audit(tab, 'sign-in');
    await tab.close();
  });

  it('finds none on the pages list, a page desk (composer, stream, insert form, preview), settings, people and account', async () => {
    const tab = await signIn(ctx, newsroom.url, admin);
    await audit(tab, 'pages list');
    await openDesk(tab, newsroom.url, 'desk-axe');
    await tab.fill('#new-headline', 'Checking the composer');
    await tab.click('#new-body');
    await tab.keyboard.type('Some text.');
    await tab.click('button[data-tool=image]');
    await tab.click('button:text("Preview")');
    await tab.locator('.preview iframe').waitFor();
    await audit(tab, 'page desk');
    await tab.click('.post-card [data-action=edit]');
    await audit(tab, 'page desk, editing a post');
    const pinned = tab.locator('.post-card:has-text("Pinned overview")');
    await pinned.locator('[data-action=history]').click();
    await pinned.locator('.history__step').first().waitFor();
    const breaking = tab.locator('.post-card:has-text("Breaking update")');
    await breaking.locator('[data-action=edit]').click();
    await breaking.locator('[data-field=is-correction]').check();
    await breaking.locator('[data-field=correction-note]').waitFor();
    await audit(tab, 'page desk, a post history and a correction');
    await tab.click('button:text("Page settings")');
    await tab.waitForSelector('#page-title');
    await audit(tab, 'page settings');
    await tab.goto(`${newsroom.url}/desk/users`);
    await tab.waitForSelector('#invite-name');
    await audit(tab, 'people');
    await tab.goto(`${newsroom.url}/desk/account`);
    await tab.waitForSelector('#token-name');
    await audit(tab, 'account');
  });

  it('finds none on the audit log', async () => {
    // The context is signed in as the admin by the test before.
    const tab = await ctx.newPage();
    await tab.goto(`${newsroom.url}/desk/audit`);
    await tab.locator('tbody tr', { hasText: 'Breaking update' }).waitFor();
    await audit(tab, 'audit log');
    await tab.close();
  });

  it('finds none on the webhooks screen', async () => {
    const tab = await ctx.newPage();
    await tab.goto(`${newsroom.url}/desk/webhooks`);
    await tab.waitForSelector('#webhook-url');
    await audit(tab, 'webhooks');
    await tab.close();
  });
});
