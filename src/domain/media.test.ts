import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MEDIA_MIME,
  MEDIA_ID_PATTERN,
  formatOfFile,
  originalKey,
  variantHeight,
  variantKey,
  variantWidths,
} from './media.ts';

/**
 * The addresses and sizes of an uploaded picture's variants (ADR 0020): the renderer writes the
 * srcset from these without asking storage, and /media/<id>/<file> serves only names these make.
 */

const ID = 'a'.repeat(64);
const OPTIONS = { timeout: 10_000 };

describe('the widths a picture is served at', OPTIONS, () => {
  it('every standard width below its own, then its own', () => {
    assert.deepEqual(variantWidths(1000), [320, 640, 960, 1000]);
    assert.deepEqual(variantWidths(200), [200]);
  });

  it('a standard width is not repeated; a wide picture stops at the largest', () => {
    assert.deepEqual(variantWidths(640), [320, 640]);
    assert.deepEqual(variantWidths(1920), [320, 640, 960, 1280, 1920]);
    assert.deepEqual(variantWidths(4000), [320, 640, 960, 1280, 1920]);
  });

  it('heights keep the proportions, rounded, never below one pixel', () => {
    assert.equal(variantHeight(4000, 3000, 640), 480);
    assert.equal(variantHeight(1000, 333, 320), 107);
    assert.equal(variantHeight(3000, 2, 320), 1);
  });
});

describe('the names of the files', OPTIONS, () => {
  it('a variant is <id>/<width>.<extension>; JPEG is written .jpg', () => {
    assert.equal(variantKey(ID, 640, 'avif'), `${ID}/640.avif`);
    assert.equal(variantKey(ID, 320, 'webp'), `${ID}/320.webp`);
    assert.equal(variantKey(ID, 1920, 'jpeg'), `${ID}/1920.jpg`);
    assert.equal(originalKey(ID), `originals/${ID}`);
  });

  it('a served file name is read back to its width and format', () => {
    assert.deepEqual(formatOfFile('640.avif'), { width: 640, format: 'avif' });
    assert.deepEqual(formatOfFile('320.webp'), { width: 320, format: 'webp' });
    assert.deepEqual(formatOfFile('1920.jpg'), { width: 1920, format: 'jpeg' });
    assert.deepEqual(formatOfFile('99999.jpg'), { width: 99999, format: 'jpeg' });
  });

  it('any other name is none: no variant is served for it', () => {
    for (const name of ['640.jpeg', '0640.jpg', '0.jpg', '100000.jpg', '640.png', 'x640.jpg']) {
      assert.equal(formatOfFile(name), null, name);
    }
    assert.equal(formatOfFile('640.jpg.txt'), null);
    assert.equal(formatOfFile('.jpg'), null);
  });

  it('each format has its MIME type; a content id is 64 lower-case hex digits', () => {
    assert.deepEqual(MEDIA_MIME, { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' });
    const id = new RegExp(MEDIA_ID_PATTERN);
    assert.ok(id.test(ID));
    assert.ok(!id.test('A'.repeat(64)));
    assert.ok(!id.test('a'.repeat(63)));
    assert.ok(!id.test(`${ID}a`));
  });
});
