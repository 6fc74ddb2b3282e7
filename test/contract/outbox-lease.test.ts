import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OutboxJob } from '../../src/outbox/job.ts';
import { OutboxRunner, type JobHandler } from '../../src/outbox/runner.ts';
import type { Store } from '../../src/store/store.ts';
import { adapters } from '../support/adapters.ts';
import { until } from '../support/deadline.ts';

const LEASE_MS = 300;
const quiet = { error() {}, warn() {}, info() {} };

// A job may run longer than the lease (a push alert to many readers): its instance renews the
// claim while it runs, so no other instance starts it again; a job whose claim is lost is told.
for (const adapter of await adapters()) {
  describe(`outbox claims: ${adapter.name}`, { skip: adapter.skip, timeout: 30_000 }, () => {
    let store: Store;
    let drop: () => Promise<void>;
    before(async () => {
      const opened = await adapter.open();
      store = opened.store;
      drop = opened.drop;
    });
    after(() => drop());

    const runner = (owner: string, handler: JobHandler) =>
      new OutboxRunner({
        store,
        now: () => new Date(),
        handlers: { slow: handler },
        log: quiet as never,
        pollMs: 20,
        leaseMs: LEASE_MS,
        owner,
      });

    it('runs a job that outlasts its lease once, on the instance that claimed it', async () => {
      const runs: string[] = [];
      const slow = (owner: string): JobHandler => ({
        async run() {
          runs.push(owner);
          await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 4));
        },
      });
      const [a, b] = [runner('a', slow('a')), runner('b', slow('b'))];
      const id = await store.transaction((tx) => tx.enqueueJob({ topic: 'slow', payload: {} }));
      a.start();
      await until(
        () => runs.length === 1,
        2000,
        () => 'the job started',
      );
      b.start();
      try {
        let job: OutboxJob | null = null;
        for (const started = Date.now(); Date.now() - started < 5000;) {
          job = await store.getJob(id);
          if (job?.state === 'done') break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.equal(job?.state, 'done');
        assert.deepEqual(runs, ['a'], 'never started again by b');
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    it('tells a running job its claim was lost, and records nothing for it', async () => {
      let told = false;
      const id = await store.transaction((tx) => tx.enqueueJob({ topic: 'slow', payload: {} }));
      const a = runner('c', {
        async run(job, lost) {
          // Another instance took the job over (as after a pause longer than the lease).
          await store.transaction((tx) =>
            tx.finishJob(
              { id: job.id, owner: 'c', attempts: job.attempts },
              { state: 'failed', error: 'taken' },
            ),
          );
          await new Promise<void>((resolve) => lost.addEventListener('abort', () => resolve()));
          told = true;
        },
      });
      a.start();
      try {
        await until(
          () => told,
          3000,
          () => 'the job heard its claim was lost',
        );
      } finally {
        await a.stop();
      }
      assert.deepEqual(
        [(await store.getJob(id))?.state, (await store.getJob(id))?.lastError],
        ['failed', 'taken'],
      );
    });
  });
}
