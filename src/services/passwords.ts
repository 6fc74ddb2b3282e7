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

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummy: Promise<string> | null = null;

/** The dummy hash, made once: a valid argon2id hash, so verifying against it never fails. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword('a password nobody has; it only makes the work the same');
  return dummy;
}

/**
 * Makes the dummy hash now, so that even the first unknown e-mail costs one verification
 * like a wrong password, not a hash and a verification. The server calls it at start.
 */
export async function preparePasswords(): Promise<void> {
  await dummyHash();
}

/**
 * Checks a password against a stored hash. With no hash (unknown e-mail, a token-only user,
 * an invitation not yet taken up) it verifies against a dummy hash of the same cost, so the
 * answer takes as long as for a wrong password and says nothing about who exists. A stored
 * hash argon2 cannot read refuses the password rather than failing the request.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    await verify(await dummyHash(), password);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
