import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from './liveline.ts';
import { openFilesHardLimit } from './proc-stats.ts';

/** What a command prints (stdout, else stderr: nginx -v writes there), or n/a. */
function safe(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  if (result.error) return 'n/a';
  return (result.stdout.trim() || result.stderr.trim() || 'n/a').trim();
}

/**
 * A digest of every file under src/ (path and content): the same for a commit's checkout and
 * for its `git archive` export, which is how benchmarks are run (so editing the worktree
 * cannot change the code under test).
 */
function srcDigest(): string {
  const hash = createHash('sha1');
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) hash.update(`${relative(ROOT, path)}\0`).update(readFileSync(path));
    }
  };
  walk(join(ROOT, 'src'));
  return hash.digest('hex').slice(0, 10);
}

/**
 * Which code was measured: the commit and whether src/ differs from it (read-only git
 * commands; --no-optional-locks keeps git from even refreshing its index), and the digest of
 * src/ itself, which names an export too.
 */
function codeVersion(): string {
  const digest = `src/ digest ${srcDigest()}`;
  if (!existsSync(join(ROOT, '.git'))) return `an export, not a git checkout (${digest})`;
  const git = (...args: string[]) => safe('git', ['--no-optional-locks', '-C', ROOT, ...args]);
  const head = git('rev-parse', '--short', 'HEAD');
  const changed = git('status', '--porcelain', '--', 'src');
  if (changed === 'n/a' || changed === '') return `${head}, src/ clean (${digest})`;
  return `${head} + uncommitted src/ changes (${digest})`;
}

/** The facts a result needs beside it: machine, kernel, versions, date, limits. */
export function machineReport(): string {
  const free = safe('free', ['-h']).split('\n').slice(0, 2).join('\n    ');
  return [
    `date -u:   ${safe('date', ['-u'])}`,
    `nproc:     ${safe('nproc', [])} (${cpus()[0]?.model ?? 'unknown CPU'})`,
    `uname -r:  ${safe('uname', ['-r'])}`,
    `node:      ${process.version}`,
    `nginx:     ${safe('/usr/sbin/nginx', ['-v']).replace('nginx version: ', '')}`,
    `wrk:       ${safe('wrk', ['-v']).split('\n')[0] ?? 'n/a'}`,
    `open files (hard limit per process): ${openFilesHardLimit()}`,
    `code:      ${codeVersion()}`,
    `free -h:\n    ${free}`,
  ].join('\n');
}
