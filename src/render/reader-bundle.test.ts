import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('../../web/reader/live.ts', import.meta.url));
const BUDGET_BYTES = 8 * 1024;

describe('the reader script bundle', () => {
  it('builds as an es2019 IIFE under 8 KB minified, exposing nothing global', async () => {
    const result = await build({
      entryPoints: [ENTRY],
      bundle: true,
      minify: true,
      write: false,
      format: 'iife',
      target: 'es2019',
      logLevel: 'silent',
    });
    assert.deepEqual(result.errors, []);
    const output = result.outputFiles[0];
    assert.ok(output);
    assert.ok(output.contents.byteLength < BUDGET_BYTES, `${output.contents.byteLength} bytes`);
    assert.match(output.text, /^"use strict";\(\(\)=>\{/);
    assert.ok(!output.text.includes('preact'), 'no render code leaks into the browser bundle');
  });
});
