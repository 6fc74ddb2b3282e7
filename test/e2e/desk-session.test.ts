import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkip, newContext, startStack, type Newsroom } from './support.ts';
import { acceptLink, makePerson, openDesk, signIn, type Person } from './desk-support.ts';

/** A page on another origin (same host, another port) that posts to the desk's API. */
async function attackerSite(
  target: string,
  slug: string,
): Promise<{ url: string; server: Server }> {
  const page = `<!doctype html><html><body>
<form id="forged" method="POST" action="${target}/api/pages/${slug}/posts" enctype="text/plain">
<input name='{"headline":"Forged","body":[],"x":"' value='"}'>
</form>
<script>
fetch(${JSON.stringify(`${target}/desk/api/sign-out`)}, { method: 'POST', mode: 'no-cors', credentials: 'include' })
  .finally(() => document.getElementById('forged').submit());
</script></body></html>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe('signing in and out of the desk', { skip: browserSkip(), timeout: 90_000 }, () => {
  let newsroom: Newsroom;
  let browser: Browser;
  let admin: Person;

  before(async () => {
    ({ newsroom, browser } = await startStack());
    admin = await makePerson(newsroom, 'admin', 'Ayesha Khan');
  });
  after(async () => {
    await browser?.close();
    await newsroom?.close();
  });

  it('signs in, invites a colleague whose one-time link sets a password and signs them in', async () => {
    const context = await newContext(browser);
    const tab = await signIn(context, newsroom.url, admin);
    assert.equal(await tab.textContent('h1'), 'Live pages');
    await tab.click('a[href="/desk/users"]');
    await tab.fill('#invite-name', 'Jessica Parker');
    await tab.fill('#invite-email', 'jessica.parker@newsroom.test');
    await tab.fill('#invite-bylineRole', 'Sydney correspondent');
    await tab.selectOption('#invite-role', 'contributor');
    await tab.click('button:text("Invite")');
    const link = await tab.locator('#one-time-link').inputValue({ timeout: 5_000 });
    assert.match(link, new RegExp(`^${newsroom.url}/desk/link/`));
    await tab.locator('td:text-is("jessica.parker@newsroom.test")').waitFor();

    const theirs = await newContext(browser);
    const theirTab = await theirs.newPage();
    await acceptLink(theirTab, link, 'a long harbour password');
    assert.match((await theirTab.textContent('.bar')) ?? '', /Jessica Parker/);
    assert.equal(await theirTab.locator('a[href="/desk/users"]').count(), 0, 'no People link');
    // The link is used up.
    const again = await theirs.newPage();
    await again.goto(link);
    await again.locator('[role=alert]').waitFor();
    await context.close();
    await theirs.close();
  });

  it('sign-out ends the session: the old cookie no longer opens the desk', async () => {
    const context = await newContext(browser);
    const tab = await signIn(context, newsroom.url, admin);
    const [cookie] = await context.cookies();
    assert.ok(cookie, 'a session cookie');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    await tab.click('button:text("Sign out")');
    await tab.waitForSelector('#email');
    assert.deepEqual(await context.cookies(), [], 'cookie cleared');
    // Replaying the old cookie (as a stolen copy would) finds no session.
    const res = await fetch(`${newsroom.url}/desk/api/me`, {
      headers: { cookie: `${cookie.name}=${cookie.value}` },
    });
    assert.equal(res.status, 401);
    await tab.goto(`${newsroom.url}/desk/pages/anything`);
    await tab.waitForSelector('#email');
    await context.close();
  });

  it('lists my sessions and revokes another one, which is sent back to sign-in with its draft kept; a personal token is shown once and works', async () => {
    await newsroom.createPage({ slug: 'desk-revoke' });
    const laptop = await newContext(browser);
    const phone = await newContext(browser);
    const tab = await signIn(laptop, newsroom.url, admin);
    const other = await signIn(phone, newsroom.url, admin);
    await openDesk(other, newsroom.url, 'desk-revoke');
    await other.fill('#new-headline', 'Typed on the phone');

    await tab.goto(`${newsroom.url}/desk/account`);
    const rows = tab.locator('tbody tr');
    await tab.locator('button:text("Sign out there")').first().waitFor();
    const before = await rows.count();
    assert.ok(before >= 2, `${before} sessions listed`);
    assert.equal(await tab.locator('.badge:text("This browser")').count(), 1);
    // Revoke every other session (earlier tests' too), then check the phone.
    while ((await tab.locator('button:text("Sign out there")').count()) > 0) {
      const count = await rows.count();
      await tab.locator('button:text("Sign out there")').first().click();
      await tab.waitForFunction((n) => document.querySelectorAll('tbody tr').length < n, count);
    }
    assert.equal(await rows.count(), 1);

    await other.fill('#new-headline', 'Typed on the phone, still');
    await other.click('.composer button[type=submit]');
    await other.waitForSelector('#email');
    await other.fill('#email', admin.email);
    await other.fill('#password', admin.password);
    await other.press('#password', 'Enter');
    await other.waitForSelector('.connection--on');
    assert.equal(await other.inputValue('#new-headline'), 'Typed on the phone, still');

    await tab.fill('#token-name', 'Wire feed script');
    await tab.click('button:text("Create token")');
    const token = await tab.locator('#new-token').inputValue();
    assert.match(token, /\S{20,}/);
    const res = await fetch(`${newsroom.url}/api/pages/desk-revoke/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ headline: 'From the script', body: [] }),
    });
    assert.equal(res.status, 201, await res.text());
    await tab.reload();
    await tab.waitForSelector('#token-name');
    assert.equal(await tab.locator('#new-token').count(), 0, 'the token is shown only once');
    await laptop.close();
    await phone.close();
  });

  it('refuses a forged cross-site POST from a page on another origin; the session and the page are untouched', async () => {
    await newsroom.createPage({ slug: 'desk-csrf' });
    const context = await newContext(browser);
    const tab = await signIn(context, newsroom.url, admin);
    const attacker = await attackerSite(newsroom.url, 'desk-csrf');
    try {
      const evil = await context.newPage();
      const answers: { url: string; status: number }[] = [];
      evil.on('response', (r) => {
        if (r.url().startsWith(newsroom.url)) answers.push({ url: r.url(), status: r.status() });
      });
      const forged = evil.waitForResponse((r) => r.url().endsWith('/api/pages/desk-csrf/posts'));
      await evil.goto(attacker.url);
      const answer = await forged;
      assert.equal(answer.status(), 403);
      assert.match(await answer.text(), /CSRF_REJECTED/);
      // The forged sign-out (an opaque no-cors fetch) must not have ended the session:
      // the desk still opens and its authenticated stream connects.
      assert.deepEqual(
        answers.filter((a) => a.status < 400).map((a) => a.url),
        [],
        'nothing the forged page sent was accepted',
      );
      // Still signed in, and nothing was written.
      await openDesk(tab, newsroom.url, 'desk-csrf');
      const page = await newsroom.getPage('desk-csrf');
      assert.equal(page.postCount, 0);
      const posts = await newsroom.server.call('editor', 'GET', '/desk/api/pages/desk-csrf/posts');
      assert.notEqual(posts.statusCode, 500);
    } finally {
      await new Promise((resolve) => attacker.server.close(resolve));
      await context.close();
    }
  });

  it('refuses the tenth wrong password in a row with the rate limit, even before the right one', async () => {
    const target = await makePerson(newsroom, 'contributor');
    const context = await newContext(browser);
    const tab = await context.newPage();
    await tab.goto(`${newsroom.url}/desk`);
    const statuses: number[] = [];
    tab.on('response', (r) => {
      if (r.url().endsWith('/desk/api/sign-in')) statuses.push(r.status());
    });
    await tab.fill('#email', target.email);
    for (let i = 1; i <= 10; i++) {
      await tab.fill('#password', `wrong guess ${i}`);
      const answered = tab.waitForResponse((r) => r.url().endsWith('/desk/api/sign-in'));
      await tab.press('#password', 'Enter');
      await answered;
      await tab.locator('button[type=submit]:not([disabled])').waitFor();
    }
    assert.deepEqual(statuses, [...Array(9).fill(401), 429]);
    assert.match((await tab.textContent('[role=alert]')) ?? '', /too many/i);
    // Locked: even the right password is refused now, and the desk stays closed.
    await tab.fill('#password', target.password);
    await tab.press('#password', 'Enter');
    await tab.waitForTimeout(300);
    assert.equal(statuses.at(-1), 429);
    assert.equal(await tab.locator('#email').count(), 1);
    await context.close();
  });
});
