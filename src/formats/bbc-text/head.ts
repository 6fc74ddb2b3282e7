import { LIMITS } from '../../domain/limits.ts';
import type { KeyPoint, LeadMedia } from '../../domain/page.ts';
import type { LineCursor } from './line-cursor.ts';
import {
  IMAGE_CAPTION,
  IMAGE_SOURCE,
  KEY_POINT_PREFIX,
  MEDIA_CAPTION,
  POST_START,
  STREAM_PAGE,
  SUMMARY_HEADING,
  isBlank,
  oneLine,
} from './productions.ts';

/**
 * The page head, before the first post:
 *   head        = "Summary" NL blank {key-point} [lead-media] [stream-page]
 *   key-point   = "  • " text NL blank
 *   lead-media  = "Media caption," NL blank [caption NL blank]                 (a video)
 *               | [alt ["Image source, " credit] NL] "Image caption," NL blank caption NL blank
 *   stream-page = "LIVE stream page " N NL blank
 * `Summary` is the first line of every BBC live page capture; input without it is not one.
 */
export interface PageHead {
  summary: KeyPoint[];
  leadMedia: LeadMedia | null;
  streamPage: number | null;
}

/** True for a line that starts something after the lead media (so it cannot be its caption). */
function opensNext(line: string): boolean {
  return STREAM_PAGE.test(line) || POST_START.test(line);
}

/** Reads the page head; leaves the cursor on the first post (or the end). Notes go to `notes`. */
export function parseHead(c: LineCursor, notes: string[] = []): PageHead {
  if (c.peek() !== SUMMARY_HEADING) {
    c.fail(`"${SUMMARY_HEADING}", the first line of a BBC live page capture`);
  }
  c.next();
  c.expectBlankOrEnd('a blank line after "Summary"');
  const summary = parseKeyPoints(c, notes);
  const leadMedia = parseLeadMedia(c);
  const page = STREAM_PAGE.exec(c.peek() ?? '');
  if (page) {
    c.next();
    c.expectBlankOrEnd('a blank line after the stream page line');
  }
  if (!c.done && !POST_START.test(c.peek() ?? '')) {
    c.fail('"Media caption,", "LIVE stream page N" or a numbered post ("  1. Headline...")');
  }
  return { summary, leadMedia, streamPage: page ? Number(page[1]) : null };
}

/** Any line that starts with a bullet, however indented: it was meant as a key point. */
const BULLET_LINE = /^\s*•/;

/**
 * The Summary box's key points: "  • text", each followed by a blank line as the BBC writes
 * them. Points with no blank line between them (how Liveline exported them before) are read
 * too, and noted, since the export writes the BBC's spacing.
 */
function parseKeyPoints(c: LineCursor, notes: string[]): KeyPoint[] {
  const summary: KeyPoint[] = [];
  let packed = false;
  for (let line = c.peek(); line !== undefined && BULLET_LINE.test(line); line = c.peek()) {
    const text = line.startsWith(KEY_POINT_PREFIX) ? line.slice(KEY_POINT_PREFIX.length) : '';
    if (text.trim() === '') {
      c.fail(`a key point: two spaces, a bullet, a space and its text ("${KEY_POINT_PREFIX}Text")`);
    }
    if (text.length > LIMITS.keyPoint || summary.length >= LIMITS.keyPoints) {
      c.fail(
        `a key point of 1 to ${LIMITS.keyPoint} characters, at most ${LIMITS.keyPoints} of them`,
      );
    }
    summary.push({ text });
    c.next();
    if (BULLET_LINE.test(c.peek() ?? '')) packed = true;
    else c.expectBlankOrEnd('a blank line after the key point');
  }
  if (packed) {
    notes.push('key points with no blank line between them were read as one Summary list');
  }
  return summary;
}

function parseLeadMedia(c: LineCursor): LeadMedia | null {
  const first = c.peek();
  if (first === MEDIA_CAPTION) {
    c.next();
    c.expectBlankOrEnd('a blank line after "Media caption,"');
    return { kind: 'video', caption: caption(c) };
  }
  if (first === undefined || isBlank(first) || opensNext(first)) return null;
  const describedFirst = first !== IMAGE_CAPTION;
  if (describedFirst && c.peek(1) !== IMAGE_CAPTION) return null;
  if (describedFirst) c.next();
  c.next();
  c.expectBlankOrEnd('a blank line after "Image caption,"');
  const text = caption(c);
  if (!describedFirst) return { kind: 'image', caption: text };
  const source = first.lastIndexOf(IMAGE_SOURCE);
  const alt = source >= 0 ? first.slice(0, source) : first;
  const credit = source >= 0 ? first.slice(source + IMAGE_SOURCE.length) : undefined;
  return {
    kind: 'image',
    caption: text,
    ...(alt === '' ? {} : { alt }),
    ...(credit === undefined ? {} : { credit }),
  };
}

/** A lead caption line and its blank; an empty caption has no line. */
function caption(c: LineCursor): string {
  const line = c.peek();
  if (line === undefined || isBlank(line) || opensNext(line)) return '';
  c.next();
  c.expectBlankOrEnd('a blank line after the caption');
  return line;
}

/** The lines of the page head, each block followed by its blank line. */
export function renderHead(head: {
  summary: readonly KeyPoint[];
  leadMedia: LeadMedia | null;
  pageNumber: number | null;
  streamPageLine: boolean;
}): string[] {
  const lines = [SUMMARY_HEADING, ''];
  for (const point of head.summary) {
    // A blank point has nothing to show (and "  • " alone would not read back).
    if (point.text.trim() !== '') lines.push(KEY_POINT_PREFIX + oneLine(point.text), '');
  }
  const media = head.leadMedia;
  const captionLines = media && media.caption.trim() !== '' ? [oneLine(media.caption), ''] : [];
  if (media?.kind === 'video') lines.push(MEDIA_CAPTION, '', ...captionLines);
  if (media?.kind === 'image') {
    const credit = media.credit === undefined ? '' : IMAGE_SOURCE + oneLine(media.credit);
    const described = oneLine(media.alt ?? '') + credit;
    if (described.trim() !== '') lines.push(described);
    lines.push(IMAGE_CAPTION, '', ...captionLines);
  }
  if (head.streamPageLine) lines.push(`LIVE stream page ${head.pageNumber ?? 1}`, '');
  return lines;
}
