import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A full HTML document from its `<html>` element. */
export function renderDocument(root: VNode): string {
  return `<!DOCTYPE html>${renderToString(root)}`;
}

/** An HTML fragment (an article, a summary box) for a live update. */
export function renderFragment(node: VNode): string {
  return renderToString(node);
}
