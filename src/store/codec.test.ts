import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postgresCodec } from './postgres/codec.ts';
import { sqliteCodec } from './sqlite/codec.ts';

/**
 * The two databases' spellings of JSON, instants and booleans, as the drivers hand them over
 * (better-sqlite3: text and integers; pg: parsed jsonb, Date, boolean). The store contract
 * suite (test/contract/store.test.ts) runs the store on both databases; these are its
 * conversions alone, without a database.
 */

const OPTIONS = { timeout: 10_000 };
const BODY = [{ type: 'paragraph', content: [{ type: 'text', text: 'Caf\u00e9 \u{1F4F0}' }] }];

describe('SQLite keeps JSON and instants as text, booleans as 0 or 1', OPTIONS, () => {
  it('declares its dialect and the column types the migrations create', () => {
    assert.equal(sqliteCodec.dialect, 'sqlite');
    assert.deepEqual(sqliteCodec.columnTypes, { json: 'text', time: 'text', bool: 'integer' });
  });

  it('writes JSON as text and reads the same value back', () => {
    const stored = sqliteCodec.writeJson(BODY);
    assert.equal(stored, JSON.stringify(BODY));
    assert.deepEqual(sqliteCodec.readJson(stored), BODY);
    assert.deepEqual(sqliteCodec.readJson('[]'), []);
  });

  it('writes true as 1 and false as 0, and reads only 1 as true', () => {
    assert.equal(sqliteCodec.writeBool(true), 1);
    assert.equal(sqliteCodec.writeBool(false), 0);
    assert.equal(sqliteCodec.readBool(1), true);
    assert.equal(sqliteCodec.readBool(0), false);
    assert.equal(sqliteCodec.readBool(null), false);
  });

  it('reads an instant as the text it stored', () => {
    assert.equal(sqliteCodec.readTime('2025-03-20T18:10:00.000Z'), '2025-03-20T18:10:00.000Z');
  });
});

describe('PostgreSQL has jsonb, timestamptz and boolean', OPTIONS, () => {
  it('declares its dialect and the column types the migrations create', () => {
    assert.equal(postgresCodec.dialect, 'postgres');
    assert.deepEqual(postgresCodec.columnTypes, {
      json: 'jsonb',
      time: 'timestamptz',
      bool: 'boolean',
    });
  });

  it('writes JSON as text and takes the value the driver parsed', () => {
    assert.equal(postgresCodec.writeJson(BODY), JSON.stringify(BODY));
    assert.equal(postgresCodec.readJson(BODY), BODY);
  });

  it('writes and reads booleans as they are; anything but true is false', () => {
    assert.equal(postgresCodec.writeBool(true), true);
    assert.equal(postgresCodec.writeBool(false), false);
    assert.equal(postgresCodec.readBool(true), true);
    assert.equal(postgresCodec.readBool(false), false);
    assert.equal(postgresCodec.readBool(null), false);
  });

  it('reads an instant, a Date or text in any offset, as a UTC ISO 8601 string', () => {
    const at = new Date('2025-03-20T18:10:00.123Z');
    assert.equal(postgresCodec.readTime(at), '2025-03-20T18:10:00.123Z');
    assert.equal(postgresCodec.readTime('2025-03-20 19:10:00.123+01'), '2025-03-20T18:10:00.123Z');
    assert.equal(postgresCodec.readTime('2025-03-20T18:10:00Z'), '2025-03-20T18:10:00.000Z');
  });
});
