import { hash, verify } from '@node-rs/argon2';

/**
 * Password hashing: argon2id with OWASP's first recommended setting (19 MiB, 2 passes, one
 * lane): about 10 ms a verification here (ADR 0012). The parameters travel in each hash, so
 * raising them later leaves old hashes verifiable.
 */
const OPTIONS = {
  // Algorithm.Argon2id: the package's enum is `const`, which this build cannot import.
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * What a password is checked against when there is no hash to check it against: the argon2id
 * hash, at OPTIONS, of 32 random bytes nobody kept. Verifying against it costs what a wrong
 * password costs. passwords.test.ts holds it to OPTIONS: change both together.
 */
export const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$+d9ipBrHSaRqsBGjtHuv0w$N8Lk3I06ai0XH1sGsmeNZQ6em5ab+dvQGwhLH7nhN3o';

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/**
 * Checks a password against a stored hash. With no hash (unknown e-mail, a token-only user,
 * an invitation not yet taken up) it verifies against the dummy hash, so the answer takes as
 * long as for a wrong password and says nothing about who exists. A stored hash argon2 cannot
 * read refuses the password rather than failing the request.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    await verify(DUMMY_HASH, password);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
