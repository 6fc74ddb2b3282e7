import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatClockTime, formatPostTime, formatUpdatedTime, zoneAbbreviation } from './time.ts';

describe('formatPostTime', () => {
  it('writes the samples\' form in winter: "18:10 GMT 20 March"', () => {
    assert.equal(formatPostTime('2025-03-20T18:10:00.000Z', 'Europe/London'), '18:10 GMT 20 March');
  });

  it('writes British Summer Time as BST, an hour ahead of UTC', () => {
    assert.equal(formatPostTime('2025-06-01T08:05:00Z', 'Europe/London'), '09:05 BST 1 June');
  });

  it('switches to BST at 01:00 UTC on the last Sunday of March 2025 (30 March)', () => {
    assert.equal(formatPostTime('2025-03-30T00:59:00Z', 'Europe/London'), '00:59 GMT 30 March');
    assert.equal(formatPostTime('2025-03-30T01:00:00Z', 'Europe/London'), '02:00 BST 30 March');
  });

  it('switches back to GMT at 01:00 UTC on the last Sunday of October 2025 (26 October)', () => {
    assert.equal(formatPostTime('2025-10-26T00:59:00Z', 'Europe/London'), '01:59 BST 26 October');
    assert.equal(formatPostTime('2025-10-26T01:00:00Z', 'Europe/London'), '01:00 GMT 26 October');
  });

  it('uses the local date, not the UTC one', () => {
    assert.equal(formatPostTime('2025-07-31T23:30:00Z', 'Europe/London'), '00:30 BST 1 August');
    assert.equal(
      formatPostTime('2025-01-01T02:00:00Z', 'America/New_York'),
      '21:00 EST 31 December',
    );
  });

  it('names New York time EST in winter and EDT in summer', () => {
    assert.equal(
      formatPostTime('2025-01-15T12:00:00Z', 'America/New_York'),
      '07:00 EST 15 January',
    );
    assert.equal(formatPostTime('2025-07-15T12:00:00Z', 'America/New_York'), '08:00 EDT 15 July');
    // US daylight saving 2025 began on 9 March at 07:00 UTC.
    assert.equal(formatClockTime('2025-03-09T06:59:00Z', 'America/New_York'), '01:59 EST');
    assert.equal(formatClockTime('2025-03-09T07:00:00Z', 'America/New_York'), '03:00 EDT');
  });

  it('falls back to a numeric offset where a zone has no English abbreviation', () => {
    assert.equal(zoneAbbreviation('2025-01-15T12:00:00Z', 'Asia/Tokyo'), 'GMT+9');
    assert.equal(zoneAbbreviation('2025-01-15T12:00:00Z', 'Europe/Paris'), 'CET');
    assert.equal(zoneAbbreviation('2025-07-15T12:00:00Z', 'Europe/Paris'), 'CEST');
  });

  it('shows UTC for an unknown zone instead of failing the page', () => {
    assert.equal(formatPostTime('2025-03-20T18:10:00Z', 'Not/AZone'), '18:10 UTC 20 March');
  });

  it('accepts instants written with an offset', () => {
    assert.equal(
      formatPostTime('2025-03-20T19:10:00+01:00', 'Europe/London'),
      '18:10 GMT 20 March',
    );
  });
});

describe('formatUpdatedTime', () => {
  it('gives the time alone when the edit came the same local day', () => {
    assert.equal(
      formatUpdatedTime('2025-03-20T18:25:00Z', '2025-03-20T18:10:00Z', 'Europe/London'),
      '18:25 GMT',
    );
  });

  it('adds the date when the edit came another day', () => {
    assert.equal(
      formatUpdatedTime('2025-03-21T09:00:00Z', '2025-03-20T18:10:00Z', 'Europe/London'),
      '09:00 GMT 21 March',
    );
  });
});
