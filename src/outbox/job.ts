/**
 * A job of the durable outbox (ADR 0022): work that must happen after a commit, written in
 * the commit's own transaction so a crash or restart never loses it, then done by whichever
 * instance claims it first. `topic` says which handler does it (`webhook`, later `push`).
 */
export interface OutboxJob {
  id: string;
  topic: string;
  payload: unknown;
  /** How many times it has been claimed, this claim included. */
  attempts: number;
  /** Not before this instant. */
  nextAt: string;
  state: JobState;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export type JobState = 'pending' | 'done' | 'failed';

/** What `enqueueJob` needs: the topic, what its handler reads, and when it may run. */
export interface NewJob {
  topic: string;
  payload: unknown;
  /** Default: at once (the transaction's now). */
  nextAt?: string;
}

/** How a claimed attempt ended: done, due again at `nextAt`, or given up. */
export type JobOutcome =
  | { state: 'done' }
  | { state: 'pending'; nextAt: string; error: string }
  | { state: 'failed'; error: string };
