import { createHash } from 'node:crypto';

/** What the route answers for a committed value: the same for the first request and replays. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * An Idempotency-Key, a fingerprint of the request it came with, and how the route answers:
 * the answer is stored with the work, in its transaction, and replayed as it was.
 */
export interface IdempotencyRequest<T> {
  key: string;
  fingerprint: string;
  answer: (value: T) => Answer;
}

/** The fingerprint of a request: the same key with a different request is refused. */
export function fingerprint(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}
