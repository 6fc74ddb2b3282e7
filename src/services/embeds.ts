import type { EmbedBlock } from '../domain/blocks.ts';
import { invalid } from '../domain/errors.ts';
import { describeEmbeds } from '../embeds/publish-check.ts';
import { PROVIDER_LIST, recognise } from '../embeds/providers.ts';
import type { ServiceDeps } from './deps.ts';

/**
 * The embed block a post address makes, described by its provider when it answers: what the
 * desk shows before an editor inserts it. An address no provider recognises is refused.
 */
export async function lookUpEmbed(deps: ServiceDeps, url: string): Promise<EmbedBlock> {
  const found = recognise(url);
  if (found === null) {
    throw invalid(
      '/url',
      `is not the address of a post Liveline can embed (from ${PROVIDER_LIST})`,
    );
  }
  const block: EmbedBlock = { type: 'embed', provider: found.provider.id, url };
  const [described] = await describeEmbeds(deps.oembed, [block]);
  return described?.type === 'embed' ? described : block;
}
