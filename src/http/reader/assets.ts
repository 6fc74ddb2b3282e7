import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Assets } from '../../render/index.ts';

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

export interface ReaderAssets {
  /** The URLs pages link to: content-hashed, so they can be cached for a year. */
  urls: Assets;
  byPath: Map<string, Asset>;
}

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

/** A file held in memory with its ETag (a hash of its bytes). */
export function asset(body: Buffer, type: string): Asset {
  return {
    body,
    type,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
  };
}

/**
 * A browser script of ours (`path` from the repository's root) bundled by esbuild: an es2019
 * IIFE that exposes nothing global.
 */
export async function bundleScript(path: string): Promise<Asset> {
  const bundle = await build({
    entryPoints: [root(path)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2019',
    write: false,
    logLevel: 'silent',
  });
  return asset(
    Buffer.from(bundle.outputFiles[0]?.contents ?? []),
    'text/javascript; charset=utf-8',
  );
}

/**
 * The reader's stylesheet and the live-update script, the script bundled by esbuild when
 * the app starts (a few milliseconds), both held in memory.
 */
export async function loadReaderAssets(): Promise<ReaderAssets> {
  const script = await bundleScript('web/reader/live.ts');
  const css = asset(await readFile(root('public/reader.css')), 'text/css; charset=utf-8');
  const version = (a: Asset) => a.etag.slice(1, 9);
  const urls = {
    css: `/assets/reader.css?v=${version(css)}`,
    script: `/assets/reader.js?v=${version(script)}`,
  };
  return {
    urls,
    byPath: new Map([
      ['/assets/reader.css', css],
      ['/assets/reader.js', script],
    ]),
  };
}
