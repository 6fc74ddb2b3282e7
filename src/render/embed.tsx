import type { EmbedBlock } from '../domain/blocks.ts';
import { safeLinkHref } from './urls.ts';

const PROVIDER_NAMES: Record<EmbedBlock['provider'], string> = {
  x: 'X',
  truthsocial: 'Truth Social',
  telegram: 'Telegram',
  youtube: 'YouTube',
  instagram: 'Instagram',
};

/**
 * An embedded social post as a quotation card with a link to the original: no third-party
 * script runs on the reader's page (privacy, CSP, speed).
 */
export function EmbedCard({ block }: { block: EmbedBlock }) {
  const provider = PROVIDER_NAMES[block.provider];
  const href = safeLinkHref(block.url);
  const source = block.author ? `${block.author} on ${provider}` : provider;
  return (
    <figure class={`embed embed--${block.provider}`}>
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
              View the original post
              <span class="link-external__mark">, external</span>
            </a>
          </>
        )}
      </figcaption>
    </figure>
  );
}
