import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_TEXT_FORMAT } from '../../domain/page.ts';
import { capture } from '../../../test/support/bbc-text.ts';
import { parse, ParseError } from './index.ts';
import {
  formatTime,
  isoDate,
  localDateOf,
  matchRepeatLine,
  sameStamp,
  splitHeader,
  toInstant,
  type Stamp,
} from './time-grammar.ts';

const LONDON = 'Europe/London';

/** The instant a header time means, or its error message. */
function instant(header: string, year = 2025, timeZone = LONDON): string {
  const split = splitHeader(`Headlinepublished at ${header}`, timeZone);
  assert.ok(split, `no time in ${header}`);
  const { date } = split.time;
  assert.ok(date, `no date in ${header}`);
  const result = toInstant(
    { year: date.year ?? year, month: date.month, day: date.day },
    split.time,
    timeZone,
  );
  return 'instant' in result ? result.instant : `error: ${result.error}`;
}

describe('time grammar: reading', () => {
  test('long and short zone names, with and without a year', () => {
    assert.equal(instant('18:10 Greenwich Mean Time 20 March'), '2025-03-20T18:10:00.000Z');
    assert.equal(instant('09:05 British Summer Time 1 June'), '2025-06-01T08:05:00.000Z');
    assert.equal(instant('18:10 GMT 20 March'), '2025-03-20T18:10:00.000Z');
    assert.equal(instant('09:05 BST 1 June'), '2025-06-01T08:05:00.000Z');
    assert.equal(instant('12:24 Greenwich Mean Time 22 November 2023'), '2023-11-22T12:24:00.000Z');
  });

  test('clocks go forward on the last Sunday of March at 01:00 GMT', () => {
    assert.equal(instant('00:59 GMT 30 March'), '2025-03-30T00:59:00.000Z');
    assert.equal(instant('02:00 BST 30 March'), '2025-03-30T01:00:00.000Z');
    assert.match(instant('01:30 GMT 30 March'), /error: a time that exists/);
    assert.match(instant('01:30 BST 30 March'), /error: a time that exists/);
    assert.equal(instant('02:00 BST 31 March 2024'), '2024-03-31T01:00:00.000Z');
    assert.equal(instant('23:59 GMT 29 March'), '2025-03-29T23:59:00.000Z');
  });

  test('clocks go back on the last Sunday of October: the zone picks which 01:30', () => {
    assert.equal(instant('01:30 British Summer Time 26 October'), '2025-10-26T00:30:00.000Z');
    assert.equal(instant('01:30 Greenwich Mean Time 26 October'), '2025-10-26T01:30:00.000Z');
    assert.equal(instant('00:59 BST 26 October'), '2025-10-25T23:59:00.000Z');
    assert.equal(instant('02:00 GMT 26 October'), '2025-10-26T02:00:00.000Z');
    assert.equal(instant('01:30 GMT 27 October 2024'), '2024-10-27T01:30:00.000Z');
  });

  test('a zone name not in force then, or an unreal date, is an error', () => {
    assert.match(instant('09:05 Greenwich Mean Time 1 June'), /in force .* British Summer Time/);
    assert.match(instant('12:00 BST 20 December'), /Greenwich Mean Time/);
    assert.match(instant('12:00 GMT 29 February'), /there is no 29 February 2025/);
    assert.equal(instant('12:00 GMT 29 February 2024'), '2024-02-29T12:00:00.000Z');
  });

  test('other zones use their own British English names', () => {
    const ny = 'America/New_York';
    assert.equal(
      instant('09:00 Eastern Standard Time 3 March', 2025, ny),
      '2025-03-03T14:00:00.000Z',
    );
    assert.equal(
      instant('09:00 Eastern Daylight Time 3 July', 2025, ny),
      '2025-07-03T13:00:00.000Z',
    );
    assert.equal(splitHeader('Xpublished at 09:00 GMT 3 March', ny), undefined);
  });

  test('the headline is everything before the last valid "published at"', () => {
    const split = splitHeader('Why was it published at night?published at 07:01 GMT 2 May', LONDON);
    assert.equal(split?.headline, 'Why was it published at night?');
    assert.deepEqual(split?.time, {
      hour: 7,
      minute: 1,
      date: { day: 2, month: 5, year: undefined },
      zoneName: 'GMT',
      zoneStyle: 'short',
    });
    assert.equal(splitHeader('Headlinepublished at 24:00 GMT', LONDON), undefined);
    assert.equal(
      splitHeader('Headlinepublished at 18:10 Greenwich Mean Time', LONDON)?.time.date,
      undefined,
    );
    assert.equal(
      splitHeader('Headlinepublished at 18:10 Greenwich Mean Time 20 Marc', LONDON),
      undefined,
    );
  });

  test('the second time line has no zone', () => {
    assert.deepEqual(matchRepeatLine('published at 18:10 20 March'), {
      hour: 18,
      minute: 10,
      date: { day: 20, month: 3, year: undefined },
    });
    assert.deepEqual(matchRepeatLine('published at 18:10'), {
      hour: 18,
      minute: 10,
      date: undefined,
    });
    assert.equal(matchRepeatLine('published at 18:10 GMT 20 March'), undefined);
  });
});

describe('time grammar: writing', () => {
  const format = { ...DEFAULT_TEXT_FORMAT };

  test('GMT or BST by the offset in force at the instant', () => {
    assert.deepEqual(formatTime('2025-03-20T18:10:00.000Z', LONDON, format), {
      header: '18:10 Greenwich Mean Time 20 March',
      repeat: '18:10 20 March',
    });
    assert.equal(
      formatTime('2025-06-01T08:05:00.000Z', LONDON, format).header,
      '09:05 British Summer Time 1 June',
    );
    assert.equal(
      formatTime('2025-10-26T00:30:00.000Z', LONDON, format).header,
      '01:30 British Summer Time 26 October',
    );
    assert.equal(
      formatTime('2025-10-26T01:30:00.000Z', LONDON, format).header,
      '01:30 Greenwich Mean Time 26 October',
    );
    assert.equal(
      formatTime('2025-03-30T01:00:00.000Z', LONDON, format).header,
      '02:00 British Summer Time 30 March',
    );
  });

  test('short names, the year, and no date on the capture date', () => {
    const short = { ...format, zoneStyle: 'short' as const, showYear: true };
    assert.equal(
      formatTime('2023-11-22T12:24:00.000Z', LONDON, short).header,
      '12:24 GMT 22 November 2023',
    );
    assert.equal(
      formatTime('2025-06-01T08:05:00.000Z', LONDON, short).header,
      '09:05 BST 1 June 2025',
    );
    const onTheDay = { ...format, captureDate: '2025-06-01' };
    assert.deepEqual(formatTime('2025-06-01T08:05:00.000Z', LONDON, onTheDay), {
      header: '09:05 British Summer Time',
      repeat: '09:05',
    });
    // The capture date is a local date: 23:30 UTC on 31 May is already 1 June in London.
    assert.equal(
      formatTime('2025-05-31T23:30:00.000Z', LONDON, onTheDay).header,
      '00:30 British Summer Time',
    );
  });

  test('seconds are not written', () => {
    assert.equal(formatTime('2025-03-20T18:10:59.999Z', LONDON, format).repeat, '18:10 20 March');
  });
});

/** The ParseError a capture with these post lines gets, or a failure when it parses. */
function refusal(lines: string[], timeZone = LONDON): ParseError {
  try {
    parse(capture(...lines), { year: 2025, timeZone });
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  assert.fail(`the capture was accepted: ${lines.join(' / ')}`);
}

describe('time grammar: what a capture may not say', () => {
  test('a minute past 59 or an hour past 23 is not a time, on either line', () => {
    assert.equal(splitHeader('Headlinepublished at 18:75 GMT 20 March', LONDON), undefined);
    assert.equal(splitHeader('Headlinepublished at 18:60 GMT 20 March', LONDON), undefined);
    assert.equal(splitHeader('Headlinepublished at 25:10 GMT 20 March', LONDON), undefined);
    assert.equal(splitHeader('Headlinepublished at 23:59 GMT', LONDON)?.time.minute, 59);
    assert.equal(splitHeader('Headlinepublished at 23:59 GMT', LONDON)?.time.hour, 23);
    assert.equal(matchRepeatLine('published at 18:75 20 March'), undefined);
    assert.equal(matchRepeatLine('published at 24:00'), undefined);
    assert.equal(matchRepeatLine('published at 23:59')?.minute, 59);
  });

  test('an import with 18:75 GMT is refused, naming the line and the shape expected', () => {
    const error = refusal(['  1. Storm warningpublished at 18:75 GMT 20 March']);
    assert.equal(error.line, 7);
    assert.match(error.message, /expected a headline ending "published at HH:MM <zone>/);
    const second = refusal([
      '  1. Storm warningpublished at 18:10 GMT 20 March',
      '    published at 18:75 20 March',
    ]);
    assert.equal(second.line, 8);
  });

  test('a line with no "published at" is no post header, even when it ends in a time', () => {
    // "Breaking at " is as long as "published at ": the time after it must still be refused.
    assert.equal(splitHeader('Breaking at 18:10 GMT', LONDON), undefined);
    assert.equal(splitHeader('18:10 GMT', LONDON), undefined);
  });

  test('a headline that quotes "published at" keeps its words when the real time is bad', () => {
    // Every "published at" is tried from the last back; none has a valid time after it.
    assert.equal(
      splitHeader('Papers published at dawnpublished at 18:75 GMT 20 March', LONDON),
      undefined,
    );
    assert.equal(
      splitHeader('published at 07:00 GMT, said the editorpublished at 99:00 GMT', LONDON),
      undefined,
    );
    assert.equal(
      splitHeader('published at 07:00 GMT', LONDON)?.headline,
      '',
      'a post with no headline words before its time',
    );
  });

  test('the second line must repeat the first exactly: time, day, month and year', () => {
    const first: Stamp = { hour: 18, minute: 10, date: { day: 20, month: 3, year: 2024 } };
    const like = (change: Partial<Stamp>, date: Partial<NonNullable<Stamp['date']>> = {}) => ({
      ...first,
      ...change,
      date: { ...first.date!, ...date },
    });
    assert.equal(sameStamp(first, like({})), true);
    assert.equal(sameStamp(first, like({ hour: 19 })), false);
    assert.equal(sameStamp(first, like({ minute: 11 })), false);
    assert.equal(sameStamp(first, like({}, { day: 21 })), false);
    assert.equal(sameStamp(first, like({}, { month: 4 })), false);
    assert.equal(sameStamp(first, like({}, { year: 2025 })), false);
    assert.equal(sameStamp(first, like({}, { year: undefined })), false);
    assert.equal(sameStamp(first, { ...first, date: undefined }), false);
    assert.equal(sameStamp({ ...first, date: undefined }, first), false);
    assert.equal(sameStamp({ ...first, date: undefined }, { ...first, date: undefined }), true);

    const error = refusal([
      '  1. Storm warningpublished at 18:10 GMT 20 March 2024',
      '    published at 18:10 20 March 2025',
    ]);
    assert.equal(error.line, 8);
    assert.match(error.message, /same time and date as the first/);
    const page = parse(
      capture(
        '  1. Storm warningpublished at 18:10 GMT 20 March 2024',
        '    published at 18:10 20 March 2024',
      ),
      { year: 2025 },
    );
    assert.equal(page.posts[0]?.publishedAt, '2024-03-20T18:10:00.000Z');
  });

  test('zone names with regex characters are read literally (Kolkata is "GMT+5:30")', () => {
    const kolkata = 'Asia/Kolkata';
    const split = splitHeader('Monsoon updatepublished at 18:10 GMT+5:30 20 March', kolkata);
    assert.equal(split?.headline, 'Monsoon update');
    assert.equal(split?.time.zoneName, 'GMT+5:30');
    assert.equal(split?.time.zoneStyle, 'short');
    // Unescaped, "+" would mean "one or more T" and accept these, and refuse the real name.
    assert.equal(splitHeader('Xpublished at 18:10 GMTT5:30 20 March', kolkata), undefined);
    assert.equal(splitHeader('Xpublished at 18:10 GMT5:30 20 March', kolkata), undefined);
    const page = parse(capture('  1. Monsoon updatepublished at 18:10 GMT+5:30 20 March'), {
      year: 2025,
      timeZone: kolkata,
    });
    assert.equal(page.posts[0]?.publishedAt, '2025-03-20T12:40:00.000Z');
    const short = { ...DEFAULT_TEXT_FORMAT, zoneStyle: 'short' as const };
    assert.equal(
      formatTime('2025-03-20T12:40:00.000Z', kolkata, short).header,
      '18:10 GMT+5:30 20 March',
    );
  });
});

describe('time grammar: the instants behind the words', () => {
  test('a long zone name is remembered as the long style, a short one as short', () => {
    const long = splitHeader('Xpublished at 18:10 Greenwich Mean Time', LONDON);
    assert.equal(long?.time.zoneStyle, 'long');
    assert.equal(splitHeader('Xpublished at 18:10 GMT', LONDON)?.time.zoneStyle, 'short');
  });

  test('New York: the zone picks which 01:30 when the clocks go back', () => {
    const ny = 'America/New_York';
    assert.equal(
      instant('01:30 Eastern Standard Time 2 November', 2025, ny),
      '2025-11-02T06:30:00.000Z',
    );
    assert.equal(
      instant('01:30 Eastern Daylight Time 2 November', 2025, ny),
      '2025-11-02T05:30:00.000Z',
    );
  });

  test('the refusals say the time, the date and the zones in force', () => {
    assert.equal(
      instant('01:30 GMT 30 March'),
      'error: a time that exists in Europe/London (01:30 on 30 March 2025 falls in the hour the clocks skip)',
    );
    // GMT+1 is London's name from 1968-71 (British Standard Time): in the hour that happens
    // twice in 2025, both names then in force are offered.
    assert.equal(
      instant('01:30 GMT+1 26 October'),
      'error: the zone in force in Europe/London at 01:30 on 26 October 2025: British Summer Time or Greenwich Mean Time',
    );
    assert.equal(
      instant('12:00 GMT 31 February 0999'),
      'error: a real date (there is no 31 February 0999)',
    );
  });

  test('the local date of an instant, and ISO dates with four-digit years', () => {
    // 23:30 UTC on 31 May is already 1 June in London.
    assert.deepEqual(localDateOf('2025-05-31T23:30:00.000Z', LONDON), {
      year: 2025,
      month: 6,
      day: 1,
    });
    assert.throws(() => localDateOf('yesterday', LONDON), /not an ISO 8601 instant: yesterday/);
    assert.equal(isoDate({ year: 999, month: 3, day: 7 }), '0999-03-07');
    assert.equal(isoDate({ year: 2025, month: 11, day: 22 }), '2025-11-22');
  });

  test('writing a time that is not an instant is a clear error', () => {
    assert.throws(
      () => formatTime('not a time', LONDON, DEFAULT_TEXT_FORMAT),
      /publishedAt is not an ISO 8601 instant: not a time/,
    );
  });
});
