import type { FastifyReply } from 'fastify';
import type { Committed } from '../../services/commit.ts';
import type { Answer } from '../../services/idempotency.ts';

/** Marks an answer replayed from an earlier request with the same Idempotency-Key. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * Sends the answer to a committed write: `answer` builds it from the new value, and a replay
 * sends the answer stored the first time (status, headers, body) as it was.
 */
export function sendCommitted<T>(
  reply: FastifyReply,
  committed: Committed<T>,
  answer: (value: T) => Answer,
): FastifyReply {
  if (committed.replayed) {
    const { status, headers, body } = committed.answer;
    return reply.code(status).headers(headers).header(REPLAYED_HEADER, 'true').send(body);
  }
  const { status, headers, body } = answer(committed.value);
  return reply.code(status).headers(headers).send(body);
}
