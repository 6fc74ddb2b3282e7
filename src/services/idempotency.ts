import { createHash } from 'node:crypto';
import { LivelineError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { IdempotencyConflict, type StoreWriter } from '../store/store.ts';
import type { ServiceDeps } from './deps.ts';

/** An Idempotency-Key and a fingerprint of the request it came with. */
export interface IdempotencyRequest {
  key: string;
  fingerprint: string;
}

/** The fingerprint of a request: the same key with a different request is refused. */
export function fingerprint(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

export type Once<T> =
  { replayed: false; value: T } | { replayed: true; status: number; body: unknown };

/**
 * Runs `work` in a transaction at most once per (user, key): the response is stored in the
 * same transaction as the work, so a repeat, even a concurrent one, gets the first response
 * and creates nothing new. Without a key the work simply runs.
 */
export async function once<T>(
  deps: ServiceDeps,
  actor: User,
  request: IdempotencyRequest | undefined,
  work: (tx: StoreWriter) => Promise<{ value: T; status: number; body: unknown }>,
): Promise<Once<T>> {
  const replay = async (): Promise<Once<T> | null> => {
    if (!request) return null;
    const stored = await deps.store.getIdempotentResponse(actor.id, request.key);
    if (!stored) return null;
    if (stored.fingerprint !== request.fingerprint)
      throw new LivelineError('IDEMPOTENCY_KEY_REUSED');
    return { replayed: true, status: stored.status, body: stored.body };
  };

  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await deps.store.transaction(async (tx) => {
      const result = await work(tx);
      if (request) {
        await tx.saveIdempotentResponse(actor.id, request.key, {
          fingerprint: request.fingerprint,
          status: result.status,
          body: result.body,
        });
      }
      return { replayed: false, value: result.value };
    });
  } catch (error) {
    // A concurrent request with the same key committed first: ours rolled back whole.
    if (error instanceof IdempotencyConflict) {
      const first = await replay();
      if (first) return first;
    }
    throw error;
  }
}
