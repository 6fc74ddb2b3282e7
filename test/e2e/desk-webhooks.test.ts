import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { makePerson, signIn, type Person } from './desk-support.ts';
import { browserSkip, launchBrowser, newContext, Newsroom, watchProblems } from './support.ts';

describe('webhooks in the desk', { skip: browserSkip(), timeout: 90_000 }, () => {
  let newsroom: Newsroom;
  let browser: Browser;
  let receiver: WebhookReceiver;
  let admin: Person;

  before(async () => {
    // The receiver is on this machine: this newsroom allows private targets, as a test may.
    newsroom = await Newsroom.start({
      webhooks: { allowance: 'all' },
      outbox: { pollMs: 50, leaseMs: 5000, retry: { firstDelayMs: 100 } },
    });
    browser = await launchBrowser();
    receiver = await startReceiver((n) => (n === 1 ? 500 : 200));
    admin = await makePerson(newsroom, 'admin', 'Lyse Doucet');
  });
  after(async () => {
    await browser?.close();
    await receiver?.close();
    await newsroom?.close();
  });

  it('an admin adds an endpoint, sees its deliveries and sends one again', async () => {
    await newsroom.createPage({ slug: 'hooks-harbour', title: 'Harbour storm' });
    const context = await newContext(browser);
    const problems = await watchProblems(context);
    const tab = await signIn(context, newsroom.url, admin);
    await tab.click('a[href="/desk/webhooks"]');
    await tab.waitForSelector('h1:text("Webhooks")');

    await tab.getByLabel('URL to POST each change to').fill(receiver.url);
    await tab.getByLabel('Live pages (none chosen: every page)').selectOption('hooks-harbour');
    await tab.getByLabel('post.published').check();
    await tab.click('button:text("Add webhook")');
    const secret = (await tab.locator('.secret').textContent()) ?? '';
    assert.match(secret, /^whsec_/, 'the secret is shown once');
    await tab.locator('.webhook', { hasText: receiver.url }).waitFor();

    await newsroom.publish('hooks-harbour', { headline: 'Ferries stay in port' });
    await receiver.waitFor(2, 10_000); // the first answer was a 500: retried
    await tab.click('button:text("Deliveries")');
    const rows = tab.locator('.webhook-deliveries tbody tr');
    await rows.nth(1).waitFor();
    const texts = await rows.allTextContents();
    assert.match(texts[0] ?? '', /post\.published.*Delivered \(200\).*answer 2/s);
    assert.match(texts[1] ?? '', /Failed \(500\).*answer 1/s);

    await rows.nth(0).locator('button:text("Send again")').click();
    await tab.locator('[role=status]:text("will be sent again")').waitFor();
    const all = await receiver.waitFor(3, 10_000);
    assert.equal(all[2]?.json.id, all[0]?.json.id, 'the same event, sent again');
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.csp, []);
    await context.close();
  });
});
