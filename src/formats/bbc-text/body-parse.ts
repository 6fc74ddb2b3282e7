import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  EmbedBlock,
  GalleryBlock,
  ImageBlock,
  ListBlock,
  ParagraphBlock,
  QuoteBlock,
  VideoBlock,
  type Block,
  type Inline,
} from '../../domain/blocks.ts';
import { LIMITS } from '../../domain/limits.ts';
import type { LineCursor } from './line-cursor.ts';
import { parseInline } from './inline.ts';
import {
  BULLET_PREFIX,
  EMBED_END,
  EMBED_URL,
  IMAGE_CAPTION,
  QUOTE_SOURCE_PREFIX,
  classifyBodyLine,
  type BodyLine,
} from './productions.ts';

/**
 * The blocks of a post body, one production per kind (README.md has the grammar). Blocks are
 * separated by blank lines, except that a list, an image without caption and a video without
 * caption need none. A plain line is a paragraph when a blank line (or the end of the capture)
 * follows it; when another line follows at once, or the next post does, it is the description
 * of an image that has no credit (the maps in both samples).
 */

type Parser<K extends BodyLine['kind']> = (
  c: LineCursor,
  line: Extract<BodyLine, { kind: K }>,
) => Block;
type AnyParser = (c: LineCursor, line: BodyLine) => Block;

/** Reads blocks until the end of the post's region. */
export function parseBody(c: LineCursor): Block[] {
  const body: Block[] = [];
  c.skipBlanks();
  while (!c.done) {
    const start = c.index;
    const text = c.content();
    if (text === undefined) c.fail('a line of the post indented by four spaces');
    const line = classifyBodyLine(text);
    // The table is keyed by kind, so each production receives its own kind of line.
    const block = (PRODUCTIONS[line.kind] as AnyParser)(c, line);
    checkLimits(c, block, start, body.length);
    body.push(block);
    c.skipBlanks();
  }
  return body;
}

/**
 * Each kind of block's schema, compiled once: checking a block is then a plain function call,
 * and a block over a limit is checked against its own kind's schema, so the error names the
 * field (`/caption: Expected string length ...`), not only "Expected union value".
 */
const blockSchemas = {
  paragraph: TypeCompiler.Compile(ParagraphBlock),
  quote: TypeCompiler.Compile(QuoteBlock),
  list: TypeCompiler.Compile(ListBlock),
  image: TypeCompiler.Compile(ImageBlock),
  video: TypeCompiler.Compile(VideoBlock),
  embed: TypeCompiler.Compile(EmbedBlock),
  gallery: TypeCompiler.Compile(GalleryBlock),
} as const;

function checkLimits(c: LineCursor, block: Block, start: number, count: number): void {
  const back = start - c.index;
  if (count >= LIMITS.blocks) c.fail(`at most ${LIMITS.blocks} blocks in a post`, back);
  const schema = blockSchemas[block.type];
  // Check is the compiled fast path; a block it refuses fails here whatever its errors say,
  // and the first one is named.
  if (schema.Check(block)) return;
  const error = schema.Errors(block).First();
  c.fail(`a block within Liveline's limits (${error?.path}: ${error?.message})`, back);
}

/** list = ("• " inline NL)+ */
const list: Parser<'bullet'> = (c: LineCursor) => {
  const items: Inline[][] = [];
  for (let text = c.content(); text?.startsWith(BULLET_PREFIX); text = c.content()) {
    items.push(parseInline(text.slice(BULLET_PREFIX.length)));
    c.next();
  }
  return { type: 'list', items };
};

/** image-caption = "Image caption," NL blank caption NL */
function imageCaption(c: LineCursor): string {
  c.next();
  if (!c.isBlank()) c.fail('a blank line after "Image caption,"');
  c.next();
  const caption = c.content();
  if (caption === undefined) c.fail('the image caption');
  c.next();
  return caption;
}

/** image = alt "Image source, " credit NL [image-caption] */
const creditedImage: Parser<'imageSource'> = (c: LineCursor, line) => {
  c.next();
  const caption = c.content() === IMAGE_CAPTION ? imageCaption(c) : undefined;
  return {
    type: 'image',
    alt: line.alt,
    credit: line.credit,
    ...(caption === undefined ? {} : { caption }),
  };
};

/** A caption with no description before it: `Image caption,` opens the block itself. */
const bareCaptionedImage: Parser<'imageCaption'> = (c: LineCursor) => ({
  type: 'image',
  alt: '',
  caption: imageCaption(c),
});

/** paragraph = inline NL (blank | end of capture); image = alt NL (image-caption | line | next post) */
const plain: Parser<'plain'> = (c: LineCursor, line) => {
  if (c.isBlankOrEnd(1)) {
    c.next();
    return { type: 'paragraph', content: parseInline(line.text) };
  }
  c.next();
  const caption = c.content() === IMAGE_CAPTION ? imageCaption(c) : undefined;
  return { type: 'image', alt: line.text, ...(caption === undefined ? {} : { caption }) };
};

/** video = "Media caption," NL [blank caption NL] */
const video: Parser<'mediaCaption'> = (c: LineCursor) => {
  c.next();
  const caption = c.isBlank() ? c.content(1) : undefined;
  if (caption === undefined || classifyBodyLine(caption).kind !== 'plain') return { type: 'video' };
  c.index += 2;
  return { type: 'video', caption };
};

/** quote = "Quote Message: " inline NL ["Source: " attribution NL] */
const quote: Parser<'quote'> = (c: LineCursor, line) => {
  c.next();
  const source = c.content();
  if (source?.startsWith(QUOTE_SOURCE_PREFIX)) {
    c.next();
    const attribution = source.slice(QUOTE_SOURCE_PREFIX.length);
    return { type: 'quote', content: parseInline(line.text), attribution };
  }
  return { type: 'quote', content: parseInline(line.text) };
};

/** embed = "Skip P post[ by A]" NL [text NL] url NL "End of P post[ by A]" NL */
const embed: Parser<'embedStart'> = (c: LineCursor, line) => {
  c.next();
  const first = c.content();
  const urlFirst = first !== undefined && EMBED_URL.test(first) && isEmbedEnd(c.content(1));
  const text = urlFirst ? undefined : first;
  if (text !== undefined) c.next();
  const url = c.content();
  if (url === undefined || !EMBED_URL.test(url)) c.fail("the embedded post's https:// address");
  c.next();
  if (!isEmbedEnd(c.content())) c.fail('the "End of ... post" line of the embedded post');
  c.next();
  return {
    type: 'embed',
    provider: line.provider,
    url,
    ...(text === undefined ? {} : { text }),
    ...(line.author === undefined ? {} : { author: line.author }),
  };
};

function isEmbedEnd(text: string | undefined): boolean {
  return text !== undefined && EMBED_END.test(text);
}

const PRODUCTIONS: { [K in BodyLine['kind']]: Parser<K> } = {
  bullet: list,
  mediaCaption: video,
  imageCaption: bareCaptionedImage,
  quote,
  embedStart: embed,
  imageSource: creditedImage,
  plain,
};
