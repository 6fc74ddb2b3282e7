import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { ROOT } from './liveline.ts';
import { openFilesHardLimit } from './proc-stats.ts';

/** What a command prints (stdout, else stderr: nginx -v writes there), or n/a. */
function safe(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  if (result.error) return 'n/a';
  return (result.stdout.trim() || result.stderr.trim() || 'n/a').trim();
}

/**
 * Which code was measured: the commit, and a digest of uncommitted changes under src/ (read-only
 * git commands; --no-optional-locks keeps git from even refreshing its index).
 */
function codeVersion(): string {
  const git = (...args: string[]) => safe('git', ['--no-optional-locks', '-C', ROOT, ...args]);
  const head = git('rev-parse', '--short', 'HEAD');
  const diff = spawnSync('git', ['--no-optional-locks', '-C', ROOT, 'diff', 'HEAD', '--', 'src'], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  }).stdout;
  const untracked = git('ls-files', '--others', '--exclude-standard', '--', 'src');
  const dirty = diff || (untracked !== 'n/a' && untracked !== '');
  if (!dirty) return `${head} (src/ clean)`;
  const digest = createHash('sha1').update(diff).update(untracked).digest('hex').slice(0, 10);
  return `${head} + uncommitted src/ changes (digest ${digest})`;
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
