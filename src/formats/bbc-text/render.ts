import { renderBylines } from './bylines.ts';
import { renderBody } from './body-render.ts';
import { renderHead } from './head.ts';
import { renderPostHeader } from './post-header.ts';
import type { ParsedCapture, RenderInput } from './types.ts';

/**
 * Writes a page as a BBC live page capture, the inverse of `parse`. What the text cannot carry
 * (formatting, link addresses, media sources, seconds...) is listed in README.md.
 */

/** Renders a page head and its posts (newest first) in the capture format, with no final newline. */
export function render(input: RenderInput): string {
  const { textFormat, timeZone } = input;
  const lines = renderHead({
    summary: input.summary,
    leadMedia: input.leadMedia,
    pageNumber: input.pageNumber,
    streamPageLine: textFormat.streamPageLine,
  });
  input.posts.forEach((post, index) => {
    const last = index === input.posts.length - 1;
    lines.push(...renderPostHeader(post, index + 1, timeZone, textFormat));
    lines.push(...renderBylines(post.contributors));
    lines.push(...renderBody(post.body, last));
  });
  // A capture ends with its last line of text: no trailing blank line, no final newline.
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

/** The render input that writes a parsed capture back as it was read. */
export function toRenderInput(capture: ParsedCapture): RenderInput {
  return { ...capture, pageNumber: capture.streamPage };
}
