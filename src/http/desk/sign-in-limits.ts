import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LivelineError } from '../../domain/errors.ts';
import { normaliseEmail } from '../../domain/user.ts';
import { addressKey } from '../../net/ip-address.ts';

const WINDOW_MS = 15 * 60_000;

/**
 * Sign-in attempts counted with @fastify/rate-limit: per account (whatever the address, so
 * spreading a guess over many addresses does not help) and per address. Each attempt counts
 * BEFORE the password is checked, so a locked account refuses even the right password and
 * costs no hash. A successful sign-in starts the account's count again ("in a row"): the
 * counter's key carries a generation that a success moves on. Counters are per instance
 * (ADR 0011 explains why that is enough here).
 */
export function signInLimits(
  app: FastifyInstance,
  limits: { perAccount: number; perAddress: number },
) {
  const generation = new Map<string, number>();
  const accountKey = (request: FastifyRequest) => {
    const email = normaliseEmail((request.body as { email?: string } | undefined)?.email ?? '');
    return `sign-in|account|${email}|${generation.get(email) ?? 0}`;
  };
  const account = app.createRateLimit({
    max: limits.perAccount,
    timeWindow: WINDOW_MS,
    keyGenerator: accountKey,
  });
  const address = app.createRateLimit({
    max: limits.perAddress,
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => `sign-in|address|${addressKey(request.ip)}`,
  });
  return {
    /** Counts an attempt; over either limit, a 429 problem with Retry-After. */
    async attempt(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      for (const [counter, what] of [
        [account, 'Too many sign-in attempts for this account'],
        [address, 'Too many sign-in attempts from this address'],
      ] as const) {
        const result = await counter(request);
        if (result.isAllowed || !result.isExceeded) continue;
        reply.header('retry-after', String(result.ttlInSeconds));
        throw new LivelineError('RATE_LIMITED', `${what}; try again in ${result.ttlInSeconds} s.`, {
          extra: { retryAfter: result.ttlInSeconds },
        });
      }
    },
    succeeded(email: string): void {
      const key = normaliseEmail(email);
      generation.set(key, (generation.get(key) ?? 0) + 1);
      // Bounded: forgetting generations only lets old counts expire by their window.
      if (generation.size > 100_000) generation.clear();
    },
  };
}
