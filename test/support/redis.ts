import { Redis } from 'ioredis';

/** The Redis the tests use: this machine's, or TEST_REDIS_URL. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Why Redis tests cannot run here, or null when a server answers. In CI a missing server fails. */
export async function redisUnavailable(): Promise<string | null> {
  const probe = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (error) {
    const reason = `Redis is not reachable at ${TEST_REDIS_URL} (${(error as Error).message})`;
    if (process.env.CI === 'true') throw new Error(reason);
    return reason;
  } finally {
    probe.disconnect();
  }
}
