import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { DESK_BUILD } from '../../src/http/desk/assets.ts';

/**
 * The desk's budget: 160 KiB gzip. ProseMirror and tiptap are most of it (measured 2026-12:
 * 433 KB minified, 139 KB gzip, before pictures, embeds, webhooks and the widget's snippet
 * took it to 483 KB, 152 KiB gzip; the editor's libraries are ~330 KB of that). The desk is
 * loaded by journalists, once a day, from cache;
 * the reader's script is separate and keeps its own budget (src/render/reader-bundle.test.ts).
 */
const BUDGET_GZIP_BYTES = 160 * 1024;

describe('the desk bundle', () => {
  it('builds with the options the server uses, within 160 KiB gzip, and holds no TypeBox', async () => {
    const result = await build(DESK_BUILD);
    assert.deepEqual(result.errors, []);
    const output = result.outputFiles[0];
    assert.ok(output);
    const gzip = gzipSync(output.contents).byteLength;
    assert.ok(gzip < BUDGET_GZIP_BYTES, `${output.contents.byteLength} bytes, ${gzip} gzip`);
    // Validation schemas belong to the server; the desk imports only their types.
    assert.ok(!output.text.includes('TypeBox'), 'no TypeBox in the desk bundle');
  });
});
