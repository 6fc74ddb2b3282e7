import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new identifier: 10 characters of time then 10 of randomness, in Crockford's base32, so ids
 * are URL-safe, short enough for permalinks, and sort in the order they were made.
 */
export function newId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let random = '';
  for (const byte of randomBytes(10)) random += ALPHABET[byte % 32];
  return time + random;
}

export const ID_PATTERN = '^[0-9a-z]{20}$';
