/**
 * Live JS heap per idle event-stream reader: the app (in this process, SQLite in memory,
 * the test app's setup) with one live page, N readers connected from a child process,
 * heap measured after full collections before and after. With --snapshots DIR it also
 * writes both heap snapshots, to diff by constructor. Run with node's --expose-gc:
 *
 *   node --expose-gc --import tsx bench/idle-heap.ts --readers 2000 [--snapshots DIR]
 *
 * The RSS figure of an idle reader comes from bench/fanout.ts; this says what is alive.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { startTestServer } from '../test/support/server.ts';
import { int, options } from './lib/args.ts';

const args = options(
  `usage: node --expose-gc --import tsx bench/idle-heap.ts [--readers 2000] [--snapshots DIR]`,
  { readers: { default: '2000' }, snapshots: { default: '' } },
);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const readers = int('readers', args.readers);

const server = await startTestServer(undefined, {
  streams: { perAddress: readers + 100, total: readers + 100 },
});
const children: ReturnType<typeof fork>[] = [];
try {
  await server.call('editor', 'POST', '/api/pages', {
    slug: 'idle',
    title: 'Idle',
    status: 'live',
  });
  const port = new URL(server.url).port;
  const open = async (count: number) => {
    const child = fork(
      join(import.meta.dirname, 'clients/idle-readers.ts'),
      [port, '/live/idle/events', String(count)],
      {
        execArgv: ['--import', 'tsx'],
      },
    );
    children.push(child);
    await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`readers' process exited with ${code}`)));
    });
    return child;
  };
  const heap = (name: string) => {
    for (let i = 0; i < 4; i++) gc();
    if (args.snapshots) writeHeapSnapshot(join(args.snapshots, `${name}.heapsnapshot`));
    return process.memoryUsage().heapUsed;
  };
  // Warm-up: the code paths of a connect, compiled, before the first measurement.
  (await open(50)).kill();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = heap('before');
  await open(readers);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = heap('after');
  console.log(
    `${readers} idle readers: ${Math.round((after - before) / readers)} bytes of live JS heap each`,
  );
} finally {
  for (const child of children) child.kill();
  await server.close();
}
