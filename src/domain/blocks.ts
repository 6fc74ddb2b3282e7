import { Type, type Static } from '@sinclair/typebox';
import { LIMITS } from './limits.ts';
import { MEDIA_ID_PATTERN } from './media.ts';

/**
 * The body of a post: a list of blocks, never raw HTML. Every string here is text; the
 * renderers escape it, so no post can carry markup into a reader's browser.
 */

/** Links may only point at the web or at an e-mail address. */
export const LINK_HREF_PATTERN = '^(https?://|mailto:)\\S+$';
/** Media may be remote (http/https) or served by Liveline itself (a root-relative path). */
export const MEDIA_SRC_PATTERN = '^(https?://|/(?![/\\\\]))\\S+$';

/**
 * The href of a link whose destination is not known, as in a text capture, which shows only
 * ", external". The .invalid domain never resolves (RFC 2606); readers see the words unlinked.
 */
export const UNKNOWN_LINK_HREF = 'https://link-unknown.invalid/';

const text = (maxLength: number) => Type.String({ maxLength });

export const TextRun = Type.Object(
  {
    type: Type.Literal('text'),
    text: text(LIMITS.inlineText),
    bold: Type.Optional(Type.Boolean()),
    italic: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const LinkRun = Type.Object(
  {
    type: Type.Literal('link'),
    text: Type.String({ minLength: 1, maxLength: LIMITS.inlineText }),
    href: Type.String({ maxLength: LIMITS.url, pattern: LINK_HREF_PATTERN }),
    external: Type.Boolean({ description: 'true when the link leads to another site' }),
  },
  { additionalProperties: false },
);

export const Inline = Type.Union([TextRun, LinkRun]);
export const InlineRuns = Type.Array(Inline, { maxItems: LIMITS.inlineRuns });

export const ParagraphBlock = Type.Object(
  { type: Type.Literal('paragraph'), content: InlineRuns },
  { additionalProperties: false },
);

export const QuoteBlock = Type.Object(
  {
    type: Type.Literal('quote'),
    content: InlineRuns,
    attribution: Type.Optional(text(LIMITS.contributorRole)),
  },
  { additionalProperties: false },
);

export const ListBlock = Type.Object(
  {
    type: Type.Literal('list'),
    items: Type.Array(InlineRuns, { minItems: 1, maxItems: LIMITS.listItems }),
  },
  { additionalProperties: false },
);

export const ImageBlock = Type.Object(
  {
    type: Type.Literal('image'),
    /** Absent for images known only by their description, as in a text capture. */
    src: Type.Optional(Type.String({ maxLength: LIMITS.url, pattern: MEDIA_SRC_PATTERN })),
    /** A picture uploaded at the desk, by content id (ADR 0020); width and height come with it. */
    media: Type.Optional(Type.String({ pattern: MEDIA_ID_PATTERN })),
    alt: text(LIMITS.alt),
    caption: Type.Optional(text(LIMITS.caption)),
    credit: Type.Optional(text(LIMITS.credit)),
    width: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000 })),
    height: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000 })),
  },
  { additionalProperties: false },
);

export const VideoBlock = Type.Object(
  {
    type: Type.Literal('video'),
    src: Type.Optional(Type.String({ maxLength: LIMITS.url, pattern: MEDIA_SRC_PATTERN })),
    provider: Type.Optional(Type.Union([Type.Literal('youtube'), Type.Literal('bbc')])),
    providerId: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })),
    caption: Type.Optional(text(LIMITS.caption)),
    /** The still shown before the video plays (ADR 0021). */
    poster: Type.Optional(Type.String({ maxLength: LIMITS.url, pattern: MEDIA_SRC_PATTERN })),
  },
  { additionalProperties: false },
);

/**
 * Where embedded posts come from. The first five are the ones BBC captures carry; the rest
 * came with click-to-load embeds (src/embeds/, ADR 0021), which recognises each from its URL.
 */
export const EMBED_PROVIDERS = [
  'x',
  'truthsocial',
  'telegram',
  'youtube',
  'instagram',
  'vimeo',
  'bluesky',
  'tiktok',
  'facebook',
  'threads',
] as const;

export const EmbedBlock = Type.Object(
  {
    type: Type.Literal('embed'),
    provider: Type.Union(EMBED_PROVIDERS.map((p) => Type.Literal(p))),
    url: Type.String({ maxLength: LIMITS.url, pattern: '^https://\\S+$' }),
    text: Type.Optional(text(LIMITS.inlineText)),
    author: Type.Optional(text(LIMITS.contributorName)),
    /** The post's or video's title, from the provider's oEmbed answer at publish time. */
    title: Type.Optional(text(LIMITS.headline)),
  },
  { additionalProperties: false },
);

/** Several pictures in one post, as in the captures' "In pictures" posts (ADR 0020). */
export const GalleryBlock = Type.Object(
  {
    type: Type.Literal('gallery'),
    images: Type.Array(ImageBlock, { minItems: 1, maxItems: LIMITS.galleryImages }),
  },
  { additionalProperties: false },
);

export const Block = Type.Union([
  ParagraphBlock,
  QuoteBlock,
  ListBlock,
  ImageBlock,
  VideoBlock,
  EmbedBlock,
  GalleryBlock,
]);
export const Body = Type.Array(Block, {
  maxItems: LIMITS.blocks,
  // Keywords of src/domain/validate.ts: what one post may cost to store and render.
  maxTotalText: LIMITS.postText,
  maxNodes: LIMITS.postNodes,
});

export type TextRun = Static<typeof TextRun>;
export type LinkRun = Static<typeof LinkRun>;
export type Inline = Static<typeof Inline>;
export type ParagraphBlock = Static<typeof ParagraphBlock>;
export type QuoteBlock = Static<typeof QuoteBlock>;
export type ListBlock = Static<typeof ListBlock>;
export type ImageBlock = Static<typeof ImageBlock>;
export type VideoBlock = Static<typeof VideoBlock>;
export type EmbedBlock = Static<typeof EmbedBlock>;
export type GalleryBlock = Static<typeof GalleryBlock>;
export type Block = Static<typeof Block>;
export type Body = Static<typeof Body>;

export { blockText, inlineText } from './block-text.ts';
