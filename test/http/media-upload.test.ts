import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { MEDIA_FORMATS, variantKey, variantWidths } from '../../src/domain/media.ts';
import { temporaryMediaLibrary, type MediaLibrary } from '../../src/media/library.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aPhoto, anExecutable, assertNoMetadata, hasGps, multipart } from '../support/media.ts';
import { createPerson, signIn, type DeskSession } from '../support/people.ts';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const adapter of await adapters()) {
  describe(
    `pictures uploaded at the desk, over HTTP: ${adapter.name}`,
    { skip: adapter.skip, timeout: 180_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      let editor: DeskSession;
      let photo: Buffer;
      let media: MediaLibrary;
      /** Uploads pass through the library's work folder: nothing may be left there. */
      const assertNothingLeft = () => assert.deepEqual(readdirSync(media.workDir), []);

      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        media = await temporaryMediaLibrary();
        t = await startTestApp(opened.store, { media });
        const person = await createPerson(t, { role: 'editor', name: 'Dana Whitfield' });
        editor = await signIn(t, person.email, person.password);
        // Stored sideways with orientation 6: readers must see it 1200 wide, 1600 high.
        photo = await aPhoto({ width: 1600, height: 1200, orientation: 6 });
        assert.ok(await hasGps(photo), 'the test photo carries a GPS position');
      });
      after(async () => {
        await t.app.close();
        await media.close();
        await drop();
      });

      const upload = async (
        fields: Record<string, string>,
        file?: { bytes: Buffer; name: string; type: string },
        headers: Record<string, string> = editor.headers,
      ) => {
        const body = await multipart(fields, file);
        return t.app.inject({
          method: 'POST',
          url: '/desk/api/media',
          headers: { ...headers, ...body.headers },
          payload: body.payload,
        });
      };
      const variantsOf = (id: string, width: number) =>
        variantWidths(width).flatMap((w) =>
          MEDIA_FORMATS.map((format) => `/media/${variantKey(id, w, format)}`),
        );

      it('takes a photo with its alt text, upright and sized, and audits it', async () => {
        const res = await upload(
          { alt: 'Firefighters at the harbour wall', credit: 'Liveline', caption: 'At dawn' },
          { bytes: photo, name: 'IMG_0001.JPG', type: 'image/jpeg' },
        );
        assert.equal(res.statusCode, 201, res.body);
        const { media: item } = res.json<{ media: Record<string, unknown> }>();
        assert.equal(item.id, sha(photo));
        assert.equal(item.type, 'image/jpeg');
        assert.deepEqual([item.width, item.height], [1200, 1600], 'turned upright');
        assert.equal(item.alt, 'Firefighters at the harbour wall');
        assert.equal(item.credit, 'Liveline');
        assert.equal(item.caption, 'At dawn');
        const stored = await t.services.store.getMedia(sha(photo));
        assert.equal(stored?.uploadedBy, editor.user.id);
        const entries = await t.services.store.listAudit({ limit: 5 });
        assert.equal(entries[0]?.action, 'media.upload');
        assert.match(entries[0]?.summary ?? '', /Firefighters at the harbour wall/);
        assertNothingLeft();
      });

      it('serves every variant immutable, at its width, with no EXIF or GPS left', async () => {
        const id = sha(photo);
        const urls = variantsOf(id, 1200);
        assert.equal(urls.length, 4 * 3, '320, 640, 960 and 1200 in AVIF, WebP and JPEG');
        for (const url of urls) {
          const res = await t.app.inject({ method: 'GET', url });
          assert.equal(res.statusCode, 200, url);
          assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
          const bytes = res.rawPayload;
          const meta = await sharp(bytes).metadata();
          const width = Number(/\/(\d+)\.\w+$/.exec(url)?.[1]);
          assert.equal(meta.width, width, url);
          assert.equal(meta.height, Math.round((1600 * width) / 1200), `${url} is upright`);
          const format = url.endsWith('.jpg') ? 'jpeg' : url.endsWith('.webp') ? 'webp' : 'heif';
          assert.equal(meta.format, format, url);
          assert.equal(
            res.headers['content-type'],
            `image/${url.endsWith('.jpg') ? 'jpeg' : url.split('.').at(-1)}`,
          );
          await assertNoMetadata(bytes, url);
        }
        const missing = await t.app.inject({ method: 'GET', url: `/media/${id}/1920.jpg` });
        assert.equal(missing.statusCode, 404);
        assert.equal(missing.json().code, 'MEDIA_NOT_FOUND');
      });

      it('keeps the original for editors only', async () => {
        const url = `/desk/api/media/${sha(photo)}/original`;
        const mine = await t.app.inject({ method: 'GET', url, headers: { cookie: editor.cookie } });
        assert.equal(mine.statusCode, 200);
        assert.deepEqual(mine.rawPayload, photo);
        assert.match(String(mine.headers['cache-control']), /private/);
        const contributor = await t.call('contributor', 'GET', url);
        assert.equal(contributor.statusCode, 403);
        assert.equal(
          contributor.json().detail,
          'The contributor role may not download the original file of a picture.',
        );
        const anonymous = await t.call(null, 'GET', url);
        assert.equal(anonymous.statusCode, 401);
        // A picture whose stored file is gone (a bucket emptied by hand) is not found either.
        const get = media.storage.get.bind(media.storage);
        media.storage.get = () => Promise.resolve(null);
        try {
          const lost = await t.app.inject({
            method: 'GET',
            url,
            headers: { cookie: editor.cookie },
          });
          assert.equal(lost.statusCode, 404, lost.body);
          assert.equal(lost.json().code, 'MEDIA_NOT_FOUND');
        } finally {
          media.storage.get = get;
        }
      });

      it('knows the same file again by its content and stores it once', async () => {
        const processed: string[] = [];
        const process = media.processor.process.bind(media.processor);
        media.processor.process = (original, outDir) => {
          processed.push(original);
          return process(original, outDir);
        };
        try {
          const again = await upload(
            { alt: 'The harbour again' },
            { bytes: photo, name: 'copy.jpg', type: 'image/jpeg' },
          );
          assert.equal(again.statusCode, 201, again.body);
          const item = again.json<{ media: Record<string, unknown> }>().media;
          assert.deepEqual(
            [item.id, item.width, item.height, item.bytes, item.uploadedBy],
            [sha(photo), 1200, 1600, photo.length, editor.user.id],
          );
          assert.deepEqual(processed, [], 'not processed again');
          assertNothingLeft();
        } finally {
          media.processor.process = process;
        }
        const nowhere = `/desk/api/media/${'f'.repeat(64)}/original`;
        const missing = await t.app.inject({
          method: 'GET',
          url: nowhere,
          headers: { cookie: editor.cookie },
        });
        assert.equal(missing.statusCode, 404);
        assert.equal(missing.json().detail, `No picture has the id "${'f'.repeat(64)}".`);
      });

      it('refuses a renamed executable by its content and stores nothing', async () => {
        const program = anExecutable();
        const before = await t.services.store.listAudit({ limit: 100 });
        const res = await upload(
          { alt: 'Not a photo' },
          { bytes: program, name: 'holiday.jpg', type: 'image/jpeg' },
        );
        assert.equal(res.statusCode, 415, res.body);
        assert.equal(res.json().code, 'MEDIA_TYPE_REFUSED');
        assert.match(res.json().detail, /not a JPEG, PNG, WebP, GIF or AVIF/);
        assert.equal(await t.services.store.getMedia(sha(program)), null);
        const served = await t.app.inject({ method: 'GET', url: `/media/${sha(program)}/320.jpg` });
        assert.equal(served.statusCode, 404);
        assert.equal((await t.services.store.listAudit({ limit: 100 })).length, before.length);
      });

      it('refuses a picture without alt text, damaged pictures and stray fields', async () => {
        const other = await aPhoto({ width: 400, height: 300, colour: '#2a9d8f' });
        const noAlt = await upload(
          { credit: 'Reuters' },
          { bytes: other, name: 'a.jpg', type: 'image/jpeg' },
        );
        assert.equal(noAlt.statusCode, 422, noAlt.body);
        assert.match(noAlt.json().detail, /alt text/);
        const blankAlt = await upload(
          { alt: '   ' },
          { bytes: other, name: 'a.jpg', type: 'image/jpeg' },
        );
        assert.equal(blankAlt.statusCode, 422);
        const noFile = await upload({ alt: 'Nothing' });
        assert.equal(noFile.statusCode, 422);
        assert.match(noFile.json().detail, /choose a picture/);
        const damaged = await upload(
          { alt: 'Cut short' },
          { bytes: other.subarray(0, 200), name: 'a.jpg', type: 'image/jpeg' },
        );
        assert.equal(damaged.statusCode, 422, damaged.body);
        assert.equal(damaged.json().code, 'MEDIA_UNREADABLE');
        const stray = await upload(
          { alt: 'x', location: 'here' },
          { bytes: other, name: 'a.jpg', type: 'image/jpeg' },
        );
        assert.equal(stray.statusCode, 422);
        assert.equal(await t.services.store.getMedia(sha(other)), null, 'nothing stored');
        assertNothingLeft();
      });

      it('needs a signed-in user, the CSRF token and multipart', async () => {
        const file = { bytes: photo, name: 'a.jpg', type: 'image/jpeg' };
        const anonymous = await upload({ alt: 'x' }, file, {});
        assert.equal(anonymous.statusCode, 401);
        const noCsrf = await upload({ alt: 'x' }, file, {
          cookie: editor.cookie,
          origin: t.origin,
        });
        assert.equal(noCsrf.statusCode, 403);
        assert.equal(noCsrf.json().code, 'CSRF_REJECTED');
        const json = await t.app.inject({
          method: 'POST',
          url: '/desk/api/media',
          headers: { ...editor.headers, 'content-type': 'application/json' },
          payload: { alt: 'x' },
        });
        assert.equal(json.statusCode, 415);
        // A program writes with its bearer token, as to the rest of the API.
        const body = await multipart(
          { alt: 'From the wire' },
          { ...file, bytes: await aPhoto({ width: 500, height: 400 }) },
        );
        const bearer = await t.call(
          'contributor',
          'POST',
          '/desk/api/media',
          body.payload,
          body.headers,
        );
        assert.equal(bearer.statusCode, 201, bearer.body);
      });

      it('shows an uploaded picture and a gallery to readers as <picture> with every variant', async () => {
        const id = sha(photo);
        const second = await upload(
          { alt: 'Boats in the harbour' },
          {
            bytes: await aPhoto({ width: 800, height: 600, colour: '#e76f51' }),
            name: 'b.png',
            type: 'image/png',
          },
        );
        const boats = second.json<{ media: { id: string; width: number; height: number } }>().media;
        const page = await t.call('editor', 'POST', '/api/pages', {
          slug: 'harbour',
          title: 'Harbour fire',
        });
        assert.equal(page.statusCode, 201, page.body);
        const image = {
          type: 'image',
          media: id,
          alt: 'Firefighters at the harbour wall',
          credit: 'Liveline',
          width: 1200,
          height: 1600,
        };
        const gallery = {
          type: 'gallery',
          images: [
            image,
            {
              type: 'image',
              media: boats.id,
              alt: 'Boats in the harbour',
              width: boats.width,
              height: boats.height,
            },
          ],
        };
        const post = await t.call('editor', 'POST', '/api/pages/harbour/posts', {
          headline: 'In pictures: the harbour',
          body: [image, gallery],
        });
        assert.equal(post.statusCode, 201, post.body);
        const html = (await t.app.inject({ method: 'GET', url: '/live/harbour' })).body;
        assert.match(
          html,
          new RegExp(
            `<source type="image/avif" srcset="/media/${id}/320\\.avif 320w, /media/${id}/640\\.avif 640w, /media/${id}/960\\.avif 960w, /media/${id}/1200\\.avif 1200w"`,
          ),
        );
        assert.match(
          html,
          new RegExp(
            `<img class="media__image" src="/media/${id}/640\\.jpg" srcset="[^"]+" sizes="[^"]+" alt="Firefighters at the harbour wall" width="640" height="853" loading="lazy"`,
          ),
        );
        assert.match(html, /<section class="gallery" aria-label="Gallery, 2 pictures">/);
        assert.match(html, new RegExp(`/media/${boats.id}/800\\.webp 800w`));
        const csp = String(
          (await t.app.inject({ method: 'GET', url: '/live/harbour' })).headers[
            'content-security-policy'
          ],
        );
        assert.match(csp, /img-src 'self' https: data:/);
      });

      it('makes an uploaded picture the lead picture from the desk, shown first and eager', async () => {
        const id = sha(photo);
        const slug = 'harbour-lead';
        const created = await t.call('editor', 'POST', '/api/pages', { slug, title: 'Lead' });
        assert.equal(created.statusCode, 201, created.body);
        const leadMedia = {
          kind: 'image',
          media: id,
          width: 1200,
          height: 1600,
          alt: 'Firefighters at the harbour wall',
          caption: 'At dawn',
          credit: 'Liveline',
        };
        // As the desk's Page settings sends it: with the session and its CSRF token.
        const saved = await t.app.inject({
          method: 'PATCH',
          url: `/api/pages/${slug}`,
          headers: { ...editor.headers, 'content-type': 'application/json' },
          payload: JSON.stringify({
            revision: created.json<{ revision: number }>().revision,
            leadMedia,
          }),
        });
        assert.equal(saved.statusCode, 200, saved.body);
        assert.deepEqual(saved.json<{ leadMedia: unknown }>().leadMedia, leadMedia);
        const html = (await t.app.inject({ method: 'GET', url: `/live/${slug}` })).body;
        const lead = /<figure class="media media--lead">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? '';
        assert.match(
          lead,
          new RegExp(
            `<source type="image/avif" srcset="/media/${id}/320\\.avif 320w, [^"]*/media/${id}/1200\\.avif 1200w"`,
          ),
        );
        assert.match(
          lead,
          new RegExp(
            `<img class="media__image" src="/media/${id}/640\\.jpg" srcset="[^"]+" sizes="[^"]+" alt="Firefighters at the harbour wall" width="640" height="853" loading="eager"`,
          ),
        );
        assert.match(lead, /Image source, Liveline/);
        // Every variant the page names is served.
        for (const url of new Set(lead.match(/\/media\/[0-9a-f]{64}\/\d+\.\w+/g))) {
          const res = await t.app.inject({ method: 'GET', url });
          assert.equal(res.statusCode, 200, url);
        }
      });
    },
  );
}

describe('the upload limit', { timeout: 60_000 }, () => {
  it('refuses a file over MEDIA_MAX_BYTES and stores nothing', async () => {
    const media = await temporaryMediaLibrary({ maxBytes: 20_000 });
    const t = await startTestApp(undefined, { media });
    try {
      const big = await aPhoto({ width: 1600, height: 1200 });
      assert.ok(big.length > 20_000);
      const body = await multipart(
        { alt: 'Too big' },
        { bytes: big, name: 'a.jpg', type: 'image/jpeg' },
      );
      const res = await t.call('editor', 'POST', '/desk/api/media', body.payload, body.headers);
      assert.equal(res.statusCode, 413, res.body);
      assert.equal(res.json().code, 'MEDIA_TOO_LARGE');
      assert.equal(await t.services.store.getMedia(sha(big)), null);
      assert.deepEqual(readdirSync(media.workDir), [], 'the part received is removed');
    } finally {
      await t.close();
      await media.close();
    }
  });
});
