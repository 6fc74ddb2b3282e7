import { DateTime } from 'luxon';

/**
 * Times are stored as UTC instants and shown in the live page's own IANA zone, as the BBC
 * does: "18:10 GMT 20 March", "09:05 BST 1 June". Formatting happens only here.
 */

const FALLBACK_ZONE = 'UTC';

/**
 * Locales tried, in order, for a short zone name. en-GB knows GMT/BST/CET but writes
 * "GMT-5" for New York; en-US knows EST/EDT; en-AU AEST/AEDT; en-IN IST. The first one
 * that gives a name rather than a numeric offset wins.
 */
const ABBREVIATION_LOCALES = ['en-GB', 'en-US', 'en-AU', 'en-IN'] as const;
const NUMERIC_OFFSET = /^(GMT|UTC)[+-−]/;

function inZone(iso: string, timeZone: string): DateTime {
  const local = DateTime.fromISO(iso, { zone: timeZone });
  return local.isValid ? local : DateTime.fromISO(iso, { zone: FALLBACK_ZONE });
}

/** Building an Intl formatter is costly; a page renders many times in few zones. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function shortZoneName(date: Date, timeZone: string, locale: string): string {
  const key = `${locale} ${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' });
    formatters.set(key, formatter);
  }
  const parts = formatter.formatToParts(date);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

/** The zone's short name at that instant: "GMT", "BST", "EDT", or "GMT+5:30" when none exists. */
export function zoneAbbreviation(iso: string, timeZone: string): string {
  const local = inZone(iso, timeZone);
  const zone = local.zoneName ?? FALLBACK_ZONE;
  const date = local.toJSDate();
  let fallback: string | undefined;
  for (const locale of ABBREVIATION_LOCALES) {
    const name = shortZoneName(date, zone, locale);
    if (!NUMERIC_OFFSET.test(name)) return name;
    fallback ??= name;
  }
  return fallback ?? zone;
}

/** "18:10 GMT" — the time of day with the zone's short name. */
export function formatClockTime(iso: string, timeZone: string): string {
  return `${inZone(iso, timeZone).toFormat('HH:mm')} ${zoneAbbreviation(iso, timeZone)}`;
}

/** "20 March" — the local date without the year. */
export function formatDayMonth(iso: string, timeZone: string): string {
  return inZone(iso, timeZone).setLocale('en-GB').toFormat('d LLLL');
}

/** A post's time as the reader sees it: "18:10 GMT 20 March", "09:05 BST 1 June". */
export function formatPostTime(iso: string, timeZone: string): string {
  return `${formatClockTime(iso, timeZone)} ${formatDayMonth(iso, timeZone)}`;
}

/** True when both instants fall on the same calendar day in the zone. */
export function isSameLocalDay(a: string, b: string, timeZone: string): boolean {
  return inZone(a, timeZone).toISODate() === inZone(b, timeZone).toISODate();
}

/** An edit's time: "18:25 GMT", with the date when the edit came on another day. */
export function formatUpdatedTime(
  updatedAt: string,
  publishedAt: string,
  timeZone: string,
): string {
  return isSameLocalDay(updatedAt, publishedAt, timeZone)
    ? formatClockTime(updatedAt, timeZone)
    : formatPostTime(updatedAt, timeZone);
}

/** The normalised UTC ISO string for a `datetime` attribute (the input when unparseable). */
export function isoInstant(iso: string): string {
  const parsed = DateTime.fromISO(iso, { zone: FALLBACK_ZONE });
  return parsed.isValid ? (parsed.toUTC().toISO() ?? iso) : iso;
}

/** The later of several ISO instants (by time, not by string). */
export function latestInstant(first: string, ...rest: string[]): string {
  let best = first;
  let bestMs = Date.parse(first);
  for (const iso of rest) {
    const ms = Date.parse(iso);
    if (ms > bestMs || Number.isNaN(bestMs)) {
      best = iso;
      bestMs = ms;
    }
  }
  return best;
}
