// Screenshots of the demo live page and the desk for docs/: `npm run screenshots` (needs
// /usr/bin/chromium).
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { buildApp } from '../src/app.ts';
import { MemoryBus } from '../src/bus/memory/memory-bus.ts';
import { DEMO_SLUG, loadDemoIfEmpty } from '../src/services/demo.ts';
import { serviceDeps } from '../src/services/deps.ts';
import { invitePerson, setPasswordWithLink } from '../src/services/people.ts';
import { createToken } from '../src/services/tokens.ts';
import { connectSqlite } from '../src/store/sqlite/connect.ts';

const store = await connectSqlite(':memory:');
const services = serviceDeps({ store, bus: new MemoryBus() });
await loadDemoIfEmpty(services);
// The desk checks that writes come from PUBLIC_URL's origin: find the port first.
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address() as AddressInfo;
    probe.close(() => resolve(free));
  });
});
const base = `http://127.0.0.1:${port}`;
const app = await buildApp(services, { publicUrl: base });
await app.listen({ port, host: '127.0.0.1' });
const password = 'a screenshot password';
const { link } = await invitePerson(services, null, {
  email: 'sophie.long@newsroom.test',
  name: 'Sophie Long',
  role: 'editor',
  bylineRole: 'Science correspondent',
});
await setPasswordWithLink(services, link.token, password);
const colleague = (await createToken(services, 'Rob Baker', 'editor')).token;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
  ],
});
try {
  mkdirSync('docs/screenshots', { recursive: true });
  for (const [name, width, height] of [
    ['desktop', 1440, 1000],
    ['phone', 360, 780],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    await page.goto(`http://127.0.0.1:${port}/live/${DEMO_SLUG}`, { waitUntil: 'networkidle' });
    await page.screenshot({ path: `docs/screenshots/demo-${name}.png` });
    await page.close();
    console.log(`wrote docs/screenshots/demo-${name}.png`);
  }
  await deskScreenshots();
} finally {
  await browser.close();
  await app.close();
  await store.close();
}

/** The desk: composer, stream, page settings and the conflict view, at desk width. */
async function deskScreenshots() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  const shot = async (name: string, fullPage = false) => {
    await tab.screenshot({ path: `docs/screenshots/desk-${name}.png`, fullPage });
    console.log(`wrote docs/screenshots/desk-${name}.png`);
  };
  await tab.goto(`${base}/desk`);
  await tab.fill('#email', 'sophie.long@newsroom.test');
  await tab.fill('#password', password);
  await tab.press('#password', 'Enter');
  await tab.waitForSelector('h1:text("Live pages")');
  await shot('pages');
  await tab.goto(`${base}/desk/pages/${DEMO_SLUG}`);
  await tab.waitForSelector('.connection--on');
  await tab.fill('#new-headline', 'Second stage separation confirmed');
  await tab.click('input[type=checkbox]');
  await tab.selectOption('#new-person', { index: 1 });
  await tab.click('#new-body');
  await tab.keyboard.type('Mission control says the ');
  await tab.keyboard.press('Control+b');
  await tab.keyboard.type('second stage');
  await tab.keyboard.press('Control+b');
  await tab.keyboard.type(' separated cleanly at T+2:41.');
  await tab.keyboard.press('Enter');
  await tab.keyboard.type('- Telemetry is nominal');
  await tab.keyboard.press('Enter');
  await tab.keyboard.type('Next milestone: orbital insertion');
  await shot('composer');
  await tab.click('button:text("Preview")');
  await tab.locator('.preview iframe').waitFor();
  await tab.waitForTimeout(300);
  await tab.locator('.preview').scrollIntoViewIfNeeded();
  await shot('preview');
  await tab.click('button:text("Close preview")');
  await tab.locator('.stream').scrollIntoViewIfNeeded();
  await shot('stream');

  // A colleague saves the first post while Sophie edits it: the conflict view.
  const card = tab.locator('.post-card').first();
  const id = ((await card.getAttribute('id')) ?? '').replace('desk-post-', '');
  await card.locator('[data-action=edit]').click();
  await tab.fill(`#edit-${id}-headline`, 'Launch confirmed: all stages nominal');
  const current = (await (await fetch(`${base}/api/pages/${DEMO_SLUG}/posts/${id}`)).json()) as {
    revision: number;
  };
  await fetch(`${base}/api/pages/${DEMO_SLUG}/posts/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${colleague}`, 'content-type': 'application/json' },
    body: JSON.stringify({ revision: current.revision, labels: ['key'] }),
  });
  await tab.press(`#edit-${id}-headline`, 'Control+Enter');
  await tab.locator('.conflict iframe').first().waitFor();
  await tab.waitForTimeout(500);
  await tab.locator('.conflict').scrollIntoViewIfNeeded();
  await shot('conflict');
  await tab.click('button:text("Discard mine, keep theirs")');

  // Sophie corrects that post: the desk's history shows its versions word by word.
  const corrected = tab.locator(`#desk-post-${id}`);
  await corrected.locator('[data-action=edit]').click();
  await tab.fill(`#edit-${id}-headline`, 'Launch confirmed at 14:02, not 14:20');
  await corrected.locator('[data-field=is-correction]').check();
  await corrected
    .locator('[data-field=correction-note]')
    .fill('An earlier version gave the launch time as 14:20. It was 14:02.');
  await tab.press(`#edit-${id}-headline`, 'Control+Enter');
  await corrected.locator('[data-action=history]').click();
  await corrected.locator('.history__step[data-action=corrected]').waitFor();
  await corrected.scrollIntoViewIfNeeded();
  await shot('history');

  await tab.click('button:text("Page settings")');
  await tab.waitForSelector('#page-title');
  await shot('settings');
  await tab.setViewportSize({ width: 390, height: 844 });
  await tab.click('button:text("Posts")');
  await tab.waitForSelector('#new-headline');
  await shot('phone');
  await context.close();
}
