/** How the outbox retries a failed job (ADR 0022). */
export interface RetryPolicy {
  /** The wait after the first failure; each later one doubles it, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long after the job was written it is retried at all; then it fails for good. */
  retryForMs: number;
}

/** Retries after 10 s, 20 s, 40 s... at most an hour apart, for a day. */
export const DEFAULT_RETRY: RetryPolicy = {
  firstDelayMs: 10_000,
  maxDelayMs: 3_600_000,
  retryForMs: 24 * 3_600_000,
};

/**
 * When a job that failed its `attempts`-th try runs again, or null when that would be past
 * its retry window (it fails for good). Pure: the runner passes the times.
 */
export function nextAttempt(
  policy: RetryPolicy,
  attempts: number,
  createdAt: string,
  now: Date,
): string | null {
  const delay = Math.min(policy.firstDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  const next = now.getTime() + delay;
  if (next > Date.parse(createdAt) + policy.retryForMs) return null;
  return new Date(next).toISOString();
}
