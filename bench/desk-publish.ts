/**
 * Click-to-screen: an editor signed in to the desk in Chromium writes a post and presses
 * Ctrl+Enter; how long until it is on a reader's screen (a second Chromium tab on the live
 * page) and in every one of N raw SSE readers (client processes, as in fanout.ts). Liveline
 * runs as `npm start` does, with SQLite. See bench/README.md.
 *
 *   node --import tsx bench/desk-publish.ts --readers 1000 --posts 30
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { int, options } from './lib/args.ts';
import { ClientPool } from './lib/fanout/client-pool.ts';
import { ApiClient, createToken, ROOT, startLiveline, tempDir } from './lib/liveline.ts';
import { machineReport } from './lib/machine.ts';
import { freePort } from './lib/net.ts';
import { marker } from './lib/post-body.ts';
import { run, sleep, stopAll, watchdog } from './lib/procs.ts';
import { concat, summarize } from './lib/stats.ts';
import { fmt, table } from './lib/table.ts';

const args = options(
  `usage: node --import tsx bench/desk-publish.ts [options]
  --readers 1000         raw SSE readers connected while the desk publishes
  --posts 30             measured posts (after --warmup 3)
  --gap-ms 300           pause after each post is everywhere
  --post-timeout-ms 10000 --max-minutes 10
  --chromium /usr/bin/chromium
  --verbose              one line per post, and the server's output`,
  {
    readers: { default: '1000' },
    posts: { default: '30' },
    warmup: { default: '3' },
    'gap-ms': { default: '300' },
    'post-timeout-ms': { default: '10000' },
    'max-minutes': { default: '10' },
    chromium: { default: '/usr/bin/chromium' },
    verbose: { flag: true },
  },
);
const log = (line: string) => console.error(line);
const now = () => performance.timeOrigin + performance.now();
const SLUG = 'bench-desk';
const PASSWORD = 'a long benchmark passphrase';

/** The first editor, made the way a newsroom makes one: the CLI prints a one-time link. */
async function createEditor(dataDir: string, publicUrl: string): Promise<string> {
  const result = await run(
    process.execPath,
    [
      'bin/liveline.js',
      'user',
      'create',
      '--email',
      'desk.editor@newsroom.test',
      '--name',
      'Desk Editor',
      '--role',
      'editor',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: publicUrl, LOG_LEVEL: 'warn' },
      timeoutMs: 60_000,
    },
  );
  const link = result.stdout.trim().split('\n').at(-1)?.trim() ?? '';
  if (result.code !== 0 || !link.startsWith(publicUrl)) {
    throw new Error(`user create failed (${result.code}):\n${result.stderr}${result.stdout}`);
  }
  return link;
}

/** A reader tab that notes, on its own clock (epoch ms), when each marked post appears. */
async function openReader(browser: Browser, url: string): Promise<Page> {
  const tab = await (await browser.newContext()).newPage();
  // The live stream is open once its response head has arrived.
  const stream = tab.waitForResponse((r) => r.url().includes(`/live/${SLUG}/events`));
  await tab.goto(`${url}/live/${SLUG}`);
  await stream;
  await tab.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { seen: Record<string, number> }).seen = seen;
    const posts = document.getElementById('posts');
    if (!posts) throw new Error('no #posts on the reader page');
    new MutationObserver(() => {
      const at = performance.timeOrigin + performance.now();
      for (const match of (posts.textContent ?? '').matchAll(/\[m:(\d+)\]/g)) {
        const key = match[1] ?? '';
        if (!(key in seen)) seen[key] = at;
      }
    }).observe(posts, { childList: true, subtree: true, characterData: true });
  });
  return tab;
}

async function main(): Promise<void> {
  watchdog(int('max-minutes', args['max-minutes']));
  console.log(machineReport());
  console.log(
    `command: node --import tsx bench/desk-publish.ts ${process.argv.slice(2).join(' ')}\n`,
  );
  const readers = int('readers', args.readers);
  const dataDir = tempDir('desk');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const token = await createToken(dataDir);
  const link = await createEditor(dataDir, url);
  const server = await startLiveline({
    dataDir,
    port,
    env: { PUBLIC_URL: url },
    echo: args.verbose,
  });
  const api = new ApiClient(server.host, server.port, token);
  let browser: Browser | undefined;
  let pool: ClientPool | undefined;
  try {
    await api.createPage(SLUG, 'Desk benchmark');
    browser = await chromium.launch({
      executablePath: args.chromium,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const desk = await (await browser.newContext()).newPage();
    await desk.goto(link);
    await desk.fill('#new-password', PASSWORD);
    await desk.press('#new-password', 'Enter');
    await desk.waitForSelector('h1:text("Live pages")');
    await desk.goto(`${url}/desk/pages/${SLUG}`);
    await desk.waitForSelector('.connection--on');
    const reader = await openReader(browser, url);

    pool = await ClientPool.start(1);
    const opened = await pool.connect(
      readers,
      [{ host: server.host, port: server.port, path: `/live/${SLUG}/events` }],
      { subnet: 7, concurrency: 200, timeoutMs: 30_000 + readers * 2 },
    );
    log(`${opened.ok} readers open in ${opened.seconds.toFixed(1)} s, ${opened.failed} failed`);
    if (opened.ok === 0) throw new Error('no reader could connect');

    const warmup = int('warmup', args.warmup);
    const posts = int('posts', args.posts);
    const everyReader: Float64Array[] = [];
    const screen: number[] = [];
    const answered: number[] = [];
    let lost = 0;
    for (let n = 1; n <= warmup + posts; n++) {
      await desk.fill('#new-headline', `Desk benchmark update ${marker(n)}`);
      await desk.locator('#new-body').fill('Written in the desk, published with Ctrl+Enter.');
      const collecting = pool.collect(n, int('post-timeout-ms', args['post-timeout-ms']));
      const response = desk.waitForResponse(
        (r) => r.url().endsWith(`/api/pages/${SLUG}/posts`) && r.request().method() === 'POST',
      );
      const t0 = now();
      await desk.keyboard.press('Control+Enter');
      const status = (await response).status();
      const answer = now() - t0;
      if (status !== 201) throw new Error(`the desk's publish answered ${status}`);
      const collected = await collecting;
      const key = String(n).padStart(6, '0');
      const shown = (await (
        await reader.waitForFunction(
          (k) => (window as unknown as { seen: Record<string, number> }).seen[k],
          key,
          { timeout: 10_000 },
        )
      ).jsonValue()) as number;
      const latencies = concat(collected.times).map((t) => t - t0);
      if (args.verbose) {
        log(
          `post ${n}: 201 after ${answer.toFixed(1)} ms, reader's screen ${(shown - t0).toFixed(1)} ms, ${collected.missing} missing`,
        );
      }
      if (n > warmup) {
        everyReader.push(latencies);
        screen.push(shown - t0);
        answered.push(answer);
        lost += collected.missing;
      }
      await sleep(int('gap-ms', args['gap-ms']));
    }

    const all = summarize(concat(everyReader));
    const onScreen = summarize(Float64Array.from(screen));
    const answers = summarize(Float64Array.from(answered));
    console.log(
      table(
        ['from Ctrl+Enter in the desk to', 'samples', 'p50 ms', 'p99 ms', 'max ms'],
        [
          [
            'the desk gets its 201',
            String(answers.count),
            fmt(answers.p50),
            fmt(answers.p99),
            fmt(answers.max),
          ],
          [
            "a reader's screen (Chromium tab)",
            String(onScreen.count),
            fmt(onScreen.p50),
            fmt(onScreen.p99),
            fmt(onScreen.max),
          ],
          [
            `each of ${opened.ok} SSE readers`,
            String(all.count),
            fmt(all.p50),
            fmt(all.p99),
            fmt(all.max),
          ],
        ],
      ),
    );
    console.log(`\nlost deliveries: ${lost}`);
  } finally {
    await pool?.close();
    await browser?.close();
    api.close();
    await server.stop();
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
