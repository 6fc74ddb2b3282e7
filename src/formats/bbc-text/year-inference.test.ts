import assert from 'node:assert/strict';
import { test } from 'node:test';
import { YearInference } from './year-inference.ts';
import { isoDate, type DatePart } from './time-grammar.ts';

const d = (day: number, month: number, year?: number): DatePart => ({ day, month, year });

function resolveAll(
  dates: (DatePart | undefined)[],
  context: { captureDate?: string; year?: number },
) {
  const [y, m, day] = (context.captureDate ?? '').split('-').map(Number);
  const captureDate =
    y === undefined || m === undefined || day === undefined || context.captureDate === undefined
      ? undefined
      : { year: y, month: m, day };
  const years = new YearInference({ captureDate, year: context.year, timeZone: 'Europe/London' });
  const resolved = dates.map((date, i) => isoDate(years.resolve(date, `post ${i + 1}`)));
  return { resolved, assumptions: years.assumptions };
}

test('the capture date bounds the newest posts: a later date is the year before', () => {
  const { resolved, assumptions } = resolveAll([undefined, d(2, 1), d(31, 12), d(30, 12)], {
    captureDate: '2025-01-02',
  });
  assert.deepEqual(resolved, ['2025-01-02', '2025-01-02', '2024-12-31', '2024-12-30']);
  assert.ok(assumptions.some((a) => a.includes('31 December is read as 2024')));
  assert.deepEqual(resolveAll([d(5, 1)], { captureDate: '2025-01-02' }).resolved, ['2024-01-05']);
});

test('the given year is the newest post’s; crossing New Year going down the page', () => {
  const { resolved } = resolveAll([d(1, 1), d(31, 12), d(20, 12)], { year: 2025 });
  assert.deepEqual(resolved, ['2025-01-01', '2024-12-31', '2024-12-20']);
});

test('a pinned older post at the top does not shift the years below it', () => {
  const { resolved } = resolveAll([d(18, 3), d(20, 3), d(19, 3)], { year: 2025 });
  assert.deepEqual(resolved, ['2025-03-18', '2025-03-20', '2025-03-19']);
  const acrossNewYear = resolveAll([d(30, 12), d(2, 1), d(1, 1)], { year: 2024 }).resolved;
  assert.deepEqual(acrossNewYear, ['2024-12-30', '2025-01-02', '2025-01-01']);
});

test('written years are taken as they are and carry on down the page', () => {
  const { resolved } = resolveAll([d(22, 11, 2023), d(21, 11), d(2, 1, 2020), d(31, 12)], {});
  assert.deepEqual(resolved, ['2023-11-22', '2023-11-21', '2020-01-02', '2019-12-31']);
});

test('with no year or capture date, the current year is assumed and said so', () => {
  const { resolved, assumptions } = resolveAll([d(20, 3)], {});
  assert.equal(resolved[0], `${new Date().getUTCFullYear()}-03-20`);
  assert.match(assumptions.join('\n'), /the current year/);
});
