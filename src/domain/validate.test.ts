import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { Block } from './blocks.ts';
import { LivelineError } from './errors.ts';
import { LIMITS } from './limits.ts';
import { NewPageBody, NewPostBody, PageEditBody } from './schemas.ts';
import { check, compileChecker, isInstant, isIsoDate, toFieldProblems } from './validate.ts';

/**
 * The one validator of everything that enters Liveline (HTTP bodies and queries, the CLI, the
 * importer): the calendar, the instants both databases hold, and the problems a client reads.
 * test/http/bad-input.test.ts sends bad requests through the routes; the edges are pinned here.
 */

const OPTIONS = { timeout: 10_000 };

/** The problems a request body gets, as the API reports them. */
function problemsOf(schema: object, value: unknown) {
  const checker = compileChecker(schema, false);
  assert.equal(checker(value), false, 'the value should be refused');
  return toFieldProblems(checker.errors ?? []);
}

const aPost = (body: unknown[] = [{ type: 'paragraph', content: [] }]) => ({
  headline: 'Minister resigns',
  body,
});

describe('dates: a real day of the years 0001 to 9999', OPTIONS, () => {
  it('accepts the first and last day of every month and the ends of the range', () => {
    const last = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    last.forEach((days, i) => {
      const month = String(i + 1).padStart(2, '0');
      assert.equal(isIsoDate(`2025-${month}-01`), true, `2025-${month}-01`);
      assert.equal(isIsoDate(`2025-${month}-${days}`), true, `2025-${month}-${days}`);
      assert.equal(isIsoDate(`2025-${month}-${days + 1}`), false, `2025-${month}-${days + 1}`);
    });
    assert.equal(isIsoDate('0001-01-01'), true);
    assert.equal(isIsoDate('9999-12-31'), true);
  });

  it('knows the leap years: every fourth, but not centuries unless the fourth', () => {
    assert.equal(isIsoDate('2024-02-29'), true);
    assert.equal(isIsoDate('2000-02-29'), true);
    assert.equal(isIsoDate('2023-02-29'), false);
    assert.equal(isIsoDate('1900-02-29'), false);
    assert.equal(isIsoDate('2024-02-30'), false);
    // A leap year adds a day to February only.
    assert.equal(isIsoDate('2024-04-31'), false);
    assert.equal(isIsoDate('2024-01-32'), false);
  });

  it('refuses day 0, month 0 or 13, year 0 and anything but exactly YYYY-MM-DD', () => {
    for (const text of [
      '2025-01-00',
      '2025-00-10',
      '2025-13-01',
      '0000-01-01',
      '2025-1-01',
      '25-01-01',
      ' 2025-01-01',
      '2025-01-01 ',
      'x2025-01-01',
      '2025-01-01x',
      '2025-01-01T00:00:00Z',
      '2025/01/01',
      '',
    ]) {
      assert.equal(isIsoDate(text), false, JSON.stringify(text));
    }
  });
});

describe('instants: RFC 3339, as both databases hold them', OPTIONS, () => {
  it('accepts UTC, offsets, fractions up to nanoseconds and either case of T and Z', () => {
    for (const text of [
      '2025-03-20T18:10:00Z',
      '2025-03-20T00:00:00Z',
      '2025-03-20T23:59:59Z',
      '2025-03-20T18:10:00.5Z',
      '2025-03-20T18:10:00.123456789Z',
      '2025-03-20t18:10:00z',
      '2025-03-20T18:10:00+01:00',
      '2025-03-20T18:10:00-05:30',
      '2025-03-20T18:10:00+23:59',
      '2025-03-20T18:10:00-23:59',
      '2024-02-29T12:00:00Z',
      '0001-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '9999-12-31T23:59:59.999+00:00',
    ]) {
      assert.equal(isInstant(text), true, text);
    }
  });

  it('refuses a time or offset that names nothing, a leap second and a day not in the calendar', () => {
    for (const text of [
      '2025-03-20T24:00:00Z',
      '2025-03-20T18:60:00Z',
      '2025-03-20T23:59:60Z',
      '2025-03-20T18:10:00+24:00',
      '2025-03-20T18:10:00+01:60',
      '2025-02-29T12:00:00Z',
      '2025-04-31T12:00:00Z',
      '2025-13-01T12:00:00Z',
    ]) {
      assert.equal(isInstant(text), false, text);
    }
  });

  it('refuses a UTC year outside 0001 to 9999, even when the written year is inside', () => {
    assert.equal(isInstant('0001-01-01T00:30:00+01:00'), false);
    assert.equal(isInstant('9999-12-31T23:30:00-01:00'), false);
    assert.equal(isInstant('0000-06-01T12:00:00Z'), false);
  });

  it('refuses anything but the whole instant: no zone, extra text, ten-digit fractions', () => {
    for (const text of [
      '2025-03-20T18:10:00',
      '2025-03-20 18:10:00Z',
      '2025-03-20T18:10Z',
      '2025-03-20T18:10:00.Z',
      '2025-03-20T18:10:00.1234567891Z',
      '2025-03-20T18:10:00+0100',
      '2025-03-20T18:10:00+01',
      ' 2025-03-20T18:10:00Z',
      '2025-03-20T18:10:00Z ',
      'on 2025-03-20T18:10:00Z',
      '2025-03-20T18:10:00Zulu',
      '2025-03-20',
      '',
    ]) {
      assert.equal(isInstant(text), false, JSON.stringify(text));
    }
  });
});

describe('checking a value against its schema', OPTIONS, () => {
  it('passes a valid post and clears the errors of the value checked before', () => {
    const checker = compileChecker(NewPostBody, false);
    assert.equal(checker({ headline: '' }), false);
    assert.ok((checker.errors ?? []).length > 0);
    assert.equal(checker(aPost()), true);
    assert.equal(checker.errors, null);
  });

  it('takes a body exactly as sent, but coerces a query string to the declared types', () => {
    const schema = Type.Object({ revision: Type.Integer({ minimum: 1 }) });
    const exact = compileChecker(schema, false);
    assert.equal(exact({ revision: '3' }), false);
    const query = { revision: '3' };
    assert.equal(compileChecker(schema, true)(query), true);
    assert.deepEqual(query, { revision: 3 });
  });

  it('fills in the defaults a schema declares (page 1 of a listing)', () => {
    const schema = Type.Object({ page: Type.Optional(Type.Integer({ default: 1 })) });
    const query: Record<string, unknown> = {};
    assert.equal(compileChecker(schema, true)(query), true);
    assert.deepEqual(query, { page: 1 });
  });

  it('refuses an unknown field instead of dropping it, and reports every problem at once', () => {
    const value = { slug: 'Not A Slug', title: '', colour: 'red' };
    assert.deepEqual(problemsOf(NewPageBody, value), [
      { field: '/colour', reason: 'is not a known field' },
      { field: '/slug', reason: 'must match pattern "^[a-z0-9]+(?:-[a-z0-9]+)*$"' },
      { field: '/title', reason: 'must NOT have fewer than 1 characters' },
    ]);
    assert.equal(value.colour, 'red', 'the unknown field is left as sent');
  });

  it('names a missing field, and the whole value when it is not an object', () => {
    assert.deepEqual(problemsOf(PageEditBody, {}), [{ field: '/revision', reason: 'is required' }]);
    assert.deepEqual(problemsOf(PageEditBody, 'revision 3'), [
      { field: '/', reason: 'must be object' },
    ]);
  });

  it('checks dates and instants with the calendar above', () => {
    const edit = (scheduledFor: string) => ({ revision: 1, scheduledFor });
    assert.equal(compileChecker(PageEditBody, false)(edit('2025-03-20T18:10:00Z')), true);
    assert.deepEqual(problemsOf(PageEditBody, edit('2025-02-29T18:10:00Z')), [
      { field: '/scheduledFor', reason: 'must match format "date-time"' },
      { field: '/scheduledFor', reason: 'must be null' },
    ]);
    const format = (captureDate: string) => ({
      revision: 1,
      textFormat: {
        zoneStyle: 'long',
        showYear: false,
        repeatTimeLine: false,
        streamPageLine: true,
        captureDate,
      },
    });
    assert.equal(compileChecker(PageEditBody, false)(format('2024-02-29')), true);
    assert.equal(compileChecker(PageEditBody, false)(format('2025-02-29')), false);
  });

  it('refuses text breaking the text rule, naming the field and the character', () => {
    const checker = compileChecker(NewPostBody, false);
    assert.equal(checker({ ...aPost(), headline: 'Minister\u0000resigns' }), false);
    assert.deepEqual(checker.errors, [
      {
        keyword: 'text',
        instancePath: '/headline',
        schemaPath: '#/text',
        params: {},
        message: 'has a character that is not allowed in text (U+0000) at character 9',
      },
    ]);
    assert.deepEqual(toFieldProblems(checker.errors ?? []), [
      {
        field: '/headline',
        reason: 'has a character that is not allowed in text (U+0000) at character 9',
      },
    ]);
  });
});

describe('what one post may cost: its text and its parts in all', OPTIONS, () => {
  const run = (text: string) => ({ type: 'text', text });
  /** A body of `blocks` paragraphs of one run each: 1 + 4 nodes a paragraph. */
  const paragraphs = (blocks: number, each: number) =>
    Array.from({ length: blocks }, () => ({
      type: 'paragraph',
      content: [run('x'.repeat(each))],
    }));

  it('takes exactly the text limit of a post, not a character more', () => {
    const body = paragraphs(5, LIMITS.postText / 5);
    assert.equal(compileChecker(NewPostBody, false)(aPost(body)), true);
    body.push({ type: 'paragraph', content: [run('x')] });
    assert.deepEqual(problemsOf(NewPostBody, aPost(body)), [
      { field: '/body', reason: `must hold at most ${LIMITS.postText} characters of text in all` },
    ]);
  });

  it('takes exactly the parts limit of a post, not one more', () => {
    // The body (1) and 29 paragraphs of 1 (block) + 1 (runs) + n runs.
    const many = (runs: number) => ({
      type: 'paragraph',
      content: Array.from({ length: runs }, () => run('')),
    });
    const body = [...Array.from({ length: 28 }, () => many(8)), many(19)];
    // 1 + 28 * 10 + 21 = 302: two over; drop two runs.
    body[28] = many(17);
    assert.equal(compileChecker(NewPostBody, false)(aPost(body)), true);
    body[28] = many(18);
    assert.deepEqual(problemsOf(NewPostBody, aPost(body)), [
      {
        field: '/body',
        reason: `must have at most ${LIMITS.postNodes} parts (blocks, runs, items) in all`,
      },
    ]);
  });
});

describe('problems in a union of block types: the branch the client meant', OPTIONS, () => {
  it('reports the fields of the block type sent, not of the six others', () => {
    assert.deepEqual(problemsOf(NewPostBody, aPost([{ type: 'paragraph' }])), [
      { field: '/body/0/content', reason: 'is required' },
    ]);
    assert.deepEqual(
      problemsOf(NewPostBody, aPost([{ type: 'image', alt: 'A', src: 'javascript:x' }])),
      [{ field: '/body/0/src', reason: 'must match pattern "^(https?://|/(?![/\\\\]))\\S+$"' }],
    );
  });

  it('ignores the fields of other block types however deep (a video has a provider too)', () => {
    const embed = { type: 'embed', provider: 'x', url: 'http://x.com/bbc/status/1' };
    assert.deepEqual(problemsOf(NewPostBody, aPost([embed])), [
      { field: '/body/0/url', reason: 'must match pattern "^https://\\S+$"' },
    ]);
  });

  it('says a run of an unknown type is none of the forms, not the paragraph holding it', () => {
    const body = [{ type: 'paragraph', content: [{ type: 'emoji', text: 'x' }] }];
    assert.deepEqual(problemsOf(NewPostBody, aPost(body)), [
      { field: '/body/0/content/0', reason: 'is not any of the accepted forms' },
    ]);
  });

  it('says once what is wrong with a run, though two block types hold runs', () => {
    const body = [{ type: 'paragraph', content: [{ type: 'text', text: 5 }] }];
    assert.deepEqual(problemsOf(NewPostBody, aPost(body)), [
      { field: '/body/0/content/0/text', reason: 'must be string' },
    ]);
  });

  it('names a picture of the wrong type in a gallery, which is no union of its own', () => {
    const gallery = { type: 'gallery', images: [{ type: 'picture', alt: 'A' }] };
    assert.deepEqual(problemsOf(NewPostBody, aPost([gallery])), [
      { field: '/body/0/images/0/type', reason: 'must be equal to constant' },
    ]);
  });

  it('says once that a status is none of the four, not once a status', () => {
    assert.deepEqual(problemsOf(PageEditBody, { revision: 1, status: 'draft', reviewMode: 'x' }), [
      { field: '/status', reason: 'must be equal to constant' },
      { field: '/reviewMode', reason: 'must be equal to constant' },
    ]);
  });

  it('names the whole value when it is a block of no known type', () => {
    assert.deepEqual(problemsOf(Block, { type: 'table' }), [
      { field: '/', reason: 'is not any of the accepted forms' },
    ]);
  });

  it('says the block is none of the accepted forms when its type is unknown', () => {
    assert.deepEqual(problemsOf(NewPostBody, aPost([{ type: 'table', rows: [] }])), [
      { field: '/body/0', reason: 'is not any of the accepted forms' },
    ]);
  });

  it('drops the bare "none of the accepted forms" when the branches say why', () => {
    // A page edit's leadMedia is an object or null: a number is neither.
    assert.deepEqual(problemsOf(PageEditBody, { revision: 1, leadMedia: 5 }), [
      { field: '/leadMedia', reason: 'must be object' },
      { field: '/leadMedia', reason: 'must be null' },
    ]);
  });
});

describe('check: the same schemas and rule for the CLI and the importer', OPTIONS, () => {
  it('returns the value when it is valid, every time it is asked', () => {
    const post = aPost();
    assert.equal(check(NewPostBody, post, '/posts/3'), post);
    assert.equal(check(NewPostBody, post, '/posts/3'), post);
  });

  it('throws VALIDATION_FAILED naming each field under where the value came from', () => {
    const bad = { headline: '', body: [], mood: 'grim' };
    assert.throws(
      () => check(NewPostBody, bad, '/posts/3'),
      (error: unknown) => {
        assert.ok(error instanceof LivelineError);
        assert.equal(error.code, 'VALIDATION_FAILED');
        assert.deepEqual(error.problems, [
          { field: '/posts/3/mood', reason: 'is not a known field' },
          { field: '/posts/3/headline', reason: 'must NOT have fewer than 1 characters' },
        ]);
        assert.equal(
          error.message,
          '/posts/3/mood is not a known field; /posts/3/headline must NOT have fewer than 1 characters',
        );
        return true;
      },
    );
  });

  it('takes a value exactly as given, as a request body: no coercion', () => {
    assert.throws(() => check(PageEditBody, { revision: '3' }, '/page'), LivelineError);
  });

  it('names the place itself when the whole value is wrong', () => {
    assert.throws(
      () => check(NewPostBody, null, '/posts/7'),
      (error: unknown) => {
        assert.ok(error instanceof LivelineError);
        assert.deepEqual(error.problems, [{ field: '/posts/7', reason: 'must be object' }]);
        assert.equal(error.message, '/posts/7 must be object');
        return true;
      },
    );
  });
});
