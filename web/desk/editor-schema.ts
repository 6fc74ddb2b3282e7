import { Node, type Extensions } from '@tiptap/core';
import Blockquote from '@tiptap/extension-blockquote';
import Bold from '@tiptap/extension-bold';
import Document from '@tiptap/extension-document';
import Italic from '@tiptap/extension-italic';
import Link from '@tiptap/extension-link';
import { BulletList, ListItem } from '@tiptap/extension-list';
import Paragraph from '@tiptap/extension-paragraph';
import Text from '@tiptap/extension-text';
import { UndoRedo } from '@tiptap/extensions';
import { Gallery, pictureDom } from './media-nodes.ts';

/**
 * The editor's schema: exactly the blocks the post model holds (src/domain/blocks.ts), so
 * that the editor cannot make what a post cannot store. A quote and a list item hold one
 * paragraph; images, videos and embeds are atoms edited through their own form.
 */

type Attrs = Record<string, unknown>;

/** Attributes kept in the document and not drawn into the DOM by themselves. */
function plainAttrs(names: readonly string[]) {
  return () => Object.fromEntries(names.map((name) => [name, { default: null, rendered: false }]));
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

const Image = Node.create({
  name: 'image',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes: plainAttrs(['src', 'media', 'alt', 'caption', 'credit', 'width', 'height']),
  parseHTML: () => [{ tag: 'figure[data-block="image"]' }],
  renderHTML: ({ node }) => {
    const a = node.attrs as Attrs;
    const caption = [text(a.caption), a.credit ? `Image source, ${text(a.credit)}` : '']
      .filter(Boolean)
      .join(' · ');
    return [
      'figure',
      { 'data-block': 'image', class: 'block-atom' },
      pictureDom(a),
      ['figcaption', {}, `Image: ${text(a.alt) || 'no alt text'}${caption ? ` · ${caption}` : ''}`],
    ];
  },
});

const Video = Node.create({
  name: 'video',
  group: 'block',
  atom: true,
  selectable: true,
  addAttributes: plainAttrs(['src', 'provider', 'providerId', 'caption', 'poster']),
  parseHTML: () => [{ tag: 'figure[data-block="video"]' }],
  renderHTML: ({ node }) => {
    const a = node.attrs as Attrs;
    return [
      'figure',
      { 'data-block': 'video', class: 'block-atom' },
      ['figcaption', {}, `Video: ${text(a.src) || text(a.providerId)} ${text(a.caption)}`],
    ];
  },
});

const Embed = Node.create({
  name: 'embed',
  group: 'block',
  atom: true,
  selectable: true,
  addAttributes: plainAttrs(['provider', 'url', 'text', 'author', 'title']),
  parseHTML: () => [{ tag: 'figure[data-block="embed"]' }],
  renderHTML: ({ node }) => {
    const a = node.attrs as Attrs;
    return [
      'figure',
      { 'data-block': 'embed', class: 'block-atom' },
      ['figcaption', {}, `Embed (${text(a.provider)}): ${text(a.title) || text(a.url)}`],
    ];
  },
});

/** A quote holds one paragraph and may name who said it. */
const Quote = Blockquote.extend({
  content: 'paragraph',
  addAttributes: plainAttrs(['attribution']),
});

/** A list item holds one paragraph: the model has no nested lists. */
const Item = ListItem.extend({ content: 'paragraph' });

/** Links remember whether they leave the site (the reader says ", external"). */
const PostLink = Link.extend({
  addAttributes() {
    return {
      href: { default: null },
      external: { default: null, rendered: false },
    };
  },
}).configure({
  openOnClick: false,
  autolink: false,
  linkOnPaste: true,
  protocols: ['http', 'https', 'mailto'],
  HTMLAttributes: { rel: 'noopener noreferrer', target: null },
});

export const editorExtensions: Extensions = [
  Document,
  Paragraph,
  Text,
  Bold,
  Italic,
  PostLink,
  Quote,
  BulletList,
  Item,
  Image,
  Video,
  Embed,
  Gallery,
  UndoRedo,
];
