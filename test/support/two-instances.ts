import { randomBytes } from 'node:crypto';
import type { AppOptions } from '../../src/app.ts';
import { RedisBus } from '../../src/bus/redis/redis-bus.ts';
import { connectPostgres } from '../../src/store/postgres/connect.ts';
import { freshPostgresStore, TEST_DATABASE_URL } from './postgres.ts';
import { TEST_REDIS_URL } from './redis.ts';
import { startTestServer, type TestServer } from './server.ts';

export interface TwoInstances {
  a: TestServer;
  b: TestServer;
  /** Random per run: names this run's Redis channel and keys so runs never meet. */
  tag: string;
  /** Stops both instances and everything they were given, newest first. */
  close(): Promise<void>;
}

/**
 * Two instances of one newsroom, as a scale-out runs them: one PostgreSQL schema (each
 * instance its own pool) and one Redis channel for change notices, with a live page
 * "shared" made on the first. `each(tag, onClose)` gives the options of instance a and b
 * (a presence board, latency sharing...); what it opens it hands to `onClose`.
 */
export async function twoInstances(
  each: (
    tag: string,
    onClose: (close: () => Promise<void>) => void,
  ) => Promise<[AppOptions, AppOptions]> = async () => [{}, {}],
): Promise<TwoInstances> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const step of closers.reverse()) await step().catch(() => undefined);
  };
  try {
    const fresh = await freshPostgresStore();
    closers.push(fresh.drop);
    const second = await connectPostgres(TEST_DATABASE_URL, {
      schema: fresh.schema,
      maxConnections: 3,
    });
    closers.push(() => second.close());
    const tag = randomBytes(4).toString('hex');
    const channel = `liveline-test-${tag}`;
    const busA = await RedisBus.connect(TEST_REDIS_URL, { channel });
    const busB = await RedisBus.connect(TEST_REDIS_URL, { channel });
    closers.push(
      () => busA.close(),
      () => busB.close(),
    );
    const [optionsA, optionsB] = await each(tag, (step) => closers.push(step));
    const a = await startTestServer(fresh.store, optionsA, { bus: busA });
    closers.push(() => a.app.close());
    const b = await startTestServer(second, optionsB, { bus: busB });
    closers.push(() => b.app.close());
    const made = await a.call('editor', 'POST', '/api/pages', {
      slug: 'shared',
      title: 'Shared',
      status: 'live',
    });
    if (made.statusCode !== 201) throw new Error(`the shared page: ${made.body}`);
    return { a, b, tag, close };
  } catch (error) {
    await close();
    throw error;
  }
}
