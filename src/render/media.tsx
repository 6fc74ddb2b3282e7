import type { GalleryBlock, ImageBlock } from '../domain/blocks.ts';
import { GALLERY_SIZES, Picture, pictureOf } from './picture.tsx';
import type { LeadMedia } from '../domain/page.ts';
import { safeMediaSrc } from './urls.ts';
import { VideoPlayer } from './video.tsx';

/** "Image source, Reuters": shown small under the picture, as on the BBC. */
function Credit({ credit }: { credit: string | undefined }) {
  if (credit === undefined || credit.trim() === '') return null;
  return <p class="media__credit">Image source, {credit}</p>;
}

/** The caption under a picture or video, prefixed for screen readers as the BBC does. */
function Caption({ label, caption }: { label: string; caption: string | undefined }) {
  if (caption === undefined || caption.trim() === '') return null;
  return (
    <figcaption class="media__caption">
      <span class="visually-hidden">{label}, </span>
      {caption}
    </figcaption>
  );
}

/**
 * An image, full column width. An uploaded picture is a <picture> of every variant
 * (picture.tsx); a remote one an <img>. Width and height are given when known so the browser
 * keeps the space before it loads; with neither the description is shown in a box instead.
 */
export function ImageFigure({ block, sizes }: { block: ImageBlock; sizes?: string }) {
  const src = safeMediaSrc(block.src);
  const picture = pictureOf(block);
  return (
    <figure class={src === null && picture === null ? 'media media--missing' : 'media'}>
      {picture !== null ? (
        <Picture picture={picture} {...(sizes !== undefined && { sizes })} />
      ) : src === null ? (
        <p class="media__description">
          <span class="media__description-label">Image: </span>
          {block.alt}
        </p>
      ) : (
        <img
          class="media__image"
          src={src}
          alt={block.alt}
          width={block.width}
          height={block.height}
          loading="lazy"
          decoding="async"
        />
      )}
      <Credit credit={block.credit} />
      <Caption label="Image caption" caption={block.caption} />
    </figure>
  );
}

/** Several pictures in one post ("In pictures"): two to a row on wide screens. */
export function GalleryFigure({ block }: { block: GalleryBlock }) {
  const count = block.images.length;
  return (
    <section
      class="gallery"
      aria-label={`Gallery, ${count} ${count === 1 ? 'picture' : 'pictures'}`}
    >
      {block.images.map((image, index) => (
        <ImageFigure key={index} block={image} sizes={GALLERY_SIZES} />
      ))}
    </section>
  );
}

/** The lead video or image of a live page, with its "Media caption". */
export function LeadMediaFigure({ media }: { media: LeadMedia }) {
  const src = safeMediaSrc(media.src);
  let content;
  if (src === null) {
    content = (
      <p class="media__description">
        <span class="media__description-label">{media.kind === 'video' ? 'Video' : 'Image'}</span>
        {media.alt ? `: ${media.alt}` : null}
      </p>
    );
  } else if (media.kind === 'video') {
    content = <VideoPlayer src={src} poster={media.poster} preload="metadata" />;
  } else {
    content = <img class="media__image" src={src} alt={media.alt ?? ''} decoding="async" />;
  }
  // An uploaded lead picture: every variant, loaded first (ADR 0020).
  const picture = media.kind === 'image' ? pictureOf(media) : null;
  if (picture !== null) content = <Picture picture={picture} eager />;
  return (
    <figure
      class={
        src === null && picture === null ? 'media media--lead media--missing' : 'media media--lead'
      }
    >
      {content}
      {media.kind === 'image' ? <Credit credit={media.credit} /> : null}
      <Caption label="Media caption" caption={media.caption} />
    </figure>
  );
}
