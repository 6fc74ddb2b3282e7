import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onPageClock, utcToZoned, zonedToUtc, zoneName } from './zoned-time.ts';

describe("times in a page's time zone", () => {
  it('reads 09:00 in London as 09:00 UTC in winter and 08:00 UTC in summer', () => {
    assert.equal(zonedToUtc('2026-01-15', '09:00', 'Europe/London'), '2026-01-15T09:00:00.000Z');
    assert.equal(zonedToUtc('2026-07-15', '09:00', 'Europe/London'), '2026-07-15T08:00:00.000Z');
    assert.equal(zoneName('2026-01-15T09:00:00Z', 'Europe/London'), 'Greenwich Mean Time');
    assert.equal(zoneName('2026-07-15T08:00:00Z', 'Europe/London'), 'British Summer Time');
  });

  it('reads other zones, east and west, across a date line', () => {
    assert.equal(zonedToUtc('2026-03-20', '00:30', 'Europe/Kyiv'), '2026-03-19T22:30:00.000Z');
    assert.equal(zonedToUtc('2026-07-04', '21:15', 'America/New_York'), '2026-07-05T01:15:00.000Z');
    assert.equal(zonedToUtc('2026-03-20', '12:00', 'UTC'), '2026-03-20T12:00:00.000Z');
  });

  it('moves a time the clocks skip forward, and takes the first of a time that happens twice', () => {
    // 01:30 on 29 March 2026 does not exist in London: it is 02:30 BST.
    assert.equal(zonedToUtc('2026-03-29', '01:30', 'Europe/London'), '2026-03-29T01:30:00.000Z');
    // 01:30 on 25 October 2026 happens in BST and again in GMT: the first is 00:30 UTC.
    assert.equal(zonedToUtc('2026-10-25', '01:30', 'Europe/London'), '2026-10-25T00:30:00.000Z');
  });

  it("shows an instant on the page's wall clock, and round-trips", () => {
    assert.deepEqual(utcToZoned('2026-07-15T08:00:00.000Z', 'Europe/London'), {
      date: '2026-07-15',
      time: '09:00',
    });
    for (const [date, time] of [
      ['2026-01-01', '00:00'],
      ['2026-06-30', '23:59'],
      ['2026-03-29', '03:00'],
    ] as const) {
      const iso = zonedToUtc(date, time, 'Europe/London');
      assert.ok(iso);
      assert.deepEqual(utcToZoned(iso, 'Europe/London'), { date, time });
    }
  });

  it('refuses malformed input', () => {
    assert.equal(zonedToUtc('2026-1-5', '09:00', 'Europe/London'), null);
    assert.equal(zonedToUtc('2026-01-05', '9am', 'Europe/London'), null);
    // Anything before or after the date or the time makes it malformed too.
    assert.equal(zonedToUtc('x2026-01-05', '09:00', 'Europe/London'), null);
    assert.equal(zonedToUtc('2026-01-05x', '09:00', 'Europe/London'), null);
    assert.equal(zonedToUtc('2026-01-05', '009:00', 'Europe/London'), null);
    assert.equal(zonedToUtc('2026-01-05', '09:001', 'Europe/London'), null);
  });

  it('refuses dates and times that do not exist, instead of rolling them over', () => {
    for (const [date, time] of [
      ['2026-13-01', '09:00'],
      ['2026-00-10', '09:00'],
      ['2026-02-29', '09:00'],
      ['2026-04-31', '09:00'],
      ['2026-01-05', '24:00'],
      ['2026-01-05', '18:75'],
    ] as const) {
      assert.equal(zonedToUtc(date, time, 'Europe/London'), null, `${date} ${time}`);
    }
    assert.equal(zonedToUtc('2028-02-29', '23:59', 'UTC'), '2028-02-29T23:59:00.000Z');
  });

  it("says an instant as the page's newsroom reads it, long and short", () => {
    assert.equal(
      onPageClock('2026-03-20T09:00:00Z', 'Europe/London'),
      '09:00 Greenwich Mean Time, 20 March 2026',
    );
    assert.equal(
      onPageClock('2026-07-15T08:00:00Z', 'Europe/London', 'short'),
      '09:00 British Summer Time, 15 Jul',
    );
    // The day is the one on the page's clock, not UTC's.
    assert.equal(
      onPageClock('2026-07-04T23:30:00Z', 'Europe/Kyiv', 'long'),
      '02:30 Eastern European Summer Time, 5 July 2026',
    );
  });
});
