import { invalid } from './errors.ts';

/**
 * The password rule: long enough to resist guessing (NIST SP 800-63B asks for at least 8;
 * a newsroom account that can publish deserves 12), short enough that hashing it costs a
 * bounded time. No composition rules: length is what counts.
 */
export const PASSWORD_LIMITS = { min: 12, max: 1_000 } as const;

/** Throws VALIDATION_FAILED naming `field` unless the password fits the rule. */
export function checkPassword(password: string, field = '/password'): void {
  const length = [...password].length;
  if (length < PASSWORD_LIMITS.min)
    throw invalid(field, `must be at least ${PASSWORD_LIMITS.min} characters long`);
  if (length > PASSWORD_LIMITS.max)
    throw invalid(field, `must be at most ${PASSWORD_LIMITS.max} characters long`);
}
