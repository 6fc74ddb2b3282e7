import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
