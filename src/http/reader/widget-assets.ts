import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { WidgetAssetUrls } from '../../render/widget-page.tsx';
import { asset, bundleScript, type Asset } from './assets.ts';

export interface WidgetAssets {
  /** What the embed view links to: content-hashed, so cached for a year. */
  urls: WidgetAssetUrls;
  byPath: Map<string, Asset>;
  /** The host page's resize script, at a stable address partners paste (`/widget.js`). */
  host: Asset;
}

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

/**
 * The embed view's stylesheet and script (the reader's live updater plus the frame's height
 * reports) and the host page's resize script, bundled by esbuild when the app starts.
 */
export async function loadWidgetAssets(): Promise<WidgetAssets> {
  const [script, host] = await Promise.all([
    bundleScript('web/widget/frame.ts'),
    bundleScript('web/widget/host.ts'),
  ]);
  const css = asset(await readFile(root('public/widget.css')), 'text/css; charset=utf-8');
  const version = (a: Asset) => a.etag.slice(1, 9);
  return {
    urls: {
      css: `/assets/widget.css?v=${version(css)}`,
      script: `/assets/widget-frame.js?v=${version(script)}`,
    },
    byPath: new Map([
      ['/assets/widget.css', css],
      ['/assets/widget-frame.js', script],
    ]),
    host,
  };
}
