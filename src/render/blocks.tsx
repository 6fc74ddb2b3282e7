import type { Block, Body, ListBlock, QuoteBlock } from '../domain/blocks.ts';
import { EmbedCard } from './embed.tsx';
import { InlineRuns } from './inline.tsx';
import { GalleryFigure, ImageFigure } from './media.tsx';
import { VideoFigure } from './video.tsx';

/** A quotation with its attribution under it. */
function Quote({ block }: { block: QuoteBlock }) {
  return (
    <figure class="quote">
      <blockquote class="quote__text">
        <p>
          <InlineRuns runs={block.content} />
        </p>
      </blockquote>
      {block.attribution ? <figcaption class="quote__by">{block.attribution}</figcaption> : null}
    </figure>
  );
}

/** A bullet list, as in the samples' recaps. */
function Bullets({ block }: { block: ListBlock }) {
  return (
    <ul class="bullets">
      {block.items.map((item, index) => (
        <li key={index}>
          <InlineRuns runs={item} />
        </li>
      ))}
    </ul>
  );
}

/** One body block. Every string is text, escaped by Preact; no block carries markup. */
export function BlockView({ block }: { block: Block }) {
  switch (block.type) {
    case 'paragraph':
      return (
        <p>
          <InlineRuns runs={block.content} />
        </p>
      );
    case 'quote':
      return <Quote block={block} />;
    case 'list':
      return <Bullets block={block} />;
    case 'image':
      return <ImageFigure block={block} />;
    case 'video':
      return <VideoFigure block={block} />;
    case 'embed':
      return <EmbedCard block={block} />;
    case 'gallery':
      return <GalleryFigure block={block} />;
  }
}

/** A post's body, block by block. */
export function BodyView({ body }: { body: Body }) {
  return (
    <div class="post__body">
      {body.map((block, index) => (
        <BlockView key={index} block={block} />
      ))}
    </div>
  );
}
