import { DateTime, IANAZone } from 'luxon';
import type { TextFormatSettings } from '../../domain/page.ts';
import { MONTHS } from './productions.ts';

/**
 * Times as the capture writes them: `18:10 Greenwich Mean Time 20 March` on the post line and
 * `18:10 20 March` on the optional second line. The zone name says which offset was in force,
 * so the hour that happens twice when the clocks go back is still read exactly.
 */

export interface DatePart {
  day: number;
  /** 1 to 12. */
  month: number;
  year: number | undefined;
}

export interface Stamp {
  hour: number;
  minute: number;
  /** Undefined when the capture writes no date: the post is from the capture's day. */
  date: DatePart | undefined;
}

export interface HeaderTime extends Stamp {
  zoneName: string;
  zoneStyle: TextFormatSettings['zoneStyle'];
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const DATE_PATTERN = `(?: (\\d{1,2}) (${MONTHS.join('|')})(?: (\\d{4}))?)?`;
const REPEAT_LINE = new RegExp(`^published at (\\d{2}):(\\d{2})${DATE_PATTERN}$`);
const HEADER_MARK = 'published at ';

interface ZoneVocabulary {
  long: Set<string>;
  tail: RegExp;
}
const vocabularies = new Map<string, ZoneVocabulary>();

/** The names a zone's offsets have had since 1970 (British English), and the regex for them. */
function vocabulary(timeZone: string): ZoneVocabulary {
  const known = vocabularies.get(timeZone);
  if (known) return known;
  const long = new Set<string>();
  const short = new Set<string>();
  // January and July of every year catch both halves of daylight saving, north and south.
  for (let year = 1970; year <= 2060; year++) {
    for (const month of [1, 7]) {
      const names = zoneNamesAt(Date.UTC(year, month - 1, 1), timeZone);
      long.add(names.long);
      short.add(names.short);
    }
  }
  const alternatives = [...new Set([...long, ...short])]
    .filter((name) => name !== '')
    .sort((a, b) => b.length - a.length)
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const tail = new RegExp(`^(\\d{2}):(\\d{2}) (${alternatives.join('|')})${DATE_PATTERN}$`);
  const made = { long, tail };
  vocabularies.set(timeZone, made);
  return made;
}

const formatters = new Map<string, { long: Intl.DateTimeFormat; short: Intl.DateTimeFormat }>();

/** The long and short British English names of the zone's offset at an instant. */
function zoneNamesAt(epochMs: number, timeZone: string): { long: string; short: string } {
  let pair = formatters.get(timeZone);
  if (!pair) {
    // Luxon's offsetNameLong builds a formatter per call; these are cached per zone.
    const make = (timeZoneName: 'long' | 'short') =>
      new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName });
    pair = { long: make('long'), short: make('short') };
    formatters.set(timeZone, pair);
  }
  const name = (format: Intl.DateTimeFormat) =>
    format.formatToParts(epochMs).find((part) => part.type === 'timeZoneName')?.value ?? '';
  return { long: name(pair.long), short: name(pair.short) };
}

function clock(hourText: string, minuteText: string): { hour: number; minute: number } | null {
  const hour = Number(hourText);
  const minute = Number(minuteText);
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

/** Day and month are one optional group of the pattern: both are there, or neither. */
function datePart(day?: string, month?: string, year?: string): DatePart | undefined {
  if (month === undefined) return undefined;
  const index = MONTHS.indexOf(month as (typeof MONTHS)[number]);
  return {
    day: Number(day),
    month: index + 1,
    year: year === undefined ? undefined : Number(year),
  };
}

/**
 * Splits `Headlinepublished at 18:10 Greenwich Mean Time 20 March` into headline and time. The
 * time follows the LAST `published at`, so a headline may quote the phrase; an earlier one
 * never could, as the text after it holds the later one, which no time or zone contains.
 */
export function splitHeader(
  text: string,
  timeZone: string,
): { headline: string; time: HeaderTime } | undefined {
  const { long, tail } = vocabulary(timeZone);
  const at = text.lastIndexOf(HEADER_MARK);
  if (at < 0) return undefined;
  const match = tail.exec(text.slice(at + HEADER_MARK.length));
  const time = match && clock(match[1]!, match[2]!);
  if (!match || !time) return undefined;
  const zoneName = match[3]!;
  const zoneStyle = long.has(zoneName) ? 'long' : 'short';
  const date = datePart(match[4], match[5], match[6]);
  return { headline: text.slice(0, at), time: { ...time, date, zoneName, zoneStyle } };
}

/** Reads the second, zone-less line: `published at 18:10 20 March`. */
export function matchRepeatLine(text: string): Stamp | undefined {
  const match = REPEAT_LINE.exec(text);
  const time = match && clock(match[1]!, match[2]!);
  return match && time ? { ...time, date: datePart(match[3], match[4], match[5]) } : undefined;
}

/** True when the second line says the same time and date as the first. */
export function sameStamp(a: Stamp, b: Stamp): boolean {
  const sameDate =
    a.date === undefined || b.date === undefined
      ? a.date === b.date
      : a.date.day === b.date.day && a.date.month === b.date.month && a.date.year === b.date.year;
  return a.hour === b.hour && a.minute === b.minute && sameDate;
}

/** Writes a date as the capture does: `20 March 2025`. */
function formatDate(date: LocalDate): string {
  return `${date.day} ${MONTHS[date.month - 1] ?? '?'} ${String(date.year).padStart(4, '0')}`;
}

/**
 * The UTC instant of a local time in the page's zone, using the zone name to choose between
 * the two candidates of the hour the clocks go back. Returns an error message when the name
 * was not in force then (e.g. `Greenwich Mean Time` on 1 June in London) or the day is unreal.
 */
export function toInstant(
  date: LocalDate,
  time: HeaderTime,
  timeZone: string,
): { instant: string } | { error: string } {
  const key = `${timeZone}|${isoDate(date)}|${time.hour}:${time.minute}|${time.zoneName}`;
  return memo(instants, key, () => computeInstant(date, time, timeZone));
}

/**
 * Zone lookups go through Intl and cost tens of microseconds each; a capture repeats the same
 * few days and times, so results are remembered (bounded, so a long-running server stays small).
 */
const MEMO_LIMIT = 5_000;
const instants = new Map<string, { instant: string } | { error: string }>();
const formatted = new Map<string, { header: string; repeat: string }>();

function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const known = cache.get(key);
  if (known !== undefined) return known;
  if (cache.size >= MEMO_LIMIT) cache.clear();
  const value = compute();
  cache.set(key, value);
  return value;
}

function computeInstant(
  date: LocalDate,
  time: HeaderTime,
  timeZone: string,
): { instant: string } | { error: string } {
  const naive = new Date(0);
  naive.setUTCFullYear(date.year, date.month - 1, date.day);
  naive.setUTCHours(time.hour, time.minute, 0, 0);
  // A day past the month's end (or 0) rolls over to another day of another month.
  if (naive.getUTCDate() !== date.day) {
    return { error: `a real date (there is no ${formatDate(date)})` };
  }
  const zone = IANAZone.create(timeZone);
  const local = naive.getTime();
  const day = 86_400_000;
  const offsets = new Set([local - day, local, local + day].map((t) => zone.offset(t)));
  const inForce: string[] = [];
  for (const offset of offsets) {
    const instant = local - offset * 60_000;
    if (zone.offset(instant) !== offset) continue;
    const names = zoneNamesAt(instant, timeZone);
    if (names.long === time.zoneName || names.short === time.zoneName) {
      return { instant: new Date(instant).toISOString() };
    }
    inForce.push(names.long);
  }
  const when = `${pad(time.hour)}:${pad(time.minute)} on ${formatDate(date)}`;
  return inForce.length === 0
    ? { error: `a time that exists in ${timeZone} (${when} falls in the hour the clocks skip)` }
    : { error: `the zone in force in ${timeZone} at ${when}: ${inForce.join(' or ')}` };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The local date of an instant in a zone. */
export function localDateOf(instant: string, timeZone: string): LocalDate {
  const at = DateTime.fromISO(instant, { zone: timeZone });
  if (!at.isValid) throw new RangeError(`not an ISO 8601 instant: ${instant}`);
  return { year: at.year, month: at.month, day: at.day };
}

/** ISO `YYYY-MM-DD` of a local date. */
export function isoDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${pad(date.month)}-${pad(date.day)}`;
}

/**
 * The two ways a post's time is written: after the headline (`18:10 Greenwich Mean Time 20
 * March`) and on the optional second line (`18:10 20 March`). A post on the capture date has no
 * date; seconds are not written, so they are lost.
 */
export function formatTime(
  instant: string,
  timeZone: string,
  format: TextFormatSettings,
): { header: string; repeat: string } {
  const { zoneStyle, showYear, captureDate } = format;
  const key = `${instant}|${timeZone}|${zoneStyle}|${showYear}|${captureDate}`;
  return memo(formatted, key, () => computeTime(instant, timeZone, format));
}

function computeTime(
  instant: string,
  timeZone: string,
  format: TextFormatSettings,
): { header: string; repeat: string } {
  const at = DateTime.fromISO(instant, { zone: timeZone });
  if (!at.isValid) throw new RangeError(`publishedAt is not an ISO 8601 instant: ${instant}`);
  const clockText = `${pad(at.hour)}:${pad(at.minute)}`;
  // The same names the parser accepts, so what is written can always be read back.
  const names = zoneNamesAt(at.toMillis(), timeZone);
  const zoneName = format.zoneStyle === 'long' ? names.long : names.short;
  const local = { year: at.year, month: at.month, day: at.day };
  const full = formatDate(local);
  const dateText =
    isoDate(local) === format.captureDate
      ? ''
      : ` ${format.showYear ? full : full.slice(0, full.lastIndexOf(' '))}`;
  return { header: `${clockText} ${zoneName}${dateText}`, repeat: `${clockText}${dateText}` };
}
