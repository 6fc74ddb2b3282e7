import { LivelineError } from '../../domain/errors.ts';

/** Long lines are clipped in messages so an error stays readable in a log or a problem+json. */
const MAX_QUOTED = 120;

/**
 * A capture that does not follow the grammar. It says which line (1-based), what that line
 * holds and what the grammar expected there. It is a VALIDATION_FAILED error, so the import
 * endpoint reports it like any other bad input, with the line in `problems`.
 */
export class ParseError extends LivelineError {
  readonly line: number;
  /** The offending line, or null when the capture ended where more was expected. */
  readonly lineText: string | null;
  readonly expected: string;

  constructor(line: number, lineText: string | undefined, expected: string) {
    const found = lineText === undefined ? 'the end of the capture' : quote(lineText);
    const detail = `line ${line}: expected ${expected}, found ${found}`;
    super('VALIDATION_FAILED', detail, {
      problems: [{ field: '/text', reason: detail }],
      extra: { line, expected },
    });
    this.name = 'ParseError';
    this.line = line;
    this.lineText = lineText ?? null;
    this.expected = expected;
  }
}

/**
 * Characters that print as nothing or as a plain space (a byte-order mark, zero-width spaces,
 * direction marks, a no-break space): an error quoting them must show them, or the line it
 * quotes looks exactly like a correct one.
 */
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}\u00A0]/gu;

function quote(text: string): string {
  const clipped = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return JSON.stringify(clipped).replace(
    INVISIBLE,
    (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}
