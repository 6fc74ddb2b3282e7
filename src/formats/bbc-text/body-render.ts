import type { Block, ImageBlock } from '../../domain/blocks.ts';
import { renderInline } from './inline.ts';
import {
  BODY_INDENT,
  BULLET_PREFIX,
  IMAGE_CAPTION,
  IMAGE_SOURCE,
  MEDIA_CAPTION,
  QUOTE_PREFIX,
  QUOTE_SOURCE_PREFIX,
  providerName,
  oneLine,
} from './productions.ts';

/**
 * A block's lines and the space around it. Spacing follows the samples: prose (paragraphs,
 * quotes, captions, embeds) has a blank line on each side; list items, image lines and
 * `Media caption,` have none; and an image or video without caption is followed at once by the
 * next line, which is how the parser knows it (see body-parse.ts).
 */
interface Rendered {
  lines: string[];
  spaceBefore: boolean;
  spaceAfter: boolean;
  /** Nothing may separate it from what follows: its identity depends on that. */
  tight: boolean;
  list: boolean;
  image?: boolean;
}

const hasText = (text: string | undefined): text is string =>
  text !== undefined && text.trim() !== '';

const prose = (lines: string[]): Rendered => ({
  lines,
  spaceBefore: true,
  spaceAfter: true,
  tight: false,
  list: false,
});

function image(block: ImageBlock): Rendered | null {
  const alt = oneLine(block.alt);
  const credit = block.credit === undefined ? undefined : oneLine(block.credit);
  const first = credit === undefined ? alt : `${alt}${IMAGE_SOURCE}${credit}`;
  const lines = hasText(first) ? [first] : [];
  const caption = hasText(block.caption) ? oneLine(block.caption) : undefined;
  if (caption !== undefined) lines.push(IMAGE_CAPTION, '', caption);
  // An image with no text at all has no form in a capture: it is left out.
  if (lines.length === 0) return null;
  const tight = credit === undefined && caption === undefined;
  return {
    lines,
    spaceBefore: false,
    spaceAfter: caption !== undefined,
    tight,
    list: false,
    image: true,
  };
}

/**
 * The lines of one block, without indentation; null for a block with no text to write. A gallery
 * never comes here: renderBody writes its pictures one after another, as a capture shows them.
 */
function renderBlock(block: Exclude<Block, { type: 'gallery' }>): Rendered | null {
  switch (block.type) {
    case 'paragraph': {
      const text = renderInline(block.content);
      return hasText(text) ? prose([text]) : null;
    }
    case 'quote': {
      const lines = [QUOTE_PREFIX + renderInline(block.content)];
      if (hasText(block.attribution)) lines.push(QUOTE_SOURCE_PREFIX + oneLine(block.attribution));
      return prose(lines);
    }
    case 'list': {
      const lines = block.items.map((item) => BULLET_PREFIX + renderInline(item));
      return { lines, spaceBefore: false, spaceAfter: false, tight: false, list: true };
    }
    case 'image':
      return image(block);
    case 'video': {
      if (!hasText(block.caption)) {
        return {
          lines: [MEDIA_CAPTION],
          spaceBefore: false,
          spaceAfter: false,
          tight: true,
          list: false,
        };
      }
      const lines = [MEDIA_CAPTION, '', oneLine(block.caption)];
      return { lines, spaceBefore: false, spaceAfter: true, tight: false, list: false };
    }
    case 'embed': {
      const name = providerName(block.provider);
      const by = hasText(block.author) ? ` by ${oneLine(block.author)}` : '';
      const text = hasText(block.text) ? [oneLine(block.text)] : [];
      return prose([`Skip ${name} post${by}`, ...text, block.url, `End of ${name} post${by}`]);
    }
  }
}

/**
 * The lines of a post body, indented, ending with a blank line when its last block wants one.
 * `atCaptureEnd` is set for the capture's last post: an image with no credit or caption is known
 * by the line that follows it at once, and at the end nothing does, so it can only be read as a
 * paragraph. It is written as that paragraph, so that re-exporting an import is stable.
 */
export function renderBody(body: readonly Block[], atCaptureEnd: boolean): string[] {
  const blocks = body
    .flatMap((block) => (block.type === 'gallery' ? block.images : [block]))
    .map(renderBlock)
    .filter((r): r is Rendered => r !== null);
  const last = blocks.at(-1);
  if (atCaptureEnd && last?.tight && last.image) blocks[blocks.length - 1] = prose(last.lines);
  const out: string[] = [];
  let previous: Rendered | null = null;
  for (const rendered of blocks) {
    if (previous && !previous.tight) {
      const blank = previous.spaceAfter || rendered.spaceBefore || (previous.list && rendered.list);
      if (blank) out.push('');
    }
    out.push(...rendered.lines.map((line) => (line === '' ? '' : BODY_INDENT + line)));
    previous = rendered;
  }
  if (previous?.spaceAfter) out.push('');
  return out;
}
