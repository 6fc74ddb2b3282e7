import { ParseError } from './parse-error.ts';
import { BODY_INDENT, isBlank } from './productions.ts';

/**
 * A position in the capture's lines, limited to one region (the page head, or one post). Line
 * numbers in errors are 1-based, counted from the start of the whole capture.
 */
export class LineCursor {
  readonly lines: readonly string[];
  index: number;
  readonly end: number;

  constructor(lines: readonly string[], index = 0, end = lines.length) {
    this.lines = lines;
    this.index = index;
    this.end = end;
  }

  /** True when the region has no more lines. */
  get done(): boolean {
    return this.index >= this.end;
  }

  /** True when this region runs to the end of the capture (no post follows it). */
  get atCaptureEnd(): boolean {
    return this.end >= this.lines.length;
  }

  /** The line `ahead` lines on, or undefined past the end of the region. */
  peek(ahead = 0): string | undefined {
    const at = this.index + ahead;
    return at < this.end ? this.lines[at] : undefined;
  }

  /** The content of a body line (four-space indent removed), or undefined if it has none. */
  content(ahead = 0): string | undefined {
    const line = this.peek(ahead);
    return line !== undefined && line.startsWith(BODY_INDENT) && !isBlank(line)
      ? line.slice(BODY_INDENT.length)
      : undefined;
  }

  /** Takes the current line. */
  next(): string {
    const line = this.peek();
    if (line === undefined) this.fail('more lines');
    this.index += 1;
    return line;
  }

  /** The 1-based line number of the line `ahead` lines on. */
  lineNumber(ahead = 0): number {
    return this.index + ahead + 1;
  }

  /** True when the line `ahead` on is blank. */
  isBlank(ahead = 0): boolean {
    const line = this.peek(ahead);
    return line !== undefined && isBlank(line);
  }

  /**
   * True when the line `ahead` on is blank or the capture ends there: a capture has no final
   * line break, so its end stands for the blank line that would otherwise close the last block.
   */
  isBlankOrEnd(ahead = 0): boolean {
    return this.isBlank(ahead) || (this.peek(ahead) === undefined && this.atCaptureEnd);
  }

  /** Skips blank lines. */
  skipBlanks(): void {
    while (this.isBlank()) this.index += 1;
  }

  /** Takes one blank line (or accepts the end of the region), else fails with `expected`. */
  expectBlankOrEnd(expected: string): void {
    if (this.isBlank()) this.index += 1;
    else if (!this.done) this.fail(expected);
  }

  /** Throws a ParseError about the line `ahead` on. */
  fail(expected: string, ahead = 0): never {
    // Past the region's end the next line is the next post's first line: show that one.
    throw new ParseError(this.lineNumber(ahead), this.lines[this.index + ahead], expected);
  }
}
