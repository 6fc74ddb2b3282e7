import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERRORS, LivelineError, invalid, type ErrorCode } from './errors.ts';

/**
 * The catalogue of errors: every code has a sentence a person can read (it is the problem
 * document's `detail` unless the thrower says more) and a row in docs/errors.md.
 * test/http/error-catalogue.test.ts checks that every route answers with catalogue codes.
 */

const OPTIONS = { timeout: 10_000 };
const CODES = Object.keys(ERRORS) as ErrorCode[];

describe('the error catalogue', OPTIONS, () => {
  it('gives every code a sentence: a capital, words, a full stop', () => {
    assert.ok(CODES.length >= 40, `only ${CODES.length} codes`);
    for (const code of CODES) {
      assert.match(ERRORS[code], /^[A-Z][^\n]{10,}\.$/, code);
    }
  });

  it('says something different for each code', () => {
    const sentences = new Set(CODES.map((code) => ERRORS[code]));
    assert.equal(sentences.size, CODES.length);
  });

  it('documents every code in docs/errors.md, and nothing else', () => {
    const documented = [
      ...readFileSync('docs/errors.md', 'utf8').matchAll(/^\| `([A-Z_]+)`/gm),
    ].map((m) => m[1]);
    assert.deepEqual([...documented].sort(), [...CODES].sort());
  });
});

describe('an error thrown by the domain', OPTIONS, () => {
  it('carries its code and the catalogue sentence unless told more', () => {
    const error = new LivelineError('POST_NOT_FOUND');
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'LivelineError');
    assert.equal(error.code, 'POST_NOT_FOUND');
    assert.equal(error.message, 'No post with this id on this live page.');
    assert.deepEqual(error.problems, []);
    assert.deepEqual(error.extra, {});
  });

  it('carries a detail, the problems of each field and extra members when given', () => {
    const problems = [{ field: '/headline', reason: 'is required' }];
    const error = new LivelineError('VALIDATION_FAILED', 'The headline is missing.', {
      problems,
      extra: { retryAfter: 3 },
    });
    assert.equal(error.message, 'The headline is missing.');
    assert.deepEqual(error.problems, problems);
    assert.deepEqual(error.extra, { retryAfter: 3 });
  });

  it('names one invalid field in its detail and its problems', () => {
    const error = invalid('/timeZone', 'is not a time zone this server knows');
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.equal(error.message, '/timeZone: is not a time zone this server knows');
    assert.deepEqual(error.problems, [
      { field: '/timeZone', reason: 'is not a time zone this server knows' },
    ]);
    assert.deepEqual(error.extra, {});
  });
});
