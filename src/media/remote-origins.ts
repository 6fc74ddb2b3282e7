import type { Block, Body } from '../domain/blocks.ts';
import type { FieldProblem } from '../domain/errors.ts';
import type { LeadMedia } from '../domain/page.ts';

/** MEDIA_REMOTE_ORIGINS when unset: any https address (ADR 0020). */
export const DEFAULT_REMOTE_ORIGINS: readonly string[] = ['https:'];

/**
 * Whether a picture or video address may be shown under the CSP these origins make: a path
 * on this site always; an absolute address when its origin is listed, or any https one
 * under `https:`. The same rule as the browser's `img-src`/`media-src`, checked at publish.
 */
export function remoteSrcAllowed(src: string, origins: readonly string[]): boolean {
  if (src.startsWith('/')) return true;
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return false;
  }
  return origins.some((origin) =>
    origin === 'https:' ? url.protocol === 'https:' : url.origin === origin.toLowerCase(),
  );
}

function allowedList(origins: readonly string[]): string {
  if (origins.length === 0) return 'none: MEDIA_REMOTE_ORIGINS allows no remote address';
  return origins.map((o) => (o === 'https:' ? 'any https address' : o)).join(', ');
}

/** One problem naming the field and the allowed origins, or none. */
function srcProblem(
  src: string | undefined,
  field: string,
  origins: readonly string[],
): FieldProblem[] {
  if (src === undefined || remoteSrcAllowed(src, origins)) return [];
  const reason =
    `"${src}" is not from an origin pictures and videos may come from ` +
    `(${allowedList(origins)}); upload the picture, or use an address on an allowed origin`;
  return [{ field, reason }];
}

function blockProblems(block: Block, at: string, origins: readonly string[]): FieldProblem[] {
  switch (block.type) {
    case 'image':
      return srcProblem(block.src, `${at}/src`, origins);
    case 'video':
      return [
        ...srcProblem(block.src, `${at}/src`, origins),
        ...srcProblem(block.poster, `${at}/poster`, origins),
      ];
    case 'gallery':
      return block.images.flatMap((image, i) =>
        srcProblem(image.src, `${at}/images/${i}/src`, origins),
      );
    default:
      return [];
  }
}

/**
 * The pictures, videos and posters of a body whose address the CSP would block (none are
 * checked among `kept`: blocks the post already had, such as an imported capture's).
 */
export function remoteBodyProblems(
  body: Body,
  origins: readonly string[],
  kept: ReadonlySet<string>,
  at: string,
): FieldProblem[] {
  return body.flatMap((block, index) =>
    kept.has(JSON.stringify(block)) ? [] : blockProblems(block, `${at}/${index}`, origins),
  );
}

/** The same for a page's lead media (its address and a video's poster). */
export function remoteLeadProblems(media: LeadMedia, origins: readonly string[]): FieldProblem[] {
  return [
    ...srcProblem(media.src, '/leadMedia/src', origins),
    ...srcProblem(media.poster, '/leadMedia/poster', origins),
  ];
}
