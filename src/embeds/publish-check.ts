import type { Body, EmbedBlock } from '../domain/blocks.ts';
import { LivelineError, type FieldProblem } from '../domain/errors.ts';
import { videoKind } from '../domain/video-kind.ts';
import { DEFAULT_REMOTE_ORIGINS, remoteBodyProblems } from '../media/remote-origins.ts';
import type { OEmbedLookup } from './oembed.ts';
import { PROVIDER_LIST, providerById, recognise } from './providers.ts';

function embedProblems(block: EmbedBlock, at: string): FieldProblem[] {
  const found = recognise(block.url);
  if (found === null) {
    const reason = `is not the address of a post Liveline can embed (from ${PROVIDER_LIST})`;
    return [{ field: `${at}/url`, reason }];
  }
  if (found.provider.id !== block.provider) {
    const given = providerById(block.provider).name;
    const reason = `is "${block.provider}" but the address is a ${found.provider.name} post, not ${given}`;
    return [{ field: `${at}/provider`, reason }];
  }
  return [];
}

/**
 * Refuses, at publish or edit, embeds whose address no provider of the registry recognises
 * (or recognises as another provider), videos that are not MP4 or HLS, and pictures, videos
 * and posters from origins outside MEDIA_REMOTE_ORIGINS (`origins`), naming each field.
 * Blocks already in the post (`kept`, e.g. from an imported capture) are not checked again,
 * so editing an old post never fails on what the editor did not touch.
 */
export function checkMediaBlocks(
  body: Body,
  {
    kept = [],
    origins = DEFAULT_REMOTE_ORIGINS,
  }: { kept?: Body; origins?: readonly string[] | undefined },
  at = '/body',
): void {
  const keptKeys = new Set(kept.map((block) => JSON.stringify(block)));
  const problems = body.flatMap((block, index): FieldProblem[] => {
    if (keptKeys.has(JSON.stringify(block))) return [];
    if (block.type === 'embed') return embedProblems(block, `${at}/${index}`);
    if (block.type === 'video' && block.src !== undefined && videoKind(block.src) === null) {
      const reason = 'must be the address of an MP4 (.mp4) or HLS (.m3u8) video';
      return [{ field: `${at}/${index}/src`, reason }];
    }
    return [];
  });
  problems.push(...remoteBodyProblems(body, origins, keptKeys, at));
  refuse(problems);
}

/** VALIDATION_FAILED naming every problem, when there are any. */
export function refuse(problems: FieldProblem[]): void {
  if (problems.length === 0) return;
  const detail = problems.map((p) => `${p.field}: ${p.reason}`).join('; ');
  throw new LivelineError('VALIDATION_FAILED', detail, { problems });
}

/**
 * The body with each embed's missing title and author filled from its provider's oEmbed
 * answer, when the provider answers; otherwise the block is left as it is (a plain card).
 * Blocks the post already has (`kept`) are left alone, so an edit that changes nothing stays
 * one.
 */
export async function describeEmbeds(
  lookup: OEmbedLookup | undefined,
  body: Body,
  kept: Body = [],
): Promise<Body> {
  if (lookup === undefined || !body.some((b) => b.type === 'embed')) return body;
  const keptKeys = new Set(kept.map((block) => JSON.stringify(block)));
  return Promise.all(
    body.map(async (block) => {
      if (block.type !== 'embed' || keptKeys.has(JSON.stringify(block))) return block;
      if (block.title !== undefined && block.author !== undefined) return block;
      const found = await lookup.describe(block.provider, block.url);
      if (found === null) return block;
      return {
        ...block,
        ...(block.title === undefined && found.title !== undefined && { title: found.title }),
        ...(block.author === undefined && found.author !== undefined && { author: found.author }),
      };
    }),
  );
}
