import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { YearInference, type YearContext } from './year-inference.ts';
import { isoDate, type DatePart, type LocalDate } from './time-grammar.ts';

/**
 * Which day each post is from, and the notes the import shows the editor about it: a newsroom
 * reads these notes to check a capture's dates before publishing it, so each is asserted whole,
 * once, in order.
 */

const d = (day: number, month: number, year?: number): DatePart => ({ day, month, year });
const local = (iso: string): LocalDate => {
  const [year = NaN, month = NaN, day = NaN] = iso.split('-').map(Number);
  return { year, month, day };
};

function resolveAll(dates: (DatePart | undefined)[], context: Partial<YearContext>) {
  const years = new YearInference({
    captureDate: undefined,
    year: undefined,
    timeZone: 'Europe/London',
    ...context,
  });
  const resolved = dates.map((date, i) => isoDate(years.resolve(date, `post ${i + 1}`)));
  return { resolved, notes: years.assumptions, undatedDay: years.undatedDay };
}

/** Today's date in London, as YYYY-MM-DD. */
function londonToday(at = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);
}

describe('posts without a date', { timeout: 10_000 }, () => {
  test('are all from the capture date, noted once', () => {
    const { resolved, notes, undatedDay } = resolveAll([undefined, undefined, d(20, 3)], {
      captureDate: local('2025-03-21'),
    });
    assert.deepEqual(resolved, ['2025-03-21', '2025-03-21', '2025-03-20']);
    assert.deepEqual(notes, ['posts without a date are from the capture date, 2025-03-21']);
    assert.equal(isoDate(undatedDay ?? local('')), '2025-03-21');
  });

  test('with no capture date are from today in the page’s zone, noted once', () => {
    const today = londonToday();
    const { resolved, notes, undatedDay } = resolveAll([undefined, undefined], { year: 2019 });
    assert.deepEqual(resolved, [today, today]);
    assert.deepEqual(notes, [
      `posts without a date are taken to be from today, ${today} (no capture date was given)`,
    ]);
    assert.equal(isoDate(undatedDay ?? local('')), today);
  });

  test('with no capture date, a yearless date below today’s posts is not put in the future', () => {
    // Tomorrow's day and month, under a post from today: it can only be last year's.
    let tomorrow = new Date(Date.now() + 86_400_000);
    if (londonToday(tomorrow).endsWith('-02-29')) tomorrow = new Date(Date.now() + 2 * 86_400_000);
    const next = local(londonToday(tomorrow));
    const { resolved } = resolveAll([undefined, d(next.day, next.month)], {});
    assert.equal(resolved[1], isoDate({ ...next, year: next.year - 1 }));
  });
});

describe('dates without a year', { timeout: 10_000 }, () => {
  test('take the year given, noted once; a change of year is noted at its post', () => {
    const { resolved, notes } = resolveAll([d(20, 3), d(31, 12), d(30, 12), d(1, 12)], {
      year: 2025,
    });
    assert.deepEqual(resolved, ['2025-03-20', '2024-12-31', '2024-12-30', '2024-12-01']);
    assert.deepEqual(notes, [
      'dates without a year are read as 2025, the year given',
      'post 2: 31 December is read as 2024, nearest to the post above it (2025-03-20)',
    ]);
  });

  test('are read nearest to the capture date, said once, and the post above after that', () => {
    const { resolved, notes } = resolveAll([d(3, 3), d(28, 2), d(2, 1)], {
      captureDate: local('2025-01-02'),
    });
    assert.deepEqual(resolved, ['2024-03-03', '2024-02-28', '2024-01-02']);
    assert.deepEqual(notes, [
      'dates without a year are read nearest to the capture date, 2025-01-02',
      'post 1: 3 March is read as 2024, nearest to the capture date (2025-01-02)',
    ]);
  });

  test('half a year from the post above either way: the earlier year, as posts run newest first', () => {
    // 2 July 2024 is 183 days after 1 January 2024 and 183 days before 1 January 2025.
    const { resolved, notes } = resolveAll([d(2, 7, 2024), d(1, 1)], {});
    assert.deepEqual(resolved, ['2024-07-02', '2024-01-01']);
    assert.deepEqual(notes, []);
  });

  test('below a post dated after the capture date, go no later than the year before it', () => {
    // A wrong capture date: every reading of 3 March near 5 January 2026 is after it.
    const { resolved, notes } = resolveAll([d(5, 1, 2026), d(3, 3)], {
      captureDate: local('2025-01-02'),
    });
    assert.deepEqual(resolved, ['2026-01-05', '2025-03-03']);
    assert.deepEqual(notes, [
      'post 2: 3 March is read as 2025, nearest to the post above it (2026-01-05)',
    ]);
  });

  test('with neither a year nor a capture date: the current year, said once', () => {
    const year = Number(londonToday().slice(0, 4));
    const { resolved, notes } = resolveAll([d(20, 3), d(19, 3)], {});
    assert.deepEqual(resolved, [`${year}-03-20`, `${year}-03-19`]);
    assert.deepEqual(notes, [
      `dates without a year are read as ${year}, the current year (no year or capture date was given)`,
    ]);
  });
});
