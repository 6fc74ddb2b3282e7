import type {
  Block,
  Body,
  EmbedBlock,
  ImageBlock,
  Inline,
  VideoBlock,
} from '../../src/domain/blocks.ts';
import { PROVIDERS } from '../../src/embeds/providers.ts';

/**
 * The one translation between the editor's document (ProseMirror JSON as tiptap gives it)
 * and the post body model (src/domain/blocks.ts). Pure: no DOM, no editor instance, so it is
 * unit-tested in Node and used unchanged in the browser. What the model cannot hold (a
 * heading, a nested list, a bold link) is refused with a message naming it, never dropped.
 */

export interface EditorMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface EditorNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: EditorNode[];
  marks?: EditorMark[];
  text?: string;
}

/** The model's embed providers, from the registry (it imports no TypeBox, so it bundles small). */
export const EMBED_PROVIDERS: readonly EmbedBlock['provider'][] = PROVIDERS.map((p) => p.id);

export type Mapped<T> = { ok: true; value: T } | { ok: false; error: string };

class Refused extends Error {}

const refuse = (message: string): never => {
  throw new Refused(message);
};

/** Whether a link leaves the site: anything but a link to `origin` itself. */
export function isExternal(href: string, origin: string): boolean {
  if (href.startsWith('mailto:')) return true;
  return !(href === origin || href.startsWith(`${origin}/`));
}

// ---------------------------------------------------------------- model -> editor

function inlineToEditor(runs: readonly Inline[]): EditorNode[] {
  const nodes: EditorNode[] = [];
  for (const run of runs) {
    // ProseMirror holds no empty text node; an empty run carries nothing to show.
    if (run.text === '') continue;
    if (run.type === 'link') {
      nodes.push({
        type: 'text',
        text: run.text,
        marks: [{ type: 'link', attrs: { href: run.href, external: run.external } }],
      });
      continue;
    }
    const marks: EditorMark[] = [];
    if (run.bold) marks.push({ type: 'bold' });
    if (run.italic) marks.push({ type: 'italic' });
    nodes.push({ type: 'text', text: run.text, ...(marks.length > 0 && { marks }) });
  }
  return nodes;
}

function paragraph(runs: readonly Inline[]): EditorNode {
  const content = inlineToEditor(runs);
  return { type: 'paragraph', ...(content.length > 0 && { content }) };
}

/** Only the attributes a block has; absent ones stay absent (null in the editor). */
function attrsOf<T extends object>(block: T, keys: readonly (keyof T)[]): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  for (const key of keys) attrs[key as string] = block[key] ?? null;
  return attrs;
}

const IMAGE_KEYS = ['src', 'media', 'alt', 'caption', 'credit', 'width', 'height'] as const;
const VIDEO_KEYS = ['src', 'provider', 'providerId', 'caption', 'poster'] as const;
const EMBED_KEYS = ['provider', 'url', 'text', 'author', 'title'] as const;

function blockToEditor(block: Block): EditorNode {
  switch (block.type) {
    case 'paragraph':
      return paragraph(block.content);
    case 'quote':
      return {
        type: 'blockquote',
        attrs: { attribution: block.attribution ?? null },
        content: [paragraph(block.content)],
      };
    case 'list':
      return {
        type: 'bulletList',
        content: block.items.map((item) => ({ type: 'listItem', content: [paragraph(item)] })),
      };
    case 'image':
      return { type: 'image', attrs: attrsOf(block, IMAGE_KEYS) };
    case 'video':
      return { type: 'video', attrs: attrsOf(block, VIDEO_KEYS) };
    case 'embed':
      return { type: 'embed', attrs: attrsOf(block, EMBED_KEYS) };
    case 'gallery':
      return { type: 'gallery', attrs: { images: block.images } };
  }
}

/** The editor document of a post body; an empty body is one empty paragraph. */
export function bodyToDoc(body: Body): EditorNode {
  const content = body.map(blockToEditor);
  return { type: 'doc', content: content.length > 0 ? content : [{ type: 'paragraph' }] };
}

// ---------------------------------------------------------------- editor -> model

function textOf(node: EditorNode, where: string): string {
  if (typeof node.text !== 'string') return refuse(`${where}: a text node without text`);
  return node.text;
}

function inlineFromEditor(nodes: readonly EditorNode[], where: string, origin: string): Inline[] {
  const runs: Inline[] = [];
  for (const node of nodes) {
    if (node.type === 'hardBreak') refuse(`${where}: line breaks inside a paragraph`);
    if (node.type !== 'text') refuse(`${where}: "${node.type}" inside text`);
    const text = textOf(node, where);
    const marks = node.marks ?? [];
    const link = marks.find((mark) => mark.type === 'link');
    for (const mark of marks) {
      if (!['bold', 'italic', 'link'].includes(mark.type)) {
        refuse(`${where}: the "${mark.type}" style`);
      }
    }
    if (link) {
      if (marks.length > 1) refuse(`${where}: a link cannot also be bold or italic ("${text}")`);
      const href = link.attrs?.href;
      if (typeof href !== 'string' || href === '') refuse(`${where}: a link without an address`);
      const external =
        typeof link.attrs?.external === 'boolean'
          ? link.attrs.external
          : isExternal(href as string, origin);
      runs.push({ type: 'link', text, href: href as string, external });
      continue;
    }
    const bold = marks.some((mark) => mark.type === 'bold');
    const italic = marks.some((mark) => mark.type === 'italic');
    runs.push({ type: 'text', text, ...(bold && { bold }), ...(italic && { italic }) });
  }
  return runs;
}

/** The one paragraph a quote or a list item must hold. */
function soleParagraph(node: EditorNode, where: string, origin: string): Inline[] {
  const children = node.content ?? [];
  const only = children[0];
  if (children.length !== 1 || only?.type !== 'paragraph') {
    refuse(`${where}: holds ${children.length} blocks; it may hold one paragraph`);
  }
  return inlineFromEditor(only?.content ?? [], where, origin);
}

/** Attributes that are set (not null, not empty), typed by the model's block. */
function setAttrs<T>(node: EditorNode, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = node.attrs?.[key];
    if (value !== null && value !== undefined && value !== '') out[key] = value;
  }
  return out as Partial<T>;
}

function imageFromAttrs(attrs: Record<string, unknown> | undefined, where: string): ImageBlock {
  const image = setAttrs<ImageBlock>({ type: 'image', ...(attrs && { attrs }) }, IMAGE_KEYS);
  if (typeof image.alt !== 'string' || image.alt.trim() === '') {
    refuse(`${where}: an image needs alt text describing it`);
  }
  return { type: 'image', alt: image.alt as string, ...image };
}

function blockFromEditor(node: EditorNode, n: number, origin: string): Block {
  const where = `Block ${n}`;
  switch (node.type) {
    case 'paragraph':
      return { type: 'paragraph', content: inlineFromEditor(node.content ?? [], where, origin) };
    case 'blockquote': {
      const attribution = node.attrs?.attribution;
      return {
        type: 'quote',
        content: soleParagraph(node, `${where} (quote)`, origin),
        ...(typeof attribution === 'string' && attribution !== '' && { attribution }),
      };
    }
    case 'bulletList': {
      const items = (node.content ?? []).map((item, i) => {
        if (item.type !== 'listItem') refuse(`${where}: "${item.type}" inside a list`);
        return soleParagraph(item, `${where}, item ${i + 1}`, origin);
      });
      if (items.length === 0) refuse(`${where}: a list with no items`);
      return { type: 'list', items };
    }
    case 'image':
      return imageFromAttrs(node.attrs, where);
    case 'gallery': {
      const images = node.attrs?.images;
      if (!Array.isArray(images) || images.length === 0)
        refuse(`${where}: a gallery with no pictures`);
      return {
        type: 'gallery',
        images: (images as Record<string, unknown>[]).map((attrs, i) =>
          imageFromAttrs(attrs, `${where}, picture ${i + 1}`),
        ),
      };
    }
    case 'video': {
      const video = setAttrs<VideoBlock>(node, VIDEO_KEYS);
      if (!video.src && !video.providerId) refuse(`${where}: a video needs an address`);
      return { type: 'video', ...video };
    }
    case 'embed': {
      const embed = setAttrs<EmbedBlock>(node, EMBED_KEYS);
      if (!embed.provider || !EMBED_PROVIDERS.includes(embed.provider)) {
        refuse(`${where}: embeds come from ${EMBED_PROVIDERS.join(', ')}`);
      }
      if (typeof embed.url !== 'string') refuse(`${where}: an embed needs its address`);
      return { type: 'embed', provider: embed.provider!, url: embed.url!, ...embed };
    }
    default:
      return refuse(`${where}: the editor's "${node.type}" has no place in a post`);
  }
}

/** Whether a paragraph holds nothing at all (the editor always ends with one). */
const isBlank = (node: EditorNode) =>
  node.type === 'paragraph' && (node.content ?? []).every((c) => c.type === 'text' && !c.text);

/**
 * The post body of an editor document. Empty paragraphs at the end are the editor's, not the
 * writer's, and are dropped; `origin` decides which new links are external.
 */
export function docToBody(doc: EditorNode, origin: string): Mapped<Body> {
  try {
    if (doc.type !== 'doc') refuse(`the editor gave a "${doc.type}", not a document`);
    const nodes = [...(doc.content ?? [])];
    while (nodes.length > 0 && isBlank(nodes[nodes.length - 1]!)) nodes.pop();
    return { ok: true, value: nodes.map((node, i) => blockFromEditor(node, i + 1, origin)) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, error: error.message };
    throw error;
  }
}
