import { DateTime } from 'luxon';
import { MONTHS } from './productions.ts';
import { isoDate, type DatePart, type LocalDate } from './time-grammar.ts';

/**
 * Which day each post is from. A capture writes `20 March` (no year), `22 November 2023`, or no
 * date at all (the capture's own day). Posts run newest first, so each yearless date takes the
 * year that puts it nearest to the post above it, never after the capture date: `31 December`
 * under `2 January 2025` is 2024, while a pinned older post at the top shifts nothing.
 */
export interface YearContext {
  /** The capture's local date, when known (options.captureDate). */
  captureDate: LocalDate | undefined;
  /** The year of the capture's newest posts, when known (options.year). */
  year: number | undefined;
  timeZone: string;
}

const DAY_MS = 86_400_000;

function dayNumber(date: LocalDate): number {
  const at = new Date(0);
  at.setUTCFullYear(date.year, date.month - 1, date.day);
  return Math.round(at.getTime() / DAY_MS);
}

function describe(date: DatePart): string {
  return `${date.day} ${MONTHS[date.month - 1] ?? '?'}`;
}

/** Resolves post dates one post at a time, newest first, noting every assumption it makes. */
export class YearInference {
  readonly assumptions: string[] = [];
  /** The date given to posts that carry none; set the first time one is met. */
  undatedDay: LocalDate | undefined;
  private previous: LocalDate | undefined;
  private readonly context: YearContext;
  private yearNoted = false;

  constructor(context: YearContext) {
    this.context = context;
  }

  /** The local date of the next post down the page; `post` names it in assumptions. */
  resolve(date: DatePart | undefined, post: string): LocalDate {
    const resolved = date === undefined ? this.captureDay() : this.dated(date, post);
    this.previous = resolved;
    return resolved;
  }

  private captureDay(): LocalDate {
    if (this.undatedDay) return this.undatedDay;
    const given = this.context.captureDate;
    if (given) {
      this.assumptions.push(`posts without a date are from the capture date, ${isoDate(given)}`);
      this.undatedDay = given;
    } else {
      const today = DateTime.now().setZone(this.context.timeZone);
      this.undatedDay = { year: today.year, month: today.month, day: today.day };
      this.assumptions.push(
        `posts without a date are taken to be from today, ${isoDate(this.undatedDay)} (no capture date was given)`,
      );
    }
    return this.undatedDay;
  }

  private dated(date: DatePart, post: string): LocalDate {
    if (date.year !== undefined) return { year: date.year, month: date.month, day: date.day };
    const reference = this.previous ?? this.context.captureDate;
    if (!reference) return { ...date, year: this.startingYear() };
    if (!this.previous && !this.yearNoted) {
      this.yearNoted = true;
      this.assumptions.push(
        `dates without a year are read nearest to the capture date, ${isoDate(reference)}`,
      );
    }
    // Never after the capture's day: the capture date, or the day undated posts were given.
    const captured = this.context.captureDate ?? this.undatedDay;
    const limit = captured && dayNumber(captured);
    let best: LocalDate | undefined;
    for (const year of [reference.year - 1, reference.year, reference.year + 1]) {
      const candidate = { year, month: date.month, day: date.day };
      if (limit !== undefined && dayNumber(candidate) > limit) continue;
      const distance = Math.abs(dayNumber(candidate) - dayNumber(reference));
      if (!best || distance < Math.abs(dayNumber(best) - dayNumber(reference))) best = candidate;
    }
    const chosen = best ?? { ...date, year: reference.year - 1 };
    if (chosen.year !== reference.year) {
      const above = this.previous ? 'the post above it' : 'the capture date';
      this.assumptions.push(
        `${post}: ${describe(date)} is read as ${chosen.year}, nearest to ${above} (${isoDate(reference)})`,
      );
    }
    return chosen;
  }

  private startingYear(): number {
    const given = this.context.year;
    const year = given ?? DateTime.now().setZone(this.context.timeZone).year;
    if (!this.yearNoted) {
      this.yearNoted = true;
      this.assumptions.push(
        given === undefined
          ? `dates without a year are read as ${year}, the current year (no year or capture date was given)`
          : `dates without a year are read as ${year}, the year given`,
      );
    }
    return year;
  }
}
