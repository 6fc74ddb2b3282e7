import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

/**
 * Runs the real server until it says it is serving, and returns what it wrote. With
 * `terminal`, standard output is a pseudo-terminal (util-linux `script`), as for a developer.
 */
async function startupOutput(terminal: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-logging-'));
  const env = {
    ...process.env,
    PORT: '0',
    DATA_DIR: dir,
    DATABASE_URL: '',
    NODE_ENV: 'development',
    WORKERS: '1',
  };
  const command = `${process.execPath} --import tsx src/main.ts`;
  const child = terminal
    ? spawn('script', ['-qfec', command, '/dev/null'], { env, detached: true })
    : spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, detached: true });
  let output = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start in time:\n${output}`)), 30_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/Liveline is serving/.test(output)) {
          clearTimeout(timer);
          resolve(output);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}:\n${output}`));
      });
    });
  } finally {
    // The whole group: `script` and the server under it.
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve).once('error', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('logs', { timeout: 90_000 }, () => {
  it('are JSON lines when standard output is not a terminal', async () => {
    const output = await startupOutput(false);
    for (const line of output.trim().split('\n')) assert.doesNotThrow(() => JSON.parse(line), line);
  });

  it('are readable lines, not JSON, on a terminal during development', async () => {
    const output = await startupOutput(true);
    const line = output.split('\n').find((l) => l.includes('Liveline is serving')) ?? '';
    assert.doesNotMatch(line, /^\s*\{/, 'a JSON line on a terminal');
    assert.match(line, /INFO/);
  });
});
