import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { AxeResults, Result } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Block } from '../../src/domain/blocks.ts';
import { aParagraph } from '../support/factories.ts';
import {
  browserSkip,
  newContext,
  openReader,
  selectorOf,
  startStack,
  type Newsroom,
} from './support.ts';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** Stands in for a newsroom's image CDN: every picture is a small SVG. */
const IMAGE_HOST = 'https://images.liveline.test';

function picture(width: number, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#6b7c8f"/></svg>`;
}

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

async function audit(tab: Page): Promise<Result[]> {
  const results = await tab.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  assert.ok(results.passes.length > 20, `axe ran its rules (${results.passes.length} passed)`);
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A realistic live page: every kind of block, label and furniture a reader meets. */
async function publishRealisticPage(newsroom: Newsroom, slug: string) {
  await newsroom.createPage({
    slug,
    title: 'Harbour bridge reopens after storm damage',
    description: 'Live coverage of the reopening of the harbour bridge.',
    summary: [
      { text: 'The bridge reopened to traffic at 06:00 after three weeks of repairs' },
      { text: 'Ferries are running a reduced timetable until Friday' },
      { text: 'The mayor says the repair bill is about £2.4m' },
    ],
    leadMedia: {
      kind: 'image',
      src: `${IMAGE_HOST}/lead.svg`,
      alt: 'Cars crossing the harbour bridge at dawn',
      caption: 'The first cars crossed shortly after 06:00',
      credit: 'Reuters',
    },
  });
  // Enough posts for a second page, so the pagination links are audited too.
  await newsroom.publishMany(slug, 17);
  const at = (minute: number) => new Date(Date.UTC(2025, 2, 20, 10, minute)).toISOString();
  const body = (...blocks: Block[]) => blocks;
  await newsroom.publish(slug, {
    headline: 'What we know so far',
    pinned: true,
    labels: ['key'],
    publishedAt: at(1),
    contributors: [{ name: 'Rorey Bosotti', role: 'Live page editor' }],
    body: body(aParagraph('Here is where things stand this morning:'), {
      type: 'list',
      items: [
        [{ type: 'text', text: 'Both lanes are open in each direction' }],
        [
          { type: 'text', text: 'Tolls are ' },
          { type: 'text', text: 'suspended', bold: true },
          { type: 'text', text: ' for a week' },
        ],
      ],
    }),
  });
  await newsroom.publish(slug, {
    headline: 'Port authority confirms the bridge is safe',
    labels: ['breaking'],
    publishedAt: at(2),
    contributors: [
      { name: 'Frank Gardner', role: 'Security correspondent' },
      { name: 'James Landale', role: 'Diplomatic correspondent, at the harbour' },
    ],
    body: body(
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'The inspection report, ' },
          { type: 'text', text: 'published this morning', italic: true },
          { type: 'text', text: ', is on ' },
          {
            type: 'link',
            text: 'the port authority website',
            href: 'https://port-authority.example.org/report',
            external: true,
          },
          { type: 'text', text: '. Read ' },
          {
            type: 'link',
            text: 'our earlier coverage',
            href: 'https://liveline.example/live/harbour-a11y',
            external: false,
          },
          { type: 'text', text: '.' },
        ],
      },
      {
        type: 'quote',
        content: [{ type: 'text', text: 'We would not open it if we had any doubt.' }],
        attribution: 'Chief engineer',
      },
    ),
  });
  await newsroom.publish(slug, {
    headline: 'In pictures: the first crossing',
    publishedAt: at(3),
    body: body(
      {
        type: 'image',
        src: `${IMAGE_HOST}/crossing.svg`,
        alt: 'A lorry crosses the bridge under a grey sky',
        caption: 'A lorry was among the first vehicles across',
        credit: 'EPA',
        width: 1200,
        height: 800,
      },
      aParagraph('Crowds gathered on both banks to watch.'),
    ),
  });
  const analysis = await newsroom.publish(slug, {
    headline: 'Why the repairs took three weeks',
    labels: ['analysis'],
    publishedAt: at(4),
    contributors: [{ name: 'Ada Reporter', role: 'Transport correspondent' }],
    body: body(
      aParagraph('The storm damaged two of the bearings that let the deck move in the heat.'),
      { type: 'video', provider: 'youtube', providerId: 'dQw4w9WgXcQ', caption: 'The damage' },
      {
        type: 'embed',
        provider: 'x',
        url: 'https://x.com/harbourcouncil/status/1',
        text: 'The bridge is open. Thank you for your patience.',
        author: 'Harbour Council',
      },
    ),
  });
  // An edited post carries "Updated".
  await newsroom.editPost(slug, analysis, {
    headline: 'Why the repairs took three weeks to finish',
  });
}

describe("the reader's live page for everyone", { skip: browserSkip() }, () => {
  const slug = 'harbour-a11y';
  let newsroom: Newsroom;
  let browser: Browser;
  let ctx: BrowserContext;

  before(async () => {
    ({ newsroom, browser } = await startStack());
    await publishRealisticPage(newsroom, slug);
    // axe is injected as a script of the test's own, which the page's CSP (script-src 'self')
    // would refuse: this context is for the audit only (security.test.ts checks the CSP).
    ctx = await newContext(browser, { bypassCSP: true });
    await ctx.route(`${IMAGE_HOST}/**`, (route) =>
      route.fulfill({ contentType: 'image/svg+xml', body: picture(1200, 800) }),
    );
  });

  after(async () => {
    await ctx?.close();
    await browser?.close();
    await newsroom?.close();
  });

  it('has no serious or critical axe violation at 1440 px and 360 px, after live updates', async () => {
    const tab = await openReader(ctx, `${newsroom.url}/live/${slug}`);
    for (const part of ['.summary', '.lead-media-slot img', '.post--pinned', '.link-external']) {
      assert.equal(await tab.locator(part).first().isVisible(), true, `${part} is on the page`);
    }
    assert.equal(await tab.locator('.pagination__link--older').count(), 1);
    // A post that arrives live, and one waiting behind the "new posts" button.
    const live = await newsroom.publish(slug, {
      headline: 'Traffic building on the southern approach',
      labels: ['breaking', 'analysis'],
    });
    await tab.waitForSelector(selectorOf(live));
    await tab.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
    await newsroom.publish(slug, { headline: 'Ferry timetable restored' });
    await tab.locator('#new-posts').waitFor({ state: 'visible' });
    await tab.addScriptTag({ path: AXE_PATH });

    for (const width of [1440, 360]) {
      await tab.setViewportSize({ width, height: 900 });
      const violations = await audit(tab);
      assert.equal(violations.length, 0, `at ${width} px:\n${describeViolations(violations)}`);
      const overflow = await tab.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      assert.ok(overflow <= 0, `no sideways scrolling at ${width} px (${overflow} px too wide)`);
    }
  });
});
