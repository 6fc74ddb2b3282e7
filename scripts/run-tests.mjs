#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's test runner, through tsx, in UTC.
// Node 20's --test does not expand globs, so the files are listed here. Every test has a
// deadline: one that hangs fails after TEST_TIMEOUT_MS (2 minutes) instead of stalling CI.
//
// --together runs the matched files in ONE test process (an entry file importing them all)
// instead of one process each: for unit tests, where starting a process with tsx costs more
// than the tests (the grammar's 79 tests: 3.5 s together, 16 s apart). The mutation runs use
// it (scripts/mutate.mjs); the files then share module state, so use it only where they pass so.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(path));
    else if (entry.name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const together = process.argv.includes('--together');
const bail = process.argv.includes('--bail');
const filter = process.argv.slice(2).filter((arg) => arg !== '--together' && arg !== '--bail');
const files = ['src', 'test']
  .flatMap((dir) => findTests(dir))
  .filter((file) => filter.length === 0 || filter.some((f) => file.includes(f)))
  .sort();

if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}

let entryDir;
let testFiles = files;
if (together) {
  entryDir = mkdtempSync(join(tmpdir(), 'liveline-tests-'));
  const entry = join(entryDir, 'together.test.mjs');
  const imports = files.map(
    (file) => `import ${JSON.stringify(pathToFileURL(resolve(file)).href)};`,
  );
  writeFileSync(entry, `${imports.join('\n')}\n`);
  testFiles = [entry];
}

const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    ...(bail
      ? ['--test-reporter=./scripts/bail-reporter.mjs', '--test-reporter-destination=stdout']
      : []),
    '--test-concurrency=2',
    `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? 120_000}`,
    ...testFiles,
  ],
  // --bail: the test runner leads a process group of its own, which its reporter stops.
  { stdio: 'inherit', env: { ...process.env, TZ: 'UTC' }, detached: bail },
);
if (entryDir) rmSync(entryDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
