import { DEFAULT_TIME_ZONE, isValidTimeZone, type TextFormatSettings } from '../../domain/page.ts';
import { parseBylines } from './bylines.ts';
import { parseBody } from './body-parse.ts';
import { parseHead } from './head.ts';
import { LineCursor } from './line-cursor.ts';
import { ParseError } from './parse-error.ts';
import { parsePostHeader, type PostHeader } from './post-header.ts';
import { POST_START, isBlank } from './productions.ts';
import { isoDate, toInstant, type LocalDate } from './time-grammar.ts';
import type { DroppedPost, ParseOptions, ParsedCapture, ParsedPost } from './types.ts';
import { YearInference } from './year-inference.ts';

/**
 * capture = head {post}. Posts are cut apart at their numbered lines, then each is read on its
 * own, so partial mode can keep every post that parses and report the one a cut left broken.
 */

/** Zones already checked: building an Intl formatter to check one costs more than a parse. */
const knownZones = new Set<string>();

interface ReadPost {
  header: PostHeader;
  post: Omit<ParsedPost, 'publishedAt'>;
}

/** Reads a BBC live page capture; throws ParseError (with the line) where it breaks the grammar. */
export function parse(text: string, options: ParseOptions = {}): ParsedCapture {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  if (!knownZones.has(timeZone)) {
    if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone: ${timeZone}`);
    knownZones.add(timeZone);
  }
  const captureDate = readCaptureDate(options.captureDate);
  const assumptions: string[] = [];
  const lines = splitLines(text, assumptions);
  const head = parseHead(new LineCursor(lines), assumptions);
  // Where each post starts, and the number its line gives it.
  const starts = lines.flatMap((line, index) => {
    const found = POST_START.exec(line);
    return found ? [{ index, number: Number(found[1]) }] : [];
  });
  const dropped: DroppedPost[] = [];
  const keep = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(options.partial && error instanceof ParseError)) throw error;
      dropped.push({ line: error.line, reason: error.message });
      return undefined;
    }
  };

  const read: ReadPost[] = [];
  let expected = 1;
  for (const [k, { index, number }] of starts.entries()) {
    if (options.partial && number !== expected) {
      assumptions.push(`line ${index + 1}: expected post ${expected}, found post ${number}`);
      expected = number;
    }
    const c = new LineCursor(lines, index, starts[k + 1]?.index ?? lines.length);
    const post = keep(() => readPost(c, timeZone, expected));
    if (post) read.push(post);
    expected += 1;
  }

  const years = new YearInference({ captureDate, year: options.year, timeZone });
  const posts: ParsedPost[] = [];
  for (const { header, post } of read) {
    const publishedAt = keep(() => {
      const day = years.resolve(header.time.date, `post ${header.number}`);
      return instantOf(lines, header, day, timeZone);
    });
    if (publishedAt !== undefined) posts.push({ ...post, publishedAt });
  }
  assumptions.push(...years.assumptions);
  const headers = read.map((r) => r.header);
  const textFormat = recordFormat(headers, head.streamPage !== null, years.undatedDay, assumptions);
  return { ...head, timeZone, textFormat, posts, assumptions, dropped };
}

function readPost(c: LineCursor, timeZone: string, expected: number): ReadPost {
  const header = parsePostHeader(c, timeZone, expected);
  const contributors = parseBylines(c);
  const body = parseBody(c);
  const { headline, labels } = header;
  return { header, post: { headline, labels, contributors, body } };
}

function instantOf(lines: string[], header: PostHeader, day: LocalDate, timeZone: string): string {
  const result = toInstant(day, header.time, timeZone);
  if ('instant' in result) return result.instant;
  throw new ParseError(header.timeLine + 1, lines[header.timeLine], result.error);
}

/** What Windows editors put before UTF-8 text; it is not part of the capture. */
const BYTE_ORDER_MARK = '\uFEFF';

/** Lines of the capture; a byte-order mark, CRLF and trailing blank lines are tolerated and noted. */
function splitLines(text: string, assumptions: string[]): string[] {
  let content = text;
  if (content.startsWith(BYTE_ORDER_MARK)) {
    content = content.slice(BYTE_ORDER_MARK.length);
    assumptions.push('the byte-order mark (U+FEFF) at the start of the capture was ignored');
  }
  const unix = content.replace(/\r\n/g, '\n');
  if (unix !== content) assumptions.push('Windows line endings (CRLF) were read as LF');
  const lines = unix.split('\n');
  let end = lines.length;
  while (end > 1 && isBlank(lines[end - 1] ?? '')) end -= 1;
  if (end < lines.length) assumptions.push('blank lines at the end of the capture were ignored');
  return lines.slice(0, end);
}

function readCaptureDate(value: string | undefined): LocalDate | undefined {
  if (value === undefined) return undefined;
  const [year, month, day] = value.split('-').map(Number);
  const date = { year: year ?? NaN, month: month ?? NaN, day: day ?? NaN };
  const real = new Date(0);
  real.setUTCFullYear(date.year, date.month - 1, date.day);
  // isoDate of the normalised date differs for 2025-02-31 or 2025-13-01, which Date.parse allows.
  const normalised = {
    year: real.getUTCFullYear(),
    month: real.getUTCMonth() + 1,
    day: real.getUTCDate(),
  };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || isoDate(normalised) !== value) {
    throw new RangeError(`captureDate must be a real date as YYYY-MM-DD, not ${value}`);
  }
  return date;
}

/** The capture's own way of writing times, taken from its first post; disagreements are noted. */
function recordFormat(
  headers: PostHeader[],
  streamPageLine: boolean,
  undatedDay: LocalDate | undefined,
  assumptions: string[],
): TextFormatSettings {
  // Whether each dated post writes its year; a post with no date says nothing about it.
  const writesYear = headers.flatMap((h) => (h.time.date ? [h.time.date.year !== undefined] : []));
  const format: TextFormatSettings = {
    zoneStyle: headers[0]?.time.zoneStyle ?? 'long',
    showYear: writesYear[0] ?? false,
    repeatTimeLine: headers[0]?.repeat ?? false,
    streamPageLine,
    captureDate: undatedDay ? isoDate(undatedDay) : null,
  };
  const differs = (what: string, agree: boolean) => {
    if (!agree) assumptions.push(`posts differ in ${what}; an export writes all like the first`);
  };
  differs(
    'zone names (long or short)',
    headers.every((h) => h.time.zoneStyle === format.zoneStyle),
  );
  differs(
    'the second "published at" line',
    headers.every((h) => h.repeat === format.repeatTimeLine),
  );
  differs(
    'writing the year',
    writesYear.every((writes) => writes === format.showYear),
  );
  return format;
}
