import { LIMITS } from '../../domain/limits.ts';
import type { Contributor } from '../../domain/post.ts';
import type { LineCursor } from './line-cursor.ts';
import { BODY_INDENT, classifyBodyLine, oneLine } from './productions.ts';
import { EXTERNAL_MARK } from './inline.ts';

/**
 * Bylines open a post's body, each followed by a blank line:
 *   byline      = name-role | attribution
 *   name-role   = name-line NL role-line NL blank      ("Rich Preston" / "BBC News")
 *   attribution = ("By " name | desk) NL blank          ("By Phil Leake", "BBC Monitoring")
 * Nothing marks them as bylines, so they are known by their shape: a name and a role are short
 * and do not end like a sentence; a lone line is a byline only as `By Name Name` or `BBC Desk`.
 */

/** Sentence-final punctuation: a line ending with it is prose, not a name or a role. */
const SENTENCE_END = /[.!?…:;"”’]$/u;
const NAME_WORD = "\\p{Lu}[\\p{L}\\p{M}'’.-]*";
const LAST_NAME_WORD = "\\p{Lu}(?:[\\p{L}\\p{M}'’-]*[\\p{L}\\p{M}])?";
/** `By Phil Leake`: up to five capitalised words, the last ending in a letter. */
const BY_LINE = new RegExp(`^By ((?:${NAME_WORD} ){0,4}${LAST_NAME_WORD})$`, 'u');
/** A BBC desk that signs posts without a person's name: `BBC Monitoring`, `BBC Verify`. */
const DESK_LINE = /^BBC(?: \p{Lu}[\p{L}\p{M}]*){1,3}$/u;

function bylineShaped(text: string | undefined, maxLength: number): text is string {
  return (
    text !== undefined &&
    text.trim() !== '' &&
    text.length <= maxLength &&
    !SENTENCE_END.test(text) &&
    !text.includes(EXTERNAL_MARK) &&
    classifyBodyLine(text).kind === 'plain'
  );
}

/** The name an attribution line gives, or undefined if the line is not one. */
function attributionName(text: string | undefined): string | undefined {
  if (text === undefined || text.length > LIMITS.contributorName + 3) return undefined;
  if (DESK_LINE.test(text)) return text;
  return BY_LINE.exec(text)?.[1];
}

/** Reads the bylines at the start of a post's body (the header's blank line already taken). */
export function parseBylines(c: LineCursor): Contributor[] {
  const contributors: Contributor[] = [];
  for (;;) {
    const start = c.index;
    const name = c.content(0);
    const role = c.content(1);
    if (
      bylineShaped(name, LIMITS.contributorName) &&
      bylineShaped(role, LIMITS.contributorRole) &&
      c.isBlankOrEnd(2)
    ) {
      contributors.push({ name, role });
      c.index += 2;
    } else {
      const single = attributionName(name);
      if (single === undefined || !c.isBlankOrEnd(1)) break;
      contributors.push({ name: single });
      c.index += 1;
    }
    c.skipBlanks();
    if (contributors.length > LIMITS.contributors) {
      c.fail(`at most ${LIMITS.contributors} bylines on a post`, start - c.index);
    }
  }
  return contributors;
}

/** The lines of a post's bylines: name and role, or one attribution line; each then a blank. */
export function renderBylines(contributors: readonly { name: string; role?: string }[]): string[] {
  const lines: string[] = [];
  for (const { name, role } of contributors) {
    const shown = oneLine(name);
    if (role !== undefined && role.trim() !== '')
      lines.push(BODY_INDENT + shown, BODY_INDENT + oneLine(role));
    else lines.push(BODY_INDENT + (DESK_LINE.test(shown) ? shown : `By ${shown}`));
    lines.push('');
  }
  return lines;
}
