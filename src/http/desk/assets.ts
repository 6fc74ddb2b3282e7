import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import type { Asset } from '../reader/assets.ts';

export interface DeskAssets {
  urls: { css: string; script: string };
  byPath: Map<string, Asset>;
}

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

function asset(body: Buffer, type: string): Asset {
  return {
    body,
    type,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
  };
}

/** The options the desk bundle is built with; the budget test builds with the same. */
export const DESK_BUILD: BuildOptions & { write: false } = {
  entryPoints: [root('web/desk/main.tsx')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  write: false,
  logLevel: 'silent',
};

async function load(): Promise<DeskAssets> {
  const bundle = await build(DESK_BUILD);
  const script = asset(
    Buffer.from(bundle.outputFiles?.[0]?.contents ?? []),
    'text/javascript; charset=utf-8',
  );
  const css = asset(await readFile(root('public/desk.css')), 'text/css; charset=utf-8');
  const version = (a: Asset) => a.etag.slice(1, 9);
  return {
    urls: {
      css: `/desk/assets/desk.css?v=${version(css)}`,
      script: `/desk/assets/desk.js?v=${version(script)}`,
    },
    byPath: new Map([
      ['/desk/assets/desk.css', css],
      ['/desk/assets/desk.js', script],
    ]),
  };
}

let loaded: Promise<DeskAssets> | null = null;

/**
 * The desk's script (Preact + the editor, bundled by esbuild) and stylesheet. The bundle
 * takes about a second to build, so one process builds it once, however many apps it makes.
 */
export function loadDeskAssets(): Promise<DeskAssets> {
  loaded ??= load().catch((error: unknown) => {
    loaded = null;
    throw error;
  });
  return loaded;
}
