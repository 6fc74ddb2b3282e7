import type { Inline } from '../../domain/blocks.ts';
import { oneLine } from './productions.ts';
import { UNKNOWN_LINK_HREF } from '../../domain/blocks.ts';

/**
 * Inline runs in the capture. The text is plain: bold and italic leave no trace, and a link
 * shows only as its text, followed by `, external` when it leads to another site (the BBC's
 * visually hidden label). Internal links are therefore invisible and read back as text.
 */

/**
 * A capture never says where a link went, but LinkRun needs an http(s) href. Imported links
 * point here: the `.invalid` top-level domain is reserved (RFC 2606) and never resolves, so the
 * address is honest that the destination is unknown, and an editor can find and fix them.
 */

export const EXTERNAL_MARK = ', external';
/** The mark counts only where a word does not go on (`, externally` is text). */
const MARK = /, external(?![\p{L}\p{N}_])/gu;
/**
 * Where a link's text may start: the capture cannot say, so the link text is the last clause
 * before the mark, i.e. everything after the last `. , ; : ! ?` + space, spaced dash, or
 * opening bracket or curly quote (or the start of the line, or the previous link).
 */
const CLAUSE_START = /(?:[.,;:!?] |\s[-–—]\s|[([{“‘])/gu;

function clauseStart(segment: string): number {
  let start = 0;
  for (const match of segment.matchAll(CLAUSE_START)) start = match.index + match[0].length;
  return start;
}

/** Reads a line of text into runs: text, and external links found by their `, external` mark. */
export function parseInline(text: string): Inline[] {
  const runs: Inline[] = [];
  const pushText = (part: string) => {
    if (part !== '') runs.push({ type: 'text', text: part });
  };
  let emitted = 0;
  let segmentStart = 0;
  for (const match of text.matchAll(MARK)) {
    const segment = text.slice(segmentStart, match.index);
    // Spaces before a clause belong to the text, not to the link.
    const start = segment.length - segment.slice(clauseStart(segment)).trimStart().length;
    const linkText = segment.slice(start);
    if (linkText !== '') {
      pushText(text.slice(emitted, segmentStart + start));
      runs.push({ type: 'link', text: linkText, href: UNKNOWN_LINK_HREF, external: true });
      emitted = match.index + match[0].length;
    }
    // A mark with no words before it (`: , external`) stays text. Either way the next link
    // starts after this mark, so no text is scanned twice.
    segmentStart = match.index + match[0].length;
  }
  pushText(text.slice(emitted));
  return runs;
}

/** Writes runs as one line: formatting dropped, external links marked, line breaks as spaces. */
export function renderInline(runs: readonly Inline[]): string {
  return runs
    .map((run) =>
      run.type === 'link' && run.external
        ? `${oneLine(run.text)}${EXTERNAL_MARK}`
        : oneLine(run.text),
    )
    .join('');
}
