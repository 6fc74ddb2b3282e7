import { LIMITS } from '../../domain/limits.ts';
import type { TextFormatSettings } from '../../domain/page.ts';
import { normaliseLabels, type Label } from '../../domain/post.ts';
import type { LineCursor } from './line-cursor.ts';
import {
  BODY_INDENT,
  KNOWN_LABELS,
  LEADING_LABELS,
  POST_INDENT,
  POST_START,
  PUBLISHED_AT,
  labelOf,
  labelText,
  oneLine,
} from './productions.ts';
import {
  formatTime,
  matchRepeatLine,
  sameStamp,
  splitHeader,
  type HeaderTime,
} from './time-grammar.ts';

/**
 * The top of a post:
 *   post-top   = "  " N ". " (header | label NL blank {"    " label NL blank} "    " header) NL
 *                {"    " (label | repeat) NL} (blank | next post | end)
 *   header     = headline "published at " HH ":" MM " " zone [" " D " " Month [" " YYYY]]
 *   repeat     = "published at " HH ":" MM [" " D " " Month [" " YYYY]]
 * Labels may come before the headline (the BBC's `Analysis`) or after the time lines (its
 * `Breaking`, written again after the second line); a post's labels are the set of both.
 */
export interface PostHeader {
  number: number;
  headline: string;
  time: HeaderTime;
  labels: Label[];
  /** Whether the zone-less second `published at` line was there. */
  repeat: boolean;
  /** 0-based index of the line holding the time, for errors found later. */
  timeLine: number;
}

const HEADER_SHAPE = `a headline ending "published at HH:MM <zone> [D Month [YYYY]]"`;

/** Reads a post's numbered line, labels and time lines; `expected` is its post number. */
export function parsePostHeader(c: LineCursor, timeZone: string, expected: number): PostHeader {
  const start = POST_START.exec(c.peek() ?? '');
  const number = Number(start?.[1]);
  if (number !== expected) c.fail(`post number ${expected} ("  ${expected}. ...")`);
  let text = start?.[2];
  const labels: Label[] = [];
  for (;;) {
    if (text === undefined) {
      c.fail(
        labels.length === 0
          ? `${HEADER_SHAPE} after the post number`
          : `${HEADER_SHAPE}, indented by four spaces`,
      );
    }
    const header = splitHeader(text, timeZone);
    if (header) return finishHeader(c, timeZone, { number, labels, ...header, timeLine: c.index });
    const label = labelOf(text);
    if (label === undefined) c.fail(`${HEADER_SHAPE}, or a label (${KNOWN_LABELS})`);
    labels.push(label);
    c.next();
    if (!c.isBlank()) c.fail('a blank line after the label');
    c.next();
    text = c.content();
  }
}

function finishHeader(
  c: LineCursor,
  timeZone: string,
  header: Omit<PostHeader, 'repeat'>,
): PostHeader {
  if (header.headline.length > LIMITS.headline) {
    c.fail(`a headline of at most ${LIMITS.headline} characters`);
  }
  c.next();
  let repeat = false;
  while (!c.done && !c.isBlank()) {
    const text = c.content();
    if (text === undefined) c.fail('a line indented by four spaces after the post time');
    const label = labelOf(text);
    const again = label === undefined ? matchRepeatLine(text) : undefined;
    if (label !== undefined) header.labels.push(label);
    else if (again && sameStamp(again, header.time)) repeat = true;
    else if (again) c.fail('a second "published at" line with the same time and date as the first');
    else c.fail(`a label (${KNOWN_LABELS}), the second "published at" line, or a blank line`);
    c.next();
  }
  c.expectBlankOrEnd('a blank line after the post time');
  return { ...header, labels: normaliseLabels(header.labels), repeat };
}

/** The lines of a post's top, ending with the blank line before its bylines and body. */
export function renderPostHeader(
  post: { headline: string; publishedAt: string; labels: readonly Label[] },
  number: number,
  timeZone: string,
  format: TextFormatSettings,
): string[] {
  const labels = normaliseLabels(post.labels);
  const leading = labels.filter((label) => LEADING_LABELS.includes(label)).map(labelText);
  const trailing = labels.filter((label) => !LEADING_LABELS.includes(label)).map(labelText);
  const time = formatTime(post.publishedAt, timeZone, format);
  const header = `${oneLine(post.headline)}${PUBLISHED_AT}${time.header}`;
  const [first, ...others] = [...leading, header];
  const lines = [`${POST_INDENT}${number}. ${first ?? ''}`];
  for (const line of others) lines.push('', BODY_INDENT + line);
  lines.push(...trailing.map((label) => BODY_INDENT + label));
  if (format.repeatTimeLine) {
    lines.push(BODY_INDENT + PUBLISHED_AT + time.repeat);
    lines.push(...trailing.map((label) => BODY_INDENT + label));
  }
  lines.push('');
  return lines;
}
