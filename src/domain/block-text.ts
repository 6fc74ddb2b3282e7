import type { Block, Inline } from './blocks.ts';

// Plain text of posts, with type imports only: the desk's bundle uses it without the schemas.

/** The plain text of a run of inlines, links included. */
export function inlineText(runs: readonly Inline[]): string {
  return runs.map((run) => run.text).join('');
}

/**
 * The words of one block as plain text. Readers' descriptions, feeds and JSON-LD take only
 * what a picture, video or embed says (`words`); the desk's history also names what each one
 * is (`described`: "[Image: alt] caption"), so a changed picture shows in its diff.
 */
export function blockText(block: Block, style: 'words' | 'described' = 'words'): string {
  const described = style === 'described';
  switch (block.type) {
    case 'paragraph':
    case 'quote':
      return inlineText(block.content);
    case 'list':
      return block.items.map((item) => inlineText(item)).join('\n');
    case 'image':
      return described
        ? `[Image: ${block.alt}] ${block.caption ?? ''}`.trim()
        : (block.caption ?? '');
    case 'video':
      return described ? `[Video] ${block.caption ?? ''}`.trim() : (block.caption ?? '');
    case 'embed':
      return described ? `[${block.provider}] ${block.text ?? block.url}` : (block.text ?? '');
    case 'gallery':
      return block.images.map((image) => blockText(image, style)).join('\n');
  }
}
