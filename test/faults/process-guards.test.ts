import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const fixture = 'test/faults/fixtures/escaping-fault.ts';

/** Runs the fixture and returns its exit code and its stdout as parsed JSON lines. */
async function runFixture(kind: string) {
  const result = await run(process.execPath, ['--import', 'tsx', fixture, kind], {
    timeout: 20_000,
  }).then(
    (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );
  const lines = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code: result.code, lines, stderr: result.stderr };
}

describe('faults that escape their source', { timeout: 45_000 }, () => {
  it('an unhandled rejection is logged as JSON and counted, and the process goes on', async () => {
    const { code, lines } = await runFixture('rejection');
    assert.equal(code, 0);
    const logged = lines.find((l) => String(l.msg).startsWith('unhandled promise rejection'));
    assert.ok(logged, JSON.stringify(lines));
    assert.equal((logged.err as { message: string }).message, 'escaped rejection');
    assert.deepEqual(lines.at(-1), { still: 'alive', unhandledRejections: 1 });
  });

  it('an uncaught exception is logged as JSON, then stops the process', async () => {
    const { code, lines } = await runFixture('exception');
    assert.notEqual(code, 0);
    const fatal = lines.find((l) => l.level === 60);
    assert.ok(fatal, JSON.stringify(lines));
    assert.equal((fatal.err as { message: string }).message, 'escaped exception');
  });
});
