import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIMITS } from './limits.ts';
import {
  DEFAULT_TEXT_FORMAT,
  DEFAULT_TIME_ZONE,
  LeadMedia,
  PAGE_STATUSES,
  REVIEW_MODES,
  isValidTimeZone,
} from './page.ts';
import { LABELS, normaliseLabels } from './post.ts';
import {
  NewPageBody,
  NewPostBody,
  PageEditBody,
  PostEditBody,
  PostMoveBody,
  PostReturnBody,
  PostScheduleBody,
  RemovalBody,
  UserName,
} from './schemas.ts';
import { compileChecker, toFieldProblems } from './validate.ts';

/**
 * What a client may send to create and edit pages and posts, field by field: the API, the
 * CLI and the importer check against these schemas, so every entry point takes the same.
 * The HTTP suites (pages, posts, bad-input) send a few requests through the routes; each
 * field's rule is pinned here.
 */

const OPTIONS = { timeout: 10_000 };

function accepts(schema: object, value: unknown, what = JSON.stringify(value).slice(0, 120)) {
  const checker = compileChecker(schema, false);
  assert.ok(checker(value), `${what}: ${JSON.stringify(toFieldProblems(checker.errors ?? []))}`);
}

function refuses(schema: object, value: unknown, field: string, ...reasons: string[]) {
  const checker = compileChecker(schema, false);
  assert.equal(checker(value), false, `should be refused: ${JSON.stringify(value).slice(0, 160)}`);
  assert.deepEqual(
    toFieldProblems(checker.errors ?? []),
    reasons.map((reason) => ({ field, reason })),
  );
}

const tooLong = (limit: number) => `must NOT have more than ${limit} characters`;
const tooShort = 'must NOT have fewer than 1 characters';
const LEAD_IMAGE = { kind: 'image', caption: 'Crowds outside' };
const paragraph = { type: 'paragraph', content: [{ type: 'text', text: 'Hello' }] };
const NEW_POST = { headline: 'Minister resigns', body: [paragraph] };

describe('a new live page', OPTIONS, () => {
  const page = (fields: object = {}) => ({ slug: 'election-2025', title: 'Election', ...fields });

  it('takes every field a page may set', () => {
    accepts(
      NewPageBody,
      page({
        description: 'Results as they come',
        status: 'live',
        summary: [{ text: 'Polls closed at 22:00' }],
        leadMedia: {
          kind: 'video',
          src: '/media/clip.mp4',
          alt: 'A count',
          caption: 'Counting starts',
          credit: 'PA',
          poster: 'https://ichef.bbci.co.uk/still.jpg',
          media: 'ab'.repeat(32),
          width: 1,
          height: 20_000,
        },
        timeZone: 'Europe/London',
        textFormat: DEFAULT_TEXT_FORMAT,
        reviewMode: 'review',
        scheduledFor: '2025-07-04T21:00:00Z',
      }),
    );
    accepts(NewPageBody, page({ leadMedia: null, scheduledFor: null }));
    accepts(NewPageBody, page({ leadMedia: LEAD_IMAGE }));
  });

  it('is in one of the four statuses and one of the two review modes', () => {
    assert.deepEqual([...PAGE_STATUSES], ['scheduled', 'live', 'paused', 'ended']);
    assert.deepEqual([...REVIEW_MODES], ['direct', 'review']);
    for (const status of PAGE_STATUSES) accepts(NewPageBody, page({ status }));
    for (const reviewMode of REVIEW_MODES) accepts(NewPageBody, page({ reviewMode }));
    refuses(NewPageBody, page({ status: 'draft' }), '/status', 'must be equal to constant');
    refuses(NewPageBody, page({ reviewMode: 'none' }), '/reviewMode', 'must be equal to constant');
  });

  it('has a slug of lower-case words joined by single hyphens, up to 80 characters', () => {
    const pattern = 'must match pattern "^[a-z0-9]+(?:-[a-z0-9]+)*$"';
    for (const slug of ['a', 'uk-election-2025', 'x'.repeat(LIMITS.slug)]) {
      accepts(NewPageBody, page({ slug }));
    }
    for (const slug of ['Election', 'a--b', '-a', 'a-', 'a_b', 'a b', '']) {
      const problems = compileChecker(NewPageBody, false);
      assert.equal(problems(page({ slug })), false, slug);
      assert.ok(
        toFieldProblems(problems.errors ?? []).some(
          (p) => p.field === '/slug' && p.reason === pattern,
        ),
        slug,
      );
    }
    refuses(
      NewPageBody,
      page({ slug: 'x'.repeat(LIMITS.slug + 1) }),
      '/slug',
      tooLong(LIMITS.slug),
    );
    refuses(NewPageBody, { title: 'Election' }, '/slug', 'is required');
  });

  it('bounds the title, description, summary and time zone', () => {
    refuses(NewPageBody, page({ title: '' }), '/title', tooShort);
    refuses(
      NewPageBody,
      page({ title: 'x'.repeat(LIMITS.title + 1) }),
      '/title',
      tooLong(LIMITS.title),
    );
    refuses(NewPageBody, { slug: 'a' }, '/title', 'is required');
    refuses(
      NewPageBody,
      page({ description: 'x'.repeat(LIMITS.description + 1) }),
      '/description',
      tooLong(LIMITS.description),
    );
    refuses(NewPageBody, page({ summary: [{ text: '' }] }), '/summary/0/text', tooShort);
    refuses(
      NewPageBody,
      page({ summary: [{ text: 'x'.repeat(LIMITS.keyPoint + 1) }] }),
      '/summary/0/text',
      tooLong(LIMITS.keyPoint),
    );
    refuses(
      NewPageBody,
      page({ summary: Array.from({ length: LIMITS.keyPoints + 1 }, () => ({ text: 'x' })) }),
      '/summary',
      `must NOT have more than ${LIMITS.keyPoints} items`,
    );
    refuses(
      NewPageBody,
      page({ summary: [{ text: 'x', cites: [] }] }),
      '/summary/0/cites',
      'is not a known field',
    );
    refuses(NewPageBody, page({ timeZone: '' }), '/timeZone', tooShort);
    refuses(
      NewPageBody,
      page({ timeZone: 'x'.repeat(LIMITS.timeZone + 1) }),
      '/timeZone',
      tooLong(LIMITS.timeZone),
    );
    refuses(NewPageBody, page({ colour: 'red' }), '/colour', 'is not a known field');
  });

  it('has a lead video or picture with a caption, its addresses on the web or on Liveline', () => {
    const lead = (fields: object) => page({ leadMedia: { ...LEAD_IMAGE, ...fields } });
    const checker = compileChecker(NewPageBody, false);
    assert.equal(checker(lead({ kind: 'audio' })), false);
    assert.deepEqual(toFieldProblems(checker.errors ?? []), [
      { field: '/leadMedia/kind', reason: 'must be equal to constant' },
      { field: '/leadMedia', reason: 'must be null' },
    ]);
    // The lead itself (a page may also send null, which every problem below then adds).
    const leadOnly = (fields: object) => ({ ...LEAD_IMAGE, ...fields });
    refuses(LeadMedia, { kind: 'image' }, '/caption', 'is required');
    const media = 'must match pattern "^(https?://|/(?![/\\\\]))\\S+$"';
    refuses(LeadMedia, leadOnly({ src: '//evil.example/a.jpg' }), '/src', media);
    refuses(LeadMedia, leadOnly({ poster: 'javascript:x' }), '/poster', media);
    refuses(LeadMedia, leadOnly({ media: 'x' }), '/media', 'must match pattern "^[0-9a-f]{64}$"');
    const url = `https://example.com/${'a'.repeat(LIMITS.url)}`;
    refuses(LeadMedia, leadOnly({ src: url }), '/src', tooLong(LIMITS.url));
    refuses(LeadMedia, leadOnly({ poster: url }), '/poster', tooLong(LIMITS.url));
    refuses(LeadMedia, leadOnly({ alt: 'x'.repeat(LIMITS.alt + 1) }), '/alt', tooLong(LIMITS.alt));
    refuses(
      LeadMedia,
      leadOnly({ caption: 'x'.repeat(LIMITS.caption + 1) }),
      '/caption',
      tooLong(LIMITS.caption),
    );
    refuses(
      LeadMedia,
      leadOnly({ credit: 'x'.repeat(LIMITS.credit + 1) }),
      '/credit',
      tooLong(LIMITS.credit),
    );
    refuses(LeadMedia, leadOnly({ width: 0 }), '/width', 'must be >= 1');
    refuses(LeadMedia, leadOnly({ height: 20_001 }), '/height', 'must be <= 20000');
    refuses(LeadMedia, leadOnly({ autoplay: true }), '/autoplay', 'is not a known field');
  });

  it('writes its text export as set, every setting given, the capture date a real day or null', () => {
    const format = (fields: object) => page({ textFormat: { ...DEFAULT_TEXT_FORMAT, ...fields } });
    accepts(NewPageBody, format({ zoneStyle: 'short', captureDate: '2025-03-20' }));
    refuses(
      NewPageBody,
      format({ zoneStyle: 'medium' }),
      '/textFormat/zoneStyle',
      'must be equal to constant',
    );
    refuses(NewPageBody, format({ showYear: 'yes' }), '/textFormat/showYear', 'must be boolean');
    refuses(
      NewPageBody,
      format({ repeatTimeLine: 1 }),
      '/textFormat/repeatTimeLine',
      'must be boolean',
    );
    refuses(
      NewPageBody,
      format({ streamPageLine: null }),
      '/textFormat/streamPageLine',
      'must be boolean',
    );
    refuses(NewPageBody, format({ fontSize: 3 }), '/textFormat/fontSize', 'is not a known field');
    const { showYear: _, ...noYear } = DEFAULT_TEXT_FORMAT;
    refuses(NewPageBody, page({ textFormat: noYear }), '/textFormat/showYear', 'is required');
    const checker = compileChecker(NewPageBody, false);
    assert.equal(checker(format({ captureDate: '2025-02-29' })), false);
    assert.deepEqual(toFieldProblems(checker.errors ?? []), [
      { field: '/textFormat/captureDate', reason: 'must match format "date"' },
      { field: '/textFormat/captureDate', reason: 'must be null' },
    ]);
  });

  it("starts with the BBC's text export: long zone names, no year, the stream page line", () => {
    assert.deepEqual(DEFAULT_TEXT_FORMAT, {
      zoneStyle: 'long',
      showYear: false,
      repeatTimeLine: false,
      streamPageLine: true,
      captureDate: null,
    });
  });

  it('goes live by itself at a real instant', () => {
    const checker = compileChecker(NewPageBody, false);
    assert.equal(checker(page({ scheduledFor: '2025-02-29T21:00:00Z' })), false);
    assert.deepEqual(toFieldProblems(checker.errors ?? []), [
      { field: '/scheduledFor', reason: 'must match format "date-time"' },
      { field: '/scheduledFor', reason: 'must be null' },
    ]);
    assert.equal(
      checker(page({ scheduledFor: `2025-03-20T21:00:00.${'1'.repeat(9)}+01:00` })),
      true,
    );
  });
});

describe('an edit of a page', OPTIONS, () => {
  it('names the revision it was made against, a safe whole number from 1', () => {
    accepts(PageEditBody, { revision: 1 });
    accepts(PageEditBody, { revision: Number.MAX_SAFE_INTEGER, title: 'New title' });
    refuses(PageEditBody, { revision: 0 }, '/revision', 'must be >= 1');
    refuses(
      PageEditBody,
      { revision: 2 ** 53 },
      '/revision',
      `must be <= ${Number.MAX_SAFE_INTEGER}`,
    );
    refuses(PageEditBody, { revision: 1.5 }, '/revision', 'must be integer');
    refuses(PageEditBody, { title: 'x' }, '/revision', 'is required');
  });

  it('sets the same fields as a new page but the slug', () => {
    accepts(PageEditBody, {
      revision: 3,
      description: '',
      status: 'paused',
      summary: [],
      leadMedia: null,
      timeZone: 'America/New_York',
      reviewMode: 'direct',
      scheduledFor: null,
    });
    refuses(PageEditBody, { revision: 3, slug: 'new' }, '/slug', 'is not a known field');
    refuses(PageEditBody, { revision: 3, title: '' }, '/title', tooShort);
  });

  it('is on the UK clock of the BBC captures unless it names a zone', () => {
    assert.equal(DEFAULT_TIME_ZONE, 'Europe/London');
    assert.equal(isValidTimeZone(DEFAULT_TIME_ZONE), true);
  });

  it('knows a time zone by its IANA name', () => {
    assert.equal(isValidTimeZone('Europe/London'), true);
    assert.equal(isValidTimeZone('America/Argentina/Buenos_Aires'), true);
    assert.equal(isValidTimeZone('Mars/Olympus_Mons'), false);
    assert.equal(isValidTimeZone('BST+1'), false);
  });
});

describe('a new post', OPTIONS, () => {
  it('takes every field a post may set', () => {
    accepts(NewPostBody, {
      ...NEW_POST,
      labels: ['breaking', 'analysis', 'key'],
      contributors: [{ name: 'Frank Gardner', role: 'Security correspondent' }, { name: 'Desk' }],
      pinned: true,
      status: 'scheduled',
      publishedAt: '2025-03-20T18:10:00Z',
      scheduledFor: '2025-03-20T19:00:00+01:00',
    });
  });

  it('asks for a draft, a submission, a schedule or a publication, never a deletion', () => {
    for (const status of ['draft', 'submitted', 'scheduled', 'published']) {
      accepts(NewPostBody, { ...NEW_POST, status });
    }
    refuses(
      NewPostBody,
      { ...NEW_POST, status: 'deleted' },
      '/status',
      'must be equal to constant',
    );
  });

  it('has a headline of 1 to 300 characters and a body', () => {
    refuses(NewPostBody, { ...NEW_POST, headline: '' }, '/headline', tooShort);
    refuses(
      NewPostBody,
      { ...NEW_POST, headline: 'x'.repeat(LIMITS.headline + 1) },
      '/headline',
      tooLong(LIMITS.headline),
    );
    refuses(NewPostBody, { headline: 'x' }, '/body', 'is required');
    refuses(NewPostBody, { body: [] }, '/headline', 'is required');
    refuses(NewPostBody, { ...NEW_POST, mood: 'grim' }, '/mood', 'is not a known field');
  });

  it('carries up to three different labels of the three the BBC uses', () => {
    assert.deepEqual([...LABELS], ['breaking', 'analysis', 'key']);
    for (const label of LABELS) accepts(NewPostBody, { ...NEW_POST, labels: [label] });
    refuses(
      NewPostBody,
      { ...NEW_POST, labels: ['urgent'] },
      '/labels/0',
      'must be equal to constant',
    );
    refuses(
      NewPostBody,
      { ...NEW_POST, labels: ['key', 'key'] },
      '/labels',
      'must NOT have duplicate items (items ## 0 and 1 are identical)',
    );
  });

  it("puts labels in the BBC's order, each once", () => {
    assert.deepEqual(normaliseLabels(['key', 'breaking', 'key']), ['breaking', 'key']);
    assert.deepEqual(normaliseLabels(['analysis']), ['analysis']);
    assert.deepEqual(normaliseLabels([]), []);
  });

  it('names up to five contributors, each with a name and perhaps a role', () => {
    const contributors = (n: number) => Array.from({ length: n }, () => ({ name: 'A' }));
    accepts(NewPostBody, { ...NEW_POST, contributors: contributors(LIMITS.contributors) });
    refuses(
      NewPostBody,
      { ...NEW_POST, contributors: contributors(LIMITS.contributors + 1) },
      '/contributors',
      `must NOT have more than ${LIMITS.contributors} items`,
    );
    const one = (contributor: object) => ({ ...NEW_POST, contributors: [contributor] });
    refuses(NewPostBody, one({ name: '' }), '/contributors/0/name', tooShort);
    refuses(NewPostBody, one({ role: 'x' }), '/contributors/0/name', 'is required');
    refuses(
      NewPostBody,
      one({ name: 'x'.repeat(LIMITS.contributorName + 1) }),
      '/contributors/0/name',
      tooLong(LIMITS.contributorName),
    );
    refuses(NewPostBody, one({ name: 'A', role: '' }), '/contributors/0/role', tooShort);
    refuses(
      NewPostBody,
      one({ name: 'A', role: 'x'.repeat(LIMITS.contributorRole + 1) }),
      '/contributors/0/role',
      tooLong(LIMITS.contributorRole),
    );
    refuses(
      NewPostBody,
      one({ name: 'A', email: 'a@b' }),
      '/contributors/0/email',
      'is not a known field',
    );
  });

  it('is published or scheduled at real instants', () => {
    refuses(
      NewPostBody,
      { ...NEW_POST, publishedAt: '2025-03-20 18:10' },
      '/publishedAt',
      'must match format "date-time"',
    );
    refuses(
      NewPostBody,
      { ...NEW_POST, scheduledFor: '2025-02-29T18:10:00Z' },
      '/scheduledFor',
      'must match format "date-time"',
    );
    refuses(
      NewPostBody,
      { ...NEW_POST, scheduledFor: `2025-03-20T18:10:00.${'1'.repeat(32)}Z` },
      '/scheduledFor',
      'must NOT have more than 40 characters',
      'must match format "date-time"',
    );
    refuses(NewPostBody, { ...NEW_POST, pinned: 'yes' }, '/pinned', 'must be boolean');
  });
});

describe('an edit of a post', OPTIONS, () => {
  it('names its revision and may change any field, with a public correction', () => {
    accepts(PostEditBody, { revision: 2 });
    accepts(PostEditBody, {
      revision: 2,
      headline: 'Minister resigns after vote',
      body: [paragraph],
      labels: ['key'],
      pinned: false,
      correction: { note: 'The vote was 312 to 290, not 290 to 312.' },
    });
    refuses(PostEditBody, { headline: 'x' }, '/revision', 'is required');
    refuses(PostEditBody, { revision: 2, headline: '' }, '/headline', tooShort);
    refuses(
      PostEditBody,
      { revision: 2, body: [{ type: 'table' }] },
      '/body/0',
      'is not any of the accepted forms',
    );
    refuses(PostEditBody, { revision: 2, mood: 'grim' }, '/mood', 'is not a known field');
  });

  it('corrects with a note that says something, up to 500 characters', () => {
    const correction = (note: string) => ({ revision: 2, correction: { note } });
    refuses(PostEditBody, correction(' \n\t '), '/correction/note', 'must match pattern "\\S"');
    refuses(PostEditBody, correction(''), '/correction/note', tooShort, 'must match pattern "\\S"');
    refuses(
      PostEditBody,
      correction('x'.repeat(LIMITS.correctionNote + 1)),
      '/correction/note',
      tooLong(LIMITS.correctionNote),
    );
    refuses(PostEditBody, { revision: 2, correction: {} }, '/correction/note', 'is required');
    refuses(
      PostEditBody,
      { revision: 2, correction: { note: 'x', by: 'me' } },
      '/correction/by',
      'is not a known field',
    );
  });
});

describe('the workflow and removal requests', OPTIONS, () => {
  it('moves a post at the revision read, and nothing else', () => {
    accepts(PostMoveBody, { revision: 4 });
    refuses(PostMoveBody, {}, '/revision', 'is required');
    refuses(PostMoveBody, { revision: 4, status: 'published' }, '/status', 'is not a known field');
  });

  it('returns a submission with a note of 1 to 2,000 characters', () => {
    accepts(PostReturnBody, { revision: 4, note: 'Check the figure' });
    refuses(PostReturnBody, { revision: 4, note: '' }, '/note', tooShort);
    refuses(
      PostReturnBody,
      { revision: 4, note: 'x'.repeat(LIMITS.reviewNote + 1) },
      '/note',
      tooLong(LIMITS.reviewNote),
    );
    refuses(PostReturnBody, { revision: 4 }, '/note', 'is required');
    refuses(PostReturnBody, { revision: 4, note: 'x', cc: 'a' }, '/cc', 'is not a known field');
  });

  it('schedules a post at a real instant', () => {
    accepts(PostScheduleBody, { revision: 4, at: '2025-03-20T18:10:00Z' });
    refuses(
      PostScheduleBody,
      { revision: 4, at: 'tomorrow' },
      '/at',
      'must match format "date-time"',
    );
    refuses(PostScheduleBody, { revision: 4 }, '/at', 'is required');
    refuses(
      PostScheduleBody,
      { revision: 4, at: '2025-03-20T18:10:00Z', x: 1 },
      '/x',
      'is not a known field',
    );
  });

  it('removes for a reason that says something, up to 1,000 characters', () => {
    accepts(RemovalBody, { reason: 'Court order 2025/123' });
    refuses(RemovalBody, { reason: '   ' }, '/reason', 'must match pattern "\\S"');
    refuses(
      RemovalBody,
      { reason: 'x'.repeat(LIMITS.removalReason + 1) },
      '/reason',
      tooLong(LIMITS.removalReason),
    );
    refuses(RemovalBody, { reason: 'x', by: 'me' }, '/by', 'is not a known field');
  });

  it('names a user in 1 to 100 characters', () => {
    accepts(UserName, 'Dana Whitfield');
    refuses(UserName, '', '/', tooShort);
    refuses(UserName, 'x'.repeat(LIMITS.contributorName + 1), '/', tooLong(LIMITS.contributorName));
  });
});
