import { Type } from '@sinclair/typebox';
import { LIMITS } from './limits.ts';
import { PASSWORD_LIMITS } from './password.ts';
import { LINK_PURPOSES } from './session.ts';
import { ROLES } from './user.ts';
import { UserName } from './schemas.ts';

/**
 * The shapes of people, sign-in and one-time links, shared by the desk routes and the CLI.
 * An e-mail is checked only for its shape: Liveline sends no mail, an admin types it.
 */
export const Email = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern: '^[^\\s@]+@[^\\s@]+$',
  description: 'An e-mail address; compared case-insensitively.',
});
export const Password = Type.String({
  minLength: PASSWORD_LIMITS.min,
  maxLength: PASSWORD_LIMITS.max,
  description: `At least ${PASSWORD_LIMITS.min} characters, at most ${PASSWORD_LIMITS.max}.`,
});
export const RoleName = Type.Union(ROLES.map((role) => Type.Literal(role)));
export const BylineRole = Type.String({ maxLength: LIMITS.contributorRole });

export const SignInBody = Type.Object(
  // A sign-in is refused, not explained: any string up to the limit is tried.
  {
    email: Type.String({ maxLength: 254 }),
    password: Type.String({ maxLength: PASSWORD_LIMITS.max }),
  },
  { additionalProperties: false },
);
export const NewPersonBody = Type.Object(
  {
    email: Email,
    name: UserName,
    bylineRole: Type.Optional(BylineRole),
    role: RoleName,
  },
  { additionalProperties: false },
);
export const PersonEditBody = Type.Object(
  {
    role: Type.Optional(RoleName),
    disabled: Type.Optional(Type.Boolean()),
    name: Type.Optional(UserName),
    bylineRole: Type.Optional(BylineRole),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const SetPasswordBody = Type.Object({ password: Password }, { additionalProperties: false });
export const LinkPurposeName = Type.Union(LINK_PURPOSES.map((p) => Type.Literal(p)));
export const TokenNameBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: LIMITS.contributorName }) },
  { additionalProperties: false },
);
