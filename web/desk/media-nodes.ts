import { Node } from '@tiptap/core';

/**
 * The editor's picture parts (ADR 0020): where an image atom's preview comes from, and the
 * gallery atom, several pictures edited through the media panel (media-panel.tsx).
 */

type Attrs = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The preview address of a picture: its smallest JPEG when uploaded, else its remote src. */
export function previewSrc(attrs: Attrs): string | null {
  if (typeof attrs.media === 'string' && /^[0-9a-f]{64}$/.test(attrs.media))
    return `/media/${attrs.media}/320.jpg`;
  return typeof attrs.src === 'string' && attrs.src !== '' ? attrs.src : null;
}

/** The DOM of one picture in the editor: its preview, or "Needs picture" when it has none. */
export function pictureDom(attrs: Attrs): [string, Record<string, string>, ...unknown[]] {
  const src = previewSrc(attrs);
  return src
    ? ['img', { src, alt: text(attrs.alt) }]
    : ['span', { class: 'needs-picture' }, 'Needs picture'];
}

export const Gallery = Node.create({
  name: 'gallery',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes: () => ({ images: { default: [], rendered: false } }),
  parseHTML: () => [{ tag: 'figure[data-block="gallery"]' }],
  renderHTML: ({ node }) => {
    const images = (node.attrs as { images: Attrs[] }).images;
    return [
      'figure',
      { 'data-block': 'gallery', class: 'block-atom block-atom--gallery' },
      ['div', { class: 'gallery-strip' }, ...images.map(pictureDom)],
      ['figcaption', {}, `Gallery: ${images.length} pictures`],
    ];
  },
});
