/**
 * Wall-clock times in a live page's time zone and the UTC instants they name, with Intl
 * only (no time-zone library): the desk's schedule control and the scheduler's notes use
 * these, so "09:00" means 09:00 where the page is published, in GMT and in BST alike.
 */

/** The wall-clock parts of an instant in `zone`. */
function partsIn(instant: Date, zone: string): Record<string, number> {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  // The literal parts ("/", ", ") come out as NaN under their own key, which nothing reads.
  return Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
}

/** How far `zone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: Date, zone: string): number {
  const p = partsIn(instant, zone);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The UTC instant (ISO 8601) of `date` ("2026-03-29") at `time` ("09:00") on the wall clock
 * of `zone`. A time that the clocks skip (01:30 when BST starts) is read with the offset
 * before the change, so it lands an hour later; a time that happens twice (01:30 when BST
 * ends) is the first of the two. Null when the date or time is malformed or names no day
 * or time (30 February, 24:00).
 */
export function zonedToUtc(date: string, time: string, zone: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  // Date.UTC rolls 13 months or 24:00 over into the next year or day; such a time is malformed.
  if (new Date(wall).toISOString().slice(0, 16) !== `${date}T${time}`) return null;
  // The offsets in force half a day either side: the answer uses one of them.
  const halfDay = 12 * 3600_000;
  const before = wall - offsetAt(new Date(wall - halfDay), zone);
  const after = wall - offsetAt(new Date(wall + halfDay), zone);
  const real = [before, after].filter((c) => wallOf(new Date(c), zone) === wall);
  // In a gap neither is real: the offset before the change moves it forward.
  return new Date(real.length > 0 ? Math.min(...real) : before).toISOString();
}

function wallOf(instant: Date, zone: string): number {
  return instant.getTime() + offsetAt(instant, zone);
}

/** The date ("2026-03-29") and time ("09:00") that `iso` shows on the wall clock of `zone`. */
export function utcToZoned(iso: string, zone: string): { date: string; time: string } {
  const p = partsIn(new Date(iso), zone);
  const two = (n: number | undefined) => String(n ?? 0).padStart(2, '0');
  return {
    date: `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}`,
    time: `${two(p.hour)}:${two(p.minute)}`,
  };
}

/** The zone's name at `iso` as people say it: "Greenwich Mean Time", "British Summer Time". */
export function zoneName(iso: string, zone: string): string {
  const part = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'long' })
    .formatToParts(new Date(iso))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/**
 * "09:00 Greenwich Mean Time, 20 March 2026" (long) or "09:00 Greenwich Mean Time, 20 Mar"
 * (short): an instant as the page's newsroom reads it, in history notes and on the desk.
 */
export function onPageClock(iso: string, zone: string, style: 'long' | 'short' = 'long'): string {
  const { date, time } = utcToZoned(iso, zone);
  const day = new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: style,
    ...(style === 'long' && { year: 'numeric' }),
    timeZone: 'UTC',
  });
  return `${time} ${zoneName(iso, zone)}, ${day}`;
}
