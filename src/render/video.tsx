import type { VideoBlock } from '../domain/blocks.ts';
import { VIDEO_TYPES, videoKind } from '../domain/video-kind.ts';
import { safeLinkHref, safeMediaSrc } from './urls.ts';

/** The caption under a video, prefixed for screen readers as the BBC does. */
function MediaCaption({ caption }: { caption: string | undefined }) {
  if (caption === undefined || caption.trim() === '') return null;
  return (
    <figcaption class="media__caption">
      <span class="visually-hidden">Media caption, </span>
      {caption}
    </figcaption>
  );
}

/**
 * The browser's own player for an MP4 or HLS file, with its poster; nothing is fetched until
 * the reader plays it unless `preload` says so. A browser that cannot play the type shows
 * the link inside instead.
 */
export function VideoPlayer(props: {
  src: string;
  poster?: string | undefined;
  preload: 'none' | 'metadata';
}) {
  const kind = videoKind(props.src);
  const poster = safeMediaSrc(props.poster) ?? undefined;
  return (
    <video class="media__video" controls preload={props.preload} poster={poster} playsinline>
      <source src={props.src} type={kind === null ? undefined : VIDEO_TYPES[kind]} />
      <a href={props.src}>Download the video</a>
    </video>
  );
}

const VIDEO_PROVIDERS = {
  youtube: { name: 'YouTube', url: (id: string) => `https://www.youtube.com/watch?v=${id}` },
  bbc: { name: 'BBC', url: (id: string) => `https://www.bbc.co.uk/programmes/${id}` },
} as const;

/** A video: a native player for a file, a plain link for a provider's id, never a script. */
export function VideoFigure({ block }: { block: VideoBlock }) {
  const src = safeMediaSrc(block.src);
  const provider = block.provider ? VIDEO_PROVIDERS[block.provider] : undefined;
  const providerHref =
    provider && block.providerId ? safeLinkHref(provider.url(block.providerId)) : null;
  let player = null;
  if (src !== null) {
    player = <VideoPlayer src={src} poster={block.poster} preload="none" />;
  } else if (provider && providerHref !== null) {
    player = (
      <p class="media__description">
        <a href={providerHref} class="link-external" rel="noopener noreferrer">
          Watch the video on {provider.name}
          <span class="link-external__mark">, external</span>
        </a>
      </p>
    );
  }
  return (
    <figure class={player === null ? 'media media--missing' : 'media'}>
      {player}
      <MediaCaption caption={block.caption} />
    </figure>
  );
}
