import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { aPhoto, assertNoMetadata, hasGps } from '../support/media.ts';
import { browserSkip, newContext, watchProblems, type Newsroom } from './support.ts';
import { deskStack, openDesk, signIn, type Person } from './desk-support.ts';

/** A phone's and a laptop's window width, and the variant width each should be given. */
const WINDOWS = [
  [390, 640],
  [1440, 960],
] as const;

/** Pictures from the composer to the reader's screen, in Chromium (ADR 0020). */
describe(
  'pictures at the desk and on the reader page',
  { skip: browserSkip(), timeout: 150_000 },
  () => {
    let newsroom: Newsroom;
    let browser: Browser;
    let editor: Person;

    deskStack((stack) => ({ newsroom, browser, editor } = stack));

    async function publishFromComposer(tab: Page, slug: string) {
      const published = tab.waitForResponse(
        (r) => r.url().endsWith(`/api/pages/${slug}/posts`) && r.request().method() === 'POST',
      );
      await tab.click('.composer button[type=submit]');
      const answer = await published;
      assert.equal(answer.status(), 201, await answer.text());
      return (await answer.json()) as { id: string; body: Record<string, unknown>[] };
    }

    /**
     * Opens the page in a window `width` wide with every picture held back 300 ms (so the
     * page is laid out before any arrives), scrolls through it and sums its layout shifts.
     */
    async function readAt(context: BrowserContext, url: string, pictures = 'article picture img') {
      const served: string[] = [];
      await context.route('**/media/**', async (route) => {
        await new Promise((go) => setTimeout(go, 300));
        served.push(route.request().url());
        await route.continue();
      });
      const tab = await context.newPage();
      await tab.addInitScript(() => {
        const w = window as unknown as { shift: number };
        w.shift = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number }[])
            w.shift += entry.value;
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await tab.goto(url);
      const img = tab.locator(pictures).first();
      await img.scrollIntoViewIfNeeded();
      await tab.waitForFunction(
        (pictures) =>
          [...document.querySelectorAll(pictures)].every(
            (i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0,
          ),
        pictures,
        { timeout: 10_000 },
      );
      const shown = await img.evaluate((i: HTMLImageElement) => ({
        currentSrc: i.currentSrc,
        naturalWidth: i.naturalWidth,
        box: i.getBoundingClientRect().width,
        height: i.getBoundingClientRect().height,
        loading: i.loading,
      }));
      const shift = await tab.evaluate(() => (window as unknown as { shift: number }).shift);
      return { tab, shown, shift, served };
    }

    it('uploads a photo chosen in the composer; readers at 390 and 1440 px get the right size, no layout shift and no GPS', async () => {
      const slug = 'harbour-pictures';
      await newsroom.createPage({ slug });
      const photo = await aPhoto({ width: 2400, height: 1600 });
      assert.ok(await hasGps(photo));
      const context = await newContext(browser);
      const problems = await watchProblems(context);
      const tab = await signIn(context, newsroom.url, editor);
      await openDesk(tab, newsroom.url, slug);
      await tab.fill('#new-headline', 'The harbour wall after the storm');
      await tab.click('#new-body');
      await tab.keyboard.type('Engineers say the wall held.');
      await tab.keyboard.press('Enter');
      await tab.click('button[data-tool=image]');
      await tab.setInputFiles('#new-media-file', {
        name: 'IMG_2041.JPG',
        mimeType: 'image/jpeg',
        buffer: photo,
      });
      await tab.fill('#new-media-alt-0', 'Waves breaking over the harbour wall');
      await tab.fill('#new-media-caption-0', 'The wall at high tide');
      await tab.fill('#new-media-credit-0', 'Liveline');
      // Processing takes a few seconds on a busy machine: the desk waits for it.
      const uploaded = tab.waitForResponse((r) => r.url().endsWith('/desk/api/media'), {
        timeout: 30_000,
      });
      await tab.click('.media-panel button:text("Insert")');
      assert.equal((await uploaded).status(), 201);
      await tab.locator('#new-body figure[data-block=image] img').waitFor({ timeout: 30_000 });
      const post = await publishFromComposer(tab, slug);
      const image = post.body[1] as Record<string, unknown>;
      assert.equal(image.type, 'image');
      assert.match(String(image.media), /^[0-9a-f]{64}$/);
      assert.deepEqual(
        [image.width, image.height, image.alt, image.caption, image.credit],
        [2400, 1600, 'Waves breaking over the harbour wall', 'The wall at high tide', 'Liveline'],
      );
      assert.deepEqual(problems, { csp: [], cspEvents: [], errors: [] });
      await context.close();

      for (const [width, expected] of WINDOWS) {
        const reader = await newContext(browser, { viewport: { width, height: 800 } });
        const readerProblems = await watchProblems(reader);
        const { shown, shift, served } = await readAt(reader, `${newsroom.url}/live/${slug}`);
        assert.match(
          shown.currentSrc,
          new RegExp(`/media/${String(image.media)}/${expected}\\.avif$`),
          `at ${width} px`,
        );
        // naturalWidth is density-corrected for srcset: the file itself says its width.
        const file = Buffer.from(await (await fetch(shown.currentSrc)).arrayBuffer());
        assert.equal((await sharp(file).metadata()).width, expected);
        assert.ok(Math.abs(shown.naturalWidth - shown.box) < 1, 'drawn at the width chosen for');
        assert.ok(
          Math.abs(shown.height - (shown.box * 1600) / 2400) < 1.5,
          `kept its proportions at ${width} px`,
        );
        assert.equal(shift, 0, `layout shift at ${width} px`);
        assert.equal(shown.loading, 'lazy');
        assert.deepEqual(readerProblems, { csp: [], cspEvents: [], errors: [] });
        assert.ok(served.length > 0);
        for (const url of served) {
          const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
          await assertNoMetadata(bytes, url);
        }
        await reader.close();
      }
    });

    it('takes pictures pasted and dropped on the body, and a gallery of several', async () => {
      const slug = 'harbour-gallery';
      await newsroom.createPage({ slug });
      const pasted = await sharp(await aPhoto({ width: 900, height: 600, colour: '#264653' }))
        .png()
        .toBuffer();
      const dropped = await aPhoto({ width: 800, height: 800, colour: '#e9c46a' });
      const context = await newContext(browser);
      const problems = await watchProblems(context);
      const tab = await signIn(context, newsroom.url, editor);
      await openDesk(tab, newsroom.url, slug);
      await tab.fill('#new-headline', 'In pictures: the clean-up');
      await tab.click('#new-body');
      await tab.keyboard.type('Volunteers came at first light.');

      const give = (kind: 'paste' | 'drop', bytes: Buffer, type: string) =>
        tab.evaluate(
          ({ kind, data, type }) => {
            const transfer = new DataTransfer();
            transfer.items.add(
              new File([new Uint8Array(data)], `clip.${type.split('/')[1]}`, { type }),
            );
            const target = document.querySelector('#new-body') as HTMLElement;
            const event =
              kind === 'paste'
                ? new ClipboardEvent('paste', {
                    clipboardData: transfer,
                    bubbles: true,
                    cancelable: true,
                  })
                : new DragEvent('drop', {
                    dataTransfer: transfer,
                    bubbles: true,
                    cancelable: true,
                  });
            target.dispatchEvent(event);
          },
          { kind, data: [...bytes], type },
        );
      await give('paste', pasted, 'image/png');
      await tab.locator('.media-panel .picture-draft__preview').waitFor();
      await tab.fill('#new-media-alt-0', 'Volunteers with shovels on the quay');
      await tab.click('.media-panel button:text("Insert")');
      await tab.locator('#new-body figure[data-block=image] img').waitFor({ timeout: 30_000 });
      await tab.click('#new-body p');
      await tab.keyboard.press('End');
      await give('drop', dropped, 'image/jpeg');
      await tab.locator('.media-panel .picture-draft__preview').waitFor();
      await tab.fill('#new-media-alt-0', 'A skip full of sand');
      await tab.click('.media-panel button:text("Insert")');
      await tab
        .locator('#new-body figure[data-block=image] img >> nth=1')
        .waitFor({ timeout: 30_000 });

      await tab.click('button[data-tool=gallery]');
      await tab.setInputFiles('#new-media-file', [
        {
          name: 'one.jpg',
          mimeType: 'image/jpeg',
          buffer: await aPhoto({ width: 1200, height: 800, colour: '#2a9d8f' }),
        },
        {
          name: 'two.jpg',
          mimeType: 'image/jpeg',
          buffer: await aPhoto({ width: 800, height: 1200, colour: '#f4a261' }),
        },
      ]);
      await tab.click('.media-panel button:text("Insert")');
      await tab.locator('.media-panel [role=alert]', { hasText: 'picture 1' }).waitFor();
      await tab.fill('#new-media-alt-0', 'Sandbags stacked by the lifeboat station');
      await tab.fill('#new-media-alt-1', 'A child carrying a bucket');
      await tab.click('.media-panel button:text("Insert")');
      await tab.locator('#new-body figure[data-block=gallery]').waitFor({ timeout: 30_000 });
      const post = await publishFromComposer(tab, slug);
      assert.deepEqual(
        post.body.map((b) => b.type),
        // The dropped picture went where the cursor was (after the paragraph), the gallery
        // after the picture the form had just put in.
        ['paragraph', 'image', 'gallery', 'image'],
      );
      const gallery = post.body[2] as { images: { alt: string; width: number; height: number }[] };
      assert.deepEqual(
        gallery.images.map((i) => [i.alt, i.width, i.height]),
        [
          ['Sandbags stacked by the lifeboat station', 1200, 800],
          ['A child carrying a bucket', 800, 1200],
        ],
      );
      assert.deepEqual(problems, { csp: [], cspEvents: [], errors: [] });
      await context.close();

      const reader = await newContext(browser, { viewport: { width: 1440, height: 900 } });
      const { tab: page, shift } = await readAt(reader, `${newsroom.url}/live/${slug}`);
      const pictures = page.locator('section.gallery picture img');
      assert.equal(await pictures.count(), 2);
      await pictures.nth(1).scrollIntoViewIfNeeded();
      const side = await pictures.evaluateAll((imgs) =>
        imgs.map((i) => Math.round(i.getBoundingClientRect().left)),
      );
      assert.notEqual(side[0], side[1], 'two to a row on a wide screen');
      assert.equal(shift, 0);
      await reader.close();
    });

    it('makes a picture chosen, dropped or pasted in Page settings the lead picture; readers get <picture> without layout shift', async () => {
      const slug = 'harbour-lead';
      await newsroom.createPage({ slug });
      const context = await newContext(browser);
      const problems = await watchProblems(context);
      const tab = await signIn(context, newsroom.url, editor);
      await openDesk(tab, newsroom.url, slug);
      await tab.click('button.tab:text("Page settings")');
      await tab.selectOption('#media-kind', 'image');
      // Picked, then replaced by a dropped one, then by a pasted one: the last is uploaded.
      await tab.setInputFiles('#lead-picture-file', {
        name: 'picked.jpg',
        mimeType: 'image/jpeg',
        buffer: await aPhoto({ width: 1000, height: 1000, colour: '#1d3557' }),
      });
      const preview = tab.locator('.lead-picture .picture-draft__preview');
      await preview.waitFor();
      const give = (kind: 'paste' | 'drop', bytes: Buffer, selector: string) =>
        tab.evaluate(
          ({ kind, data, selector }) => {
            const transfer = new DataTransfer();
            transfer.items.add(
              new File([new Uint8Array(data)], 'clip.jpg', { type: 'image/jpeg' }),
            );
            const init = { bubbles: true, cancelable: true };
            const event =
              kind === 'paste'
                ? new ClipboardEvent('paste', { clipboardData: transfer, ...init })
                : new DragEvent('drop', { dataTransfer: transfer, ...init });
            (document.querySelector(selector) as HTMLElement).dispatchEvent(event);
          },
          { kind, data: [...bytes], selector },
        );
      const shown = () => preview.getAttribute('src');
      const picked = await shown();
      await give(
        'drop',
        await aPhoto({ width: 900, height: 700, colour: '#a8dadc' }),
        '.lead-picture .dropzone',
      );
      await tab.waitForFunction(
        (before) =>
          document.querySelector('.lead-picture .picture-draft__preview')?.getAttribute('src') !==
          before,
        picked,
      );
      const dropped = await shown();
      const pasted = await aPhoto({ width: 1600, height: 900, colour: '#e63946' });
      await give('paste', pasted, '#media-caption');
      await tab.waitForFunction(
        (before) =>
          document.querySelector('.lead-picture .picture-draft__preview')?.getAttribute('src') !==
          before,
        dropped,
      );
      assert.equal(await tab.locator('#media-src').count(), 0, 'no address with a file chosen');

      // Alt text is required: nothing is uploaded without it.
      let uploads = 0;
      tab.on('request', (r) => {
        if (r.url().endsWith('/desk/api/media')) uploads += 1;
      });
      await tab.click('button:text("Save settings")');
      await tab.locator('.settings [role=alert]', { hasText: 'alt text' }).waitFor();
      assert.equal(uploads, 0);

      await tab.fill('#media-alt', 'Lifeboat crews on the slipway');
      await tab.fill('#media-caption', 'The crews at dawn');
      await tab.fill('#media-credit', 'Liveline');
      const uploaded = tab.waitForResponse((r) => r.url().endsWith('/desk/api/media'), {
        timeout: 30_000,
      });
      const saved = tab.waitForResponse(
        (r) => r.url().endsWith(`/api/pages/${slug}`) && r.request().method() === 'PATCH',
        { timeout: 40_000 },
      );
      await tab.click('button:text("Save settings")');
      assert.equal((await uploaded).status(), 201);
      const answer = await saved;
      assert.equal(answer.status(), 200, await answer.text());
      await tab.locator('.settings [role=status]', { hasText: 'Settings saved.' }).waitFor();
      const stored = await newsroom.server.call('editor', 'GET', `/api/pages/${slug}`);
      const lead = stored.json<{ leadMedia: Record<string, unknown> }>().leadMedia;
      assert.match(String(lead.media), /^[0-9a-f]{64}$/);
      assert.deepEqual(
        { ...lead, media: 'id' },
        {
          kind: 'image',
          media: 'id',
          width: 1600,
          height: 900,
          alt: 'Lifeboat crews on the slipway',
          caption: 'The crews at dawn',
          credit: 'Liveline',
        },
        'the pasted picture, with its words',
      );
      // The form now shows the uploaded picture; saving again keeps it.
      await tab.locator(`.lead-picture img[src="/media/${String(lead.media)}/320.jpg"]`).waitFor();
      await tab.fill('#page-title', 'Harbour: the lifeboats');
      const again = tab.waitForResponse(
        (r) => r.url().endsWith(`/api/pages/${slug}`) && r.request().method() === 'PATCH',
      );
      await tab.click('button:text("Save settings")');
      assert.equal((await again).status(), 200);
      const kept = await newsroom.server.call('editor', 'GET', `/api/pages/${slug}`);
      assert.deepEqual(kept.json<{ leadMedia: unknown }>().leadMedia, lead);
      assert.deepEqual(problems, { csp: [], cspEvents: [], errors: [] });
      await context.close();

      for (const [width, expected] of WINDOWS) {
        const reader = await newContext(browser, { viewport: { width, height: 900 } });
        const readerProblems = await watchProblems(reader);
        const leadImg = '.media--lead picture img';
        const url = `${newsroom.url}/live/${slug}`;
        const { tab: page, shown, shift } = await readAt(reader, url, leadImg);
        assert.match(
          shown.currentSrc,
          new RegExp(`/media/${String(lead.media)}/${expected}\\.avif$`),
          `at ${width} px`,
        );
        assert.equal(
          await page.locator(leadImg).getAttribute('alt'),
          'Lifeboat crews on the slipway',
        );
        assert.equal(shown.loading, 'eager', 'the lead picture is not lazy');
        assert.ok(Math.abs(shown.height - (shown.box * 900) / 1600) < 1.5, 'its own proportions');
        assert.equal(shift, 0, `layout shift at ${width} px`);
        await page.locator('.media--lead', { hasText: 'Image source, Liveline' }).waitFor();
        assert.deepEqual(readerProblems, { csp: [], cspEvents: [], errors: [] });
        await reader.close();
      }
    });

    it('shows an imported image without a file as "Needs picture" and attaches one; the text export is unchanged', async () => {
      const slug = 'imported-pictures';
      await newsroom.createPage({ slug });
      const post = await newsroom.publish(slug, {
        headline: 'The bridge reopens',
        body: [
          { type: 'paragraph', content: [{ type: 'text', text: 'Traffic is moving again.' }] },
          {
            type: 'image',
            alt: 'Cars crossing the bridge',
            credit: 'Getty Images',
            caption: 'The first cars',
          },
        ],
      });
      const text = async () => (await newsroom.server.call(null, 'GET', `/live/${slug}.txt`)).body;
      const exported = await text();
      const context = await newContext(browser);
      const tab = await signIn(context, newsroom.url, editor);
      await openDesk(tab, newsroom.url, slug);
      const card = tab.locator(`#desk-post-${post.id}`);
      await card.locator('[data-action=edit]').click();
      const figure = tab.locator(`#edit-${post.id}-body figure[data-block=image]`);
      await figure.locator('.needs-picture', { hasText: 'Needs picture' }).waitFor();
      await figure.click();
      await tab.click('button:text("Attach a picture")');
      assert.equal(
        await tab.inputValue(`#edit-${post.id}-media-alt-0`),
        'Cars crossing the bridge',
      );
      await tab.setInputFiles(`#edit-${post.id}-media-file`, {
        name: 'bridge.jpg',
        mimeType: 'image/jpeg',
        buffer: await aPhoto({ width: 1000, height: 600, colour: '#457b9d' }),
      });
      await tab.click('.media-panel button:text("Save picture")');
      await figure.locator('img').waitFor({ timeout: 30_000 });
      const saved = tab.waitForResponse(
        (r) => r.url().includes(`/posts/${post.id}`) && r.request().method() === 'PATCH',
      );
      await tab.press(`#edit-${post.id}-headline`, 'Control+Enter');
      assert.equal((await saved).status(), 200);
      const now = await newsroom.server.call(
        'editor',
        'GET',
        `/api/pages/${slug}/posts/${post.id}`,
      );
      const image = now.json<{ body: Record<string, unknown>[] }>().body[1];
      assert.equal(image?.alt, 'Cars crossing the bridge');
      assert.equal(image?.credit, 'Getty Images');
      assert.match(String(image?.media), /^[0-9a-f]{64}$/);
      assert.deepEqual([image?.width, image?.height], [1000, 600]);
      assert.equal(await text(), exported, 'the text export does not change');
      await context.close();
    });
  },
);
