import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('../../web/reader/live.ts', import.meta.url));
// 8 KB until catch-up (web/reader/catch-up.ts, ADR 0024) added 3 KB: 7.3 to 10.1 KB.
const BUDGET_BYTES = 11 * 1024;

describe('the reader script bundle', () => {
  it('builds as an es2019 IIFE under 11 KB minified, exposing nothing global', async () => {
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
