import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LivelineError } from './errors.ts';
import { authorize, may, type Action } from './permissions.ts';
import type { Role, User } from './user.ts';

const person = (id: string, role: Role): User => ({
  id,
  name: id,
  email: `${id}@newsroom.example`,
  role,
  bylineRole: '',
  disabled: false,
  createdAt: '2025-01-01T00:00:00.000Z',
});

const ROLE_PEOPLE: Record<Role, User> = {
  admin: person('ada', 'admin'),
  editor: person('rich', 'editor'),
  contributor: person('frank', 'contributor'),
};
/** The post each check is about: the mover's own, or someone else's. */
const OWN = (user: User) => ({ authorId: user.id });
const SOMEONE_ELSES = { authorId: 'james' };

/**
 * The newsroom's role table, cell by cell: what each role may do, and the sentence a refused
 * person reads. 12 actions for 3 roles, and a contributor's own and someone else's post for
 * edit and delete: 42 cells. `true` is allowed; a string is the 403 message.
 */
const TABLE: [Action, 'own' | 'other' | 'none', Record<Role, true | string>][] = [
  [
    'page.create',
    'none',
    {
      admin: true,
      editor: true,
      contributor: 'The contributor role may not create live pages.',
    },
  ],
  [
    'page.edit',
    'none',
    {
      admin: true,
      editor: true,
      contributor: 'The contributor role may not change a live page.',
    },
  ],
  [
    'page.import',
    'none',
    {
      admin: true,
      editor: true,
      contributor: 'The contributor role may not import live pages.',
    },
  ],
  ['post.create', 'none', { admin: true, editor: true, contributor: true }],
  [
    'post.pin',
    'own',
    {
      admin: true,
      editor: true,
      contributor: 'The contributor role may not pin or unpin posts.',
    },
  ],
  ['post.edit', 'own', { admin: true, editor: true, contributor: true }],
  [
    'post.edit',
    'other',
    {
      admin: true,
      editor: true,
      contributor: "The contributor role may not edit someone else's post.",
    },
  ],
  ['post.delete', 'own', { admin: true, editor: true, contributor: true }],
  [
    'post.delete',
    'other',
    {
      admin: true,
      editor: true,
      contributor: "The contributor role may not delete someone else's post.",
    },
  ],
  [
    'post.remove',
    'other',
    {
      admin: true,
      editor: true,
      contributor: 'The contributor role may not remove posts for legal reasons.',
    },
  ],
  [
    'people.manage',
    'none',
    {
      admin: true,
      editor: "The editor role may not manage the newsroom's people.",
      contributor: "The contributor role may not manage the newsroom's people.",
    },
  ],
  [
    'audit.read',
    'none',
    {
      admin: true,
      editor: 'The editor role may not read the audit log.',
      contributor: 'The contributor role may not read the audit log.',
    },
  ],
  [
    'webhooks.manage',
    'none',
    {
      admin: true,
      editor: 'The editor role may not manage webhooks.',
      contributor: 'The contributor role may not manage webhooks.',
    },
  ],
  [
    'media.original',
    'none',
    {
      admin: true,
      editor: true,
      contributor: 'The contributor role may not download the original file of a picture.',
    },
  ],
];

function refusal(fn: () => void): LivelineError | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof LivelineError, `not a catalogue error: ${String(error)}`);
    return error;
  }
}

describe('the role table', () => {
  for (const [action, whose, roles] of TABLE) {
    for (const [role, expected] of Object.entries(roles) as [Role, true | string][]) {
      const user = ROLE_PEOPLE[role];
      const post = whose === 'own' ? OWN(user) : whose === 'other' ? SOMEONE_ELSES : undefined;
      const cell = `${role} ${action}${whose === 'none' ? '' : ` (${whose} post)`}`;
      it(`${cell}: ${expected === true ? 'allowed' : 'refused'}`, () => {
        assert.equal(may(user, action, post), expected === true);
        const error = refusal(() => authorize(user, action, post));
        if (expected === true) {
          assert.equal(error, undefined);
        } else {
          assert.equal(error?.code, 'FORBIDDEN');
          assert.equal(error?.message, expected);
        }
      });
    }
  }
});

describe('a post that is not there', () => {
  it('is denied to a contributor, with a message, rather than throwing a TypeError', () => {
    const frank = ROLE_PEOPLE.contributor;
    for (const action of ['post.edit', 'post.delete'] as const) {
      assert.equal(may(frank, action), false);
      const error = refusal(() => authorize(frank, action));
      assert.equal(error?.code, 'FORBIDDEN');
    }
    assert.equal(
      refusal(() => authorize(frank, 'post.edit'))?.message,
      'The contributor role may not edit this post.',
    );
    assert.equal(
      refusal(() => authorize(frank, 'post.delete'))?.message,
      'The contributor role may not delete this post.',
    );
  });

  it('does not stop an editor or an admin, who may act on any post', () => {
    assert.equal(may(ROLE_PEOPLE.editor, 'post.edit'), true);
    assert.equal(may(ROLE_PEOPLE.admin, 'post.delete'), true);
  });
});
