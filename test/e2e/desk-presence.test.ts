import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkip, newContext, startStack, watchProblems, type Newsroom } from './support.ts';
import { makePerson, openDesk, signIn, type Person } from './desk-support.ts';

describe(
  'two desks on one page: presence and the soft lock',
  { skip: browserSkip(), timeout: 90_000 },
  () => {
    let newsroom: Newsroom;
    let browser: Browser;
    let ana: Person;
    let bo: Person;

    before(async () => {
      ({ newsroom, browser } = await startStack());
      ana = await makePerson(newsroom, 'editor', 'Ana Lopez');
      bo = await makePerson(newsroom, 'editor', 'Bo Chen');
    });
    after(async () => {
      await browser?.close();
      await newsroom?.close();
    });

    it('A sees B, B editing a post, is warned before editing it too, and sees the lock end', async () => {
      await newsroom.createPage({ slug: 'presence' });
      const post = await newsroom.publish('presence', { headline: 'Talks resume in Geneva' });
      const contextA = await newContext(browser);
      const contextB = await newContext(browser);
      const problems = await watchProblems(contextA);
      const a = await signIn(contextA, newsroom.url, ana);
      const b = await signIn(contextB, newsroom.url, bo);
      await openDesk(a, newsroom.url, 'presence');
      await openDesk(b, newsroom.url, 'presence');

      // A sees B on the page, and B sees A; nobody sees themselves.
      const strip = a.locator('.presence');
      await strip.locator('.presence__person', { hasText: 'Bo Chen' }).waitFor({ timeout: 3_000 });
      assert.match(await strip.innerText(), /Bo Chen\s+viewing/);
      await b.locator('.presence__person', { hasText: 'Ana Lopez' }).waitFor({ timeout: 3_000 });
      assert.equal(await a.locator('.presence__person', { hasText: 'Ana Lopez' }).count(), 0);
      assert.equal(await strip.locator('[aria-live=polite]').count(), 1);

      // B opens the post for editing: A sees the lock on the card and in the strip.
      const cardA = a.locator(`#desk-post-${post.id}`);
      await b.locator(`#desk-post-${post.id} [data-action=edit]`).click();
      await b.locator(`#edit-${post.id}-headline`).waitFor();
      await cardA.locator('.lock', { hasText: 'Bo Chen is editing' }).waitFor({ timeout: 3_000 });
      assert.match(await strip.innerText(), /Bo Chen\s+editing “Talks resume in Geneva”/);

      // A clicks Edit: a question, not the composer. "Leave it" leaves it.
      await cardA.locator('[data-action=edit]').click();
      const question = cardA.getByRole('group', { name: 'Confirm editing' });
      await question.waitFor();
      assert.match(await question.innerText(), /Bo Chen is editing this post\. Edit anyway\?/);
      assert.equal(await a.locator(`#edit-${post.id}-headline`).count(), 0);
      assert.equal(
        await a.evaluate(() => document.activeElement?.textContent),
        'Edit anyway',
        'the focus moved to the question',
      );
      await question.getByRole('button', { name: 'Leave it' }).click();
      await cardA.locator('[data-action=edit]').waitFor();
      assert.equal(await a.locator(`#edit-${post.id}-headline`).count(), 0);

      // B types (still editing), then cancels: the mark goes from A's desk at once.
      await b.fill(`#edit-${post.id}-headline`, 'Talks resume in Geneva on Monday');
      await b.locator(`#desk-post-${post.id} button`, { hasText: 'Discard changes' }).click();
      await cardA.locator('.lock').waitFor({ state: 'detached', timeout: 3_000 });
      await strip.locator('.presence__person', { hasText: 'viewing' }).waitFor({ timeout: 3_000 });

      // With no lock, Edit opens the composer straight away; now B sees A's lock.
      await cardA.locator('[data-action=edit]').click();
      await a.locator(`#edit-${post.id}-headline`).waitFor();
      await b
        .locator(`#desk-post-${post.id} .lock`, { hasText: 'Ana Lopez is editing' })
        .waitFor({ timeout: 3_000 });

      // A saves: the lock ends on save too.
      await a.fill(`#edit-${post.id}-headline`, 'Talks resume in Geneva');
      await a.fill(`#edit-${post.id}-headline`, 'Talks resume in Geneva today');
      await a.press(`#edit-${post.id}-headline`, 'Control+Enter');
      await b
        .locator(`#desk-post-${post.id} .post-card__headline`, { hasText: 'today' })
        .waitFor({ timeout: 3_000 });
      await b.locator(`#desk-post-${post.id} .lock`).waitFor({ state: 'detached', timeout: 3_000 });

      // B closes the tab: A's desk says so at once, with no expiry to wait for.
      await contextB.close();
      await strip.locator('.presence__empty').waitFor({ timeout: 3_000 });
      assert.deepEqual(problems, { csp: [], cspEvents: [], errors: [] });
      await contextA.close();
    });

    it('a lock left idle for 2 minutes drops back to viewing, and the next keystroke takes it again', async () => {
      await newsroom.createPage({ slug: 'idle-lock' });
      const post = await newsroom.publish('idle-lock', { headline: 'Polls open' });
      const contextA = await newContext(browser);
      const contextB = await newContext(browser);
      const a = await signIn(contextA, newsroom.url, ana);
      const b = await signIn(contextB, newsroom.url, bo);
      // B's timers run on a clock the test moves; everything else is real.
      await b.clock.install();
      await openDesk(a, newsroom.url, 'idle-lock');
      await openDesk(b, newsroom.url, 'idle-lock');
      const lock = a.locator(`#desk-post-${post.id} .lock`);

      await b.locator(`#desk-post-${post.id} [data-action=edit]`).click();
      await b.fill(`#edit-${post.id}-headline`, 'Polls open at seven');
      await lock.waitFor({ timeout: 3_000 });
      await b.clock.fastForward('01:50');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(await lock.count(), 1, 'still locked before 2 minutes');
      await b.clock.fastForward('00:11');
      await lock.waitFor({ state: 'detached', timeout: 3_000 });
      // The composer is still open on B's desk, its text intact.
      assert.equal(await b.inputValue(`#edit-${post.id}-headline`), 'Polls open at seven');

      await b.press(`#edit-${post.id}-headline`, 'End');
      await b.keyboard.type(' tomorrow');
      await lock.waitFor({ timeout: 3_000 });
      await contextA.close();
      await contextB.close();
    });
  },
);
