import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RANDOM_CHARS = 10;

let lastTime = -1;
let lastRandom: number[] = [];

function encodeTime(time: number): string {
  let text = '';
  let t = time;
  for (let i = 0; i < 10; i++) {
    text = ALPHABET[t % 32] + text;
    t = Math.floor(t / 32);
  }
  return text;
}

/** Adds one to a base-32 number held as digits; false when it overflows. */
function increment(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    if ((digits[i] ?? 0) < 31) {
      digits[i] = (digits[i] ?? 0) + 1;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

/**
 * A new identifier: 10 characters of time then 10 of randomness, in Crockford's base32, so ids
 * are URL-safe, short enough for permalinks, and sort in the order they were made, even
 * within one millisecond (the random part then counts up, as ULIDs do). Posts published in
 * the same minute are ordered by id, so this keeps an import's order.
 */
export function newId(now: number = Date.now()): string {
  if (now <= lastTime && increment(lastRandom)) {
    return encodeTime(lastTime) + lastRandom.map((d) => ALPHABET[d]).join('');
  }
  lastTime = Math.max(now, lastTime + 1);
  lastRandom = [...randomBytes(RANDOM_CHARS)].map((byte) => byte % 32);
  // Leave room to count up within the millisecond.
  lastRandom[0] = (lastRandom[0] ?? 0) % 16;
  return encodeTime(lastTime) + lastRandom.map((d) => ALPHABET[d]).join('');
}

export const ID_PATTERN = '^[0-9a-z]{20}$';
