// Screenshots of the demo live page for docs/: `npm run screenshots` (needs /usr/bin/chromium).
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { buildApp } from '../src/app.ts';
import { MemoryBus } from '../src/bus/memory/memory-bus.ts';
import { DEMO_SLUG, loadDemoIfEmpty } from '../src/services/demo.ts';
import { serviceDeps } from '../src/services/deps.ts';
import { connectSqlite } from '../src/store/sqlite/connect.ts';

const store = await connectSqlite(':memory:');
const services = serviceDeps({ store, bus: new MemoryBus() });
await loadDemoIfEmpty(services);
const app = await buildApp(services);
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as AddressInfo;

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
} finally {
  await browser.close();
  await app.close();
  await store.close();
}
