import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { LivelineError } from './errors.ts';
import {
  checkLiveEdit,
  checkMove,
  mayPublish,
  type Mover,
  type WorkflowStatus,
} from './workflow.ts';

const contributor = (reviewMode: Mover['reviewMode'], own = true): Mover => ({
  role: 'contributor',
  own,
  reviewMode,
});
const editor: Mover = { role: 'editor', own: false, reviewMode: 'review' };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof LivelineError);
    return error.code;
  }
  assert.fail('the move was allowed');
}

describe('the workflow transition table', () => {
  it('lets a contributor publish on a direct page but only submit on a review page', () => {
    assert.equal(checkMove(contributor('direct'), 'new', 'published', 'p'), 'published');
    assert.equal(
      refusal(() => checkMove(contributor('review'), 'new', 'published', 'p')),
      'REVIEW_REQUIRED',
    );
    assert.equal(
      refusal(() => checkMove(contributor('review'), 'draft', 'scheduled', 'p')),
      'REVIEW_REQUIRED',
    );
    assert.equal(checkMove(contributor('review'), 'new', 'submitted', 'p'), 'submitted');
    assert.equal(checkMove(contributor('review'), 'draft', 'submitted', 'p'), 'submitted');
    assert.equal(mayPublish(contributor('review')), false);
    assert.equal(mayPublish(editor), true);
  });

  it('says the page and the rule in the review refusal', () => {
    assert.throws(
      () => checkMove(contributor('review'), 'new', 'published', 'storm'),
      /The live page "storm" is in review mode: contributors submit posts for review/,
    );
  });

  it('lets only editors approve, return or schedule a submission', () => {
    assert.equal(checkMove(editor, 'submitted', 'published', 'p'), 'approved');
    assert.equal(checkMove(editor, 'submitted', 'draft', 'p'), 'returned');
    assert.equal(checkMove(editor, 'submitted', 'scheduled', 'p'), 'scheduled');
    for (const to of ['published', 'draft', 'scheduled'] as const) {
      assert.equal(
        refusal(() => checkMove(contributor('direct'), 'submitted', to, 'p')),
        'FORBIDDEN',
      );
    }
  });

  it('schedules and unschedules for those who may publish', () => {
    assert.equal(checkMove(editor, 'draft', 'scheduled', 'p'), 'scheduled');
    assert.equal(checkMove(editor, 'scheduled', 'scheduled', 'p'), 'scheduled');
    assert.equal(checkMove(editor, 'scheduled', 'draft', 'p'), 'unscheduled');
    assert.equal(checkMove(contributor('direct'), 'scheduled', 'draft', 'p'), 'unscheduled');
    assert.equal(
      refusal(() => checkMove(contributor('review'), 'scheduled', 'draft', 'p')),
      'REVIEW_REQUIRED',
    );
  });

  it("keeps contributors off someone else's post", () => {
    assert.equal(
      refusal(() => checkMove(contributor('direct', false), 'draft', 'published', 'p')),
      'FORBIDDEN',
    );
    assert.equal(
      refusal(() => checkMove(contributor('review', false), 'draft', 'submitted', 'p')),
      'FORBIDDEN',
    );
  });

  it('refuses moves the table does not have, naming both statuses', () => {
    const invalid: [WorkflowStatus | 'new', WorkflowStatus][] = [
      ['published', 'submitted'],
      ['published', 'scheduled'],
      ['draft', 'draft'],
      ['submitted', 'submitted'],
    ];
    for (const [from, to] of invalid) {
      assert.equal(
        refusal(() => checkMove(editor, from, to, 'p')),
        'INVALID_TRANSITION',
        `${from}->${to}`,
      );
    }
    assert.throws(
      () => checkMove(editor, 'published', 'submitted', 'p'),
      /A published post cannot become submitted/,
    );
  });

  it("keeps a contributor on a review page from changing a published post's text", () => {
    assert.equal(
      refusal(() => checkLiveEdit(contributor('review'), 'p')),
      'REVIEW_REQUIRED',
    );
    checkLiveEdit(contributor('direct'), 'p');
    checkLiveEdit(editor, 'p');
  });
});

describe('every move, for every kind of person (the table the desk and docs/workflow.md show)', () => {
  /** The step a move records, or the refusal a person sees: its code and sentence. */
  function outcome(mover: Mover, from: WorkflowStatus | 'new', to: WorkflowStatus): string {
    try {
      return checkMove(mover, from, to, 'storm');
    } catch (error) {
      assert.ok(error instanceof LivelineError);
      return `${error.code}: ${error.message}`;
    }
  }
  const REVIEW =
    'REVIEW_REQUIRED: The live page "storm" is in review mode: contributors submit posts for review.';
  const NOT_THEIRS = "FORBIDDEN: The contributor role may not move someone else's post.";
  const RETURN = 'FORBIDDEN: Only editors may return a submission.';
  const APPROVE = 'FORBIDDEN: Only editors may approve or schedule a submission.';
  const movers = {
    editor,
    'own, direct page': contributor('direct'),
    "someone else's, direct page": contributor('direct', false),
    'own, review page': contributor('review'),
    "someone else's, review page": contributor('review', false),
  };
  // [from, to, editor, contributor: own or someone else's on a direct page, then on a review page]
  // (a new post is always its writer's own: planMove says so; the column shows the rule holds)
  const table: [WorkflowStatus | 'new', WorkflowStatus, string, string, string, string, string][] =
    [
      ['new', 'draft', 'created', 'created', NOT_THEIRS, 'created', NOT_THEIRS],
      ['new', 'submitted', 'submitted', 'submitted', NOT_THEIRS, 'submitted', NOT_THEIRS],
      ['new', 'scheduled', 'scheduled', 'scheduled', NOT_THEIRS, REVIEW, REVIEW],
      ['new', 'published', 'published', 'published', NOT_THEIRS, REVIEW, REVIEW],
      ['draft', 'submitted', 'submitted', 'submitted', NOT_THEIRS, 'submitted', NOT_THEIRS],
      ['draft', 'scheduled', 'scheduled', 'scheduled', NOT_THEIRS, REVIEW, REVIEW],
      ['draft', 'published', 'published', 'published', NOT_THEIRS, REVIEW, REVIEW],
      ['submitted', 'draft', 'returned', RETURN, RETURN, RETURN, RETURN],
      ['submitted', 'scheduled', 'scheduled', APPROVE, APPROVE, APPROVE, APPROVE],
      ['submitted', 'published', 'approved', APPROVE, APPROVE, APPROVE, APPROVE],
      ['scheduled', 'draft', 'unscheduled', 'unscheduled', NOT_THEIRS, REVIEW, REVIEW],
      ['scheduled', 'scheduled', 'scheduled', 'scheduled', NOT_THEIRS, REVIEW, REVIEW],
      ['scheduled', 'published', 'published', 'published', NOT_THEIRS, REVIEW, REVIEW],
      ['published', 'draft', 'unpublished', 'unpublished', NOT_THEIRS, 'unpublished', NOT_THEIRS],
    ];

  it('records the step of each allowed move, and refuses each person with the sentence they see', () => {
    for (const [from, to, ...expected] of table) {
      const got = Object.values(movers).map((mover) => outcome(mover, from, to));
      assert.deepEqual(got, expected, `${from} -> ${to} for ${Object.keys(movers).join(', ')}`);
    }
  });

  it('refuses every other move as INVALID_TRANSITION, naming both statuses', () => {
    const statuses: WorkflowStatus[] = ['draft', 'submitted', 'scheduled', 'published'];
    const allowed = new Set(table.map(([from, to]) => `${from}>${to}`));
    let refused = 0;
    for (const from of statuses) {
      for (const to of statuses.filter((s) => !allowed.has(`${from}>${s}`))) {
        refused += 1;
        assert.throws(
          () => checkMove(editor, from, to, 'storm'),
          (error: unknown) =>
            error instanceof LivelineError &&
            error.code === 'INVALID_TRANSITION' &&
            error.message === `A ${from} post cannot become ${to}.` &&
            isDeepStrictEqual(error.extra, { from, to }),
          `${from} -> ${to}`,
        );
      }
    }
    assert.equal(refused, 6, 'draft>draft, submitted>submitted, scheduled>submitted, published>3');
  });

  it('tells a contributor on a review page why a published post cannot change', () => {
    assert.throws(
      () => checkLiveEdit(contributor('review'), 'storm'),
      new LivelineError(
        'REVIEW_REQUIRED',
        'The live page "storm" is in review mode: contributors cannot change published or scheduled posts; ask an editor.',
      ),
    );
  });
});
