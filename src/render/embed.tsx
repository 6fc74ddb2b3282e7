import type { EmbedBlock } from '../domain/blocks.ts';
import { providerById, recognise, type EmbedPlayer } from '../embeds/providers.ts';
import { renderFragment } from './html.ts';
import { safeLinkHref } from './urls.ts';

/** What the click-to-load script needs to build the frame; all of it from the registry. */
function playerData(player: EmbedPlayer, src: string, title: string) {
  return {
    'data-embed-src': src,
    'data-embed-sandbox': player.sandbox,
    'data-embed-allow': player.allow,
    'data-embed-shape': player.shape,
    'data-embed-title': title,
  };
}

/**
 * An embedded post as a card: provider, title, author and a link to the original. No
 * third-party request is made until the reader presses "Load" (web/reader/embeds.ts, ADR
 * 0021); that button is `hidden` until the reader script shows it, so without JavaScript, and
 * in feeds, the card is a plain link. No thumbnail: it would be a request to the provider.
 */
export function EmbedCard({ block }: { block: EmbedBlock }) {
  const provider = providerById(block.provider);
  const href = safeLinkHref(block.url);
  const found = recognise(block.url);
  // The frame's address is rebuilt from the registry's strict parts, never the stored URL.
  const player = found?.provider.id === block.provider ? found.provider.player : null;
  const what = player?.shape === 'video' ? 'video' : 'post';
  const source = block.author ? `${block.author} on ${provider.name}` : provider.name;
  const frameTitle =
    block.title ?? `${provider.name} ${what}${block.author ? ` by ${block.author}` : ''}`;
  const data = player && found ? playerData(player, player.src(found.parts), frameTitle) : {};
  return (
    <figure class={`embed embed--${block.provider}`} {...data}>
      {block.title ? <p class="embed__title">{block.title}</p> : null}
      {block.text ? (
        <blockquote class="embed__text" cite={href ?? undefined}>
          <p>{block.text}</p>
        </blockquote>
      ) : null}
      <figcaption class="embed__source">
        <span class="embed__author">{source}</span>
        {href === null ? null : (
          <>
            {' '}
            <a href={href} class="link-external" rel="noopener noreferrer">
              View the original {what}
              <span class="link-external__mark">, external</span>
            </a>
          </>
        )}
      </figcaption>
      {player ? (
        <p class="embed__consent" hidden>
          <button type="button" class="embed__load">
            Load the {what} from {provider.name}
          </button>
          <span class="embed__notice">
            {provider.name} may set cookies and see that you visited this page.
          </span>
        </p>
      ) : null}
    </figure>
  );
}

/** One embed card as HTML: the desk's preview of an address before it is inserted. */
export function renderEmbedCard(block: EmbedBlock): string {
  return renderFragment(<EmbedCard block={block} />);
}
