import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { deskStack, openDesk, signIn, type Person } from './desk-support.ts';
import {
  browserSkip,
  newContext,
  openReader,
  selectorOf,
  watchProblems,
  type Newsroom,
} from './support.ts';

/**
 * An editor corrects a post in the desk while a reader has the page open: the reader sees
 * the new text with the correction note and its time, without reloading. Then the editor
 * reads the history's diff, removes the earlier version and finally the whole post.
 */
describe(
  'corrections and legal removal from the desk',
  { skip: browserSkip(), timeout: 90_000 },
  () => {
    let newsroom: Newsroom;
    let browser: Browser;
    let editor: Person;

    deskStack((stack) => ({ newsroom, browser, editor } = stack));

    it('shows a correction on an open reader page, then the history, then removes', async () => {
      const slug = 'rally-live';
      await newsroom.createPage({ slug });
      const post = await newsroom.publish(slug, { headline: 'A crowd of 24,000 at the rally' });
      const readers = await newContext(browser);
      const problems = await watchProblems(readers);
      const reader = await openReader(readers, `${newsroom.url}/live/${slug}`);
      // Set on the open page: still there afterwards means the page was never reloaded.
      await reader.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

      const context = await newContext(browser);
      const deskProblems = await watchProblems(context);
      const tab = await signIn(context, newsroom.url, editor);
      await openDesk(tab, newsroom.url, slug);
      const card = tab.locator(`#desk-post-${post.id}`);
      await card.locator('[data-action=edit]').click();
      await tab.fill(`#edit-${post.id}-headline`, 'A crowd of 2,400 at the rally');
      await card.locator('[data-field=is-correction]').check();
      await card.locator('[data-field=correction-note]').fill('The figure was 2,400, not 24,000.');
      await tab.press(`#edit-${post.id}-headline`, 'Control+Enter');

      const note = reader.locator(`${selectorOf(post)} aside.correction`);
      await note.waitFor({ timeout: 2_000 });
      assert.match(
        (await note.textContent()) ?? '',
        /Correction.*The figure was 2,400, not 24,000\./,
      );
      assert.match((await note.locator('time').getAttribute('datetime')) ?? '', /^\d{4}-.*Z$/);
      assert.equal(
        await reader.textContent(`${selectorOf(post)} h3`),
        'A crowd of 2,400 at the rally',
      );
      assert.equal(
        await reader.evaluate(() => (window as unknown as { stayed?: boolean }).stayed),
        true,
      );
      assert.equal(await reader.locator('aside.correction').count(), 1);

      await card.locator('[data-action=history]').click();
      const corrected = card.locator('.history__step[data-action=corrected]');
      await corrected.waitFor();
      const headline = corrected.locator('.version__headline');
      assert.equal(await headline.locator('del').textContent(), '24,000');
      assert.equal(await headline.locator('ins').textContent(), '2,400');
      assert.match((await corrected.textContent()) ?? '', /The figure was 2,400, not 24,000\./);

      const first = card.locator('.history__step[data-action=published]');
      await first.locator('[data-action=remove-version]').click();
      await first.locator('[data-field=removal-reason]').fill('Defamation claim');
      await first.locator('button[type=submit]').click();
      await first.locator('.tombstone').waitFor();
      assert.match(
        (await first.locator('.tombstone').textContent()) ?? '',
        /Removed for legal reasons by .+: Defamation claim/,
      );
      assert.equal(await first.locator('.version').count(), 0, 'the version text is gone');

      await card.locator('[data-action=remove]').click();
      await card.locator('.removal-form [data-field=removal-reason]').fill('Court order 17/2026');
      await card.locator('.removal-form button[type=submit]').click();
      await reader.locator(selectorOf(post)).waitFor({ state: 'detached', timeout: 2_000 });
      await card.waitFor({ state: 'detached', timeout: 2_000 });
      assert.deepEqual([problems.errors, problems.csp], [[], []]);
      assert.deepEqual([deskProblems.errors, deskProblems.csp], [[], []]);
      await context.close();
      await readers.close();
    });
  },
);
