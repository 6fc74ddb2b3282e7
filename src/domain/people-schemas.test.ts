import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LivelineError } from './errors.ts';
import { LIMITS } from './limits.ts';
import { checkPassword } from './password.ts';
import {
  BylineRole,
  Email,
  LinkPurposeName,
  NewPersonBody,
  PersonEditBody,
  SetPasswordBody,
  SignInBody,
  TokenNameBody,
} from './people-schemas.ts';
import { ROLES, normaliseEmail } from './user.ts';
import { compileChecker, toFieldProblems } from './validate.ts';

/**
 * The people of the newsroom: who an admin may add, what a person may change, the password
 * rule and the sign-in form. The desk's HTTP suites (desk-people, desk-sign-in, both
 * databases) go through the routes; each rule is pinned here.
 */

const OPTIONS = { timeout: 10_000 };

function accepts(schema: object, value: unknown) {
  const checker = compileChecker(schema, false);
  assert.ok(checker(value), `${JSON.stringify(value)}: ${JSON.stringify(checker.errors)}`);
}

function refuses(schema: object, value: unknown, field: string, ...reasons: string[]) {
  const checker = compileChecker(schema, false);
  assert.equal(checker(value), false, `should be refused: ${JSON.stringify(value).slice(0, 120)}`);
  assert.deepEqual(
    toFieldProblems(checker.errors ?? []),
    reasons.map((reason) => ({ field, reason })),
  );
}

/** The sentence a refused password gets, or null when it is taken. */
function passwordProblem(password: string, field?: string) {
  try {
    checkPassword(password, field);
    return null;
  } catch (error) {
    assert.ok(error instanceof LivelineError);
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.equal(error.problems.length, 1);
    const [problem] = error.problems;
    assert.equal(error.message, `${problem?.field}: ${problem?.reason}`);
    return problem;
  }
}

const DANA = { email: 'dana@newsroom.example', name: 'Dana Whitfield', role: 'editor' };

describe('the password rule: 12 to 1,000 characters, nothing else', OPTIONS, () => {
  it('takes 12 characters and 1,000, whatever they are', () => {
    assert.equal(passwordProblem('x'.repeat(12)), null);
    assert.equal(passwordProblem('x'.repeat(1_000)), null);
    assert.equal(passwordProblem('correct horse battery staple'), null);
  });

  it('refuses 11 characters and 1,001, naming the field', () => {
    assert.deepEqual(passwordProblem('x'.repeat(11)), {
      field: '/password',
      reason: 'must be at least 12 characters long',
    });
    assert.deepEqual(passwordProblem('x'.repeat(1_001), '/newPassword'), {
      field: '/newPassword',
      reason: 'must be at most 1000 characters long',
    });
  });

  it('counts characters, not UTF-16 units: an emoji is one character', () => {
    const emoji = '\u{1F510}';
    assert.deepEqual(passwordProblem(emoji.repeat(11)), {
      field: '/password',
      reason: 'must be at least 12 characters long',
    });
    assert.equal(passwordProblem(emoji.repeat(12)), null);
    assert.equal(passwordProblem(emoji.repeat(1_000)), null);
  });

  it('is the rule the desk forms check too', () => {
    accepts(SetPasswordBody, { password: 'x'.repeat(12) });
    accepts(SetPasswordBody, { password: 'x'.repeat(1_000) });
    refuses(
      SetPasswordBody,
      { password: 'x'.repeat(11) },
      '/password',
      'must NOT have fewer than 12 characters',
    );
    refuses(
      SetPasswordBody,
      { password: 'x'.repeat(1_001) },
      '/password',
      'must NOT have more than 1000 characters',
    );
    refuses(SetPasswordBody, {}, '/password', 'is required');
    refuses(
      SetPasswordBody,
      { password: 'x'.repeat(12), old: 'y' },
      '/old',
      'is not a known field',
    );
  });
});

describe('e-mail addresses', OPTIONS, () => {
  it('are compared in one spelling: trimmed and lower-case', () => {
    assert.equal(
      normaliseEmail('  Dana.Whitfield@Newsroom.Example \n'),
      'dana.whitfield@newsroom.example',
    );
    assert.equal(normaliseEmail('a@b.c'), 'a@b.c');
  });

  it('have a shape: something, one @, something, no spaces, 3 to 254 characters', () => {
    for (const email of ['a@b', 'dana@newsroom.example', `${'x'.repeat(250)}@b.c`]) {
      accepts(Email, email);
    }
    const shape = 'must match pattern "^[^\\s@]+@[^\\s@]+$"';
    for (const email of ['dana', '@newsroom.example', 'dana@', 'da na@x.y', 'a@b@c', ' a@b']) {
      refuses(Email, email, '/', shape);
    }
    refuses(Email, 'a@', '/', 'must NOT have fewer than 3 characters', shape);
    refuses(Email, `${'x'.repeat(251)}@b.c`, '/', 'must NOT have more than 254 characters');
  });
});

describe('signing in', OPTIONS, () => {
  it('tries any e-mail and password up to the limits, without explaining a refusal', () => {
    accepts(SignInBody, { email: 'not an address', password: 'short' });
    refuses(
      SignInBody,
      { email: 'x'.repeat(255), password: 'p' },
      '/email',
      'must NOT have more than 254 characters',
    );
    refuses(
      SignInBody,
      { email: 'a@b', password: 'x'.repeat(1_001) },
      '/password',
      'must NOT have more than 1000 characters',
    );
    refuses(
      SignInBody,
      { email: 'a@b', password: 'p', remember: true },
      '/remember',
      'is not a known field',
    );
    refuses(SignInBody, { password: 'p' }, '/email', 'is required');
  });
});

describe('people an admin adds and changes', OPTIONS, () => {
  it('adds a person with an e-mail, a name, a role and perhaps a byline role', () => {
    assert.deepEqual([...ROLES], ['admin', 'editor', 'contributor']);
    for (const role of ROLES) accepts(NewPersonBody, { ...DANA, role });
    accepts(NewPersonBody, { ...DANA, bylineRole: 'Political editor' });
    accepts(NewPersonBody, { ...DANA, bylineRole: '' });
    refuses(NewPersonBody, { ...DANA, role: 'owner' }, '/role', 'must be equal to constant');
    refuses(
      NewPersonBody,
      { ...DANA, email: 'dana' },
      '/email',
      'must match pattern "^[^\\s@]+@[^\\s@]+$"',
    );
    refuses(NewPersonBody, { ...DANA, name: '' }, '/name', 'must NOT have fewer than 1 characters');
    refuses(
      NewPersonBody,
      { ...DANA, bylineRole: 'x'.repeat(LIMITS.contributorRole + 1) },
      '/bylineRole',
      `must NOT have more than ${LIMITS.contributorRole} characters`,
    );
    refuses(
      NewPersonBody,
      { ...DANA, password: 'x'.repeat(12) },
      '/password',
      'is not a known field',
    );
    const { role: _, ...noRole } = DANA;
    refuses(NewPersonBody, noRole, '/role', 'is required');
  });

  it('changes a role, the name, the byline or disables: at least one of them', () => {
    accepts(PersonEditBody, { role: 'contributor' });
    accepts(PersonEditBody, { disabled: true, name: 'Dana W', bylineRole: '' });
    refuses(PersonEditBody, {}, '/', 'must NOT have fewer than 1 properties');
    refuses(PersonEditBody, { disabled: 'yes' }, '/disabled', 'must be boolean');
    refuses(PersonEditBody, { role: 'owner' }, '/role', 'must be equal to constant');
    refuses(PersonEditBody, { name: '' }, '/name', 'must NOT have fewer than 1 characters');
    refuses(
      PersonEditBody,
      { bylineRole: 'x'.repeat(LIMITS.contributorRole + 1) },
      '/bylineRole',
      `must NOT have more than ${LIMITS.contributorRole} characters`,
    );
    refuses(PersonEditBody, { email: 'a@b' }, '/email', 'is not a known field');
    accepts(BylineRole, 'x'.repeat(LIMITS.contributorRole));
  });

  it('sends a link to set a password or to reset one', () => {
    accepts(LinkPurposeName, 'set-password');
    accepts(LinkPurposeName, 'reset-password');
    const checker = compileChecker(LinkPurposeName, false);
    assert.equal(checker('sign-in'), false);
  });

  it('names an API token in 1 to 100 characters', () => {
    accepts(TokenNameBody, { name: 'Results feed' });
    refuses(TokenNameBody, { name: '' }, '/name', 'must NOT have fewer than 1 characters');
    refuses(
      TokenNameBody,
      { name: 'x'.repeat(LIMITS.contributorName + 1) },
      '/name',
      `must NOT have more than ${LIMITS.contributorName} characters`,
    );
    refuses(TokenNameBody, { name: 'x', scope: 'all' }, '/scope', 'is not a known field');
    refuses(TokenNameBody, {}, '/name', 'is required');
  });
});
