import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { sniffImageType } from './sniff.ts';

const pixel = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } });

test('each accepted type is known by its bytes', { timeout: 10_000 }, async () => {
  assert.equal(sniffImageType(await pixel().jpeg().toBuffer()), 'image/jpeg');
  assert.equal(sniffImageType(await pixel().png().toBuffer()), 'image/png');
  assert.equal(sniffImageType(await pixel().webp().toBuffer()), 'image/webp');
  assert.equal(sniffImageType(await pixel().gif().toBuffer()), 'image/gif');
  assert.equal(sniffImageType(await pixel().avif().toBuffer()), 'image/avif');
});

test('programs, documents and short files are not pictures', { timeout: 5_000 }, () => {
  const elf = Buffer.from('\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00', 'latin1');
  assert.equal(sniffImageType(elf), null);
  assert.equal(
    sniffImageType(Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00', 'latin1')),
    null,
  );
  assert.equal(sniffImageType(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3', 'latin1')), null);
  assert.equal(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
  assert.equal(sniffImageType(Buffer.from([0xff, 0xd8, 0xff])), null);
});
