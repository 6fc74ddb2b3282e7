import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './liveline.ts';
import { table } from './table.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Counts samples per node from `skipSeconds` into the profile on (start-up left out). */
function hitsAfter(profile: CpuProfile, skipSeconds: number): Map<number, number> | null {
  if (skipSeconds <= 0 || !profile.samples || !profile.timeDeltas) return null;
  const hits = new Map<number, number>();
  let time = profile.startTime;
  const from = profile.startTime + skipSeconds * 1e6;
  profile.samples.forEach((id, i) => {
    time += profile.timeDeltas?.[i] ?? 0;
    if (time >= from) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  return hits;
}

function where(url: string): string {
  const path = url.replace(/^file:\/\//, '').replace(ROOT, '');
  const modules = path.lastIndexOf('node_modules/');
  return modules === -1 ? path : path.slice(modules);
}

function keyOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  return url ? `${name} ${where(url)}:${lineNumber + 1}` : name;
}

/**
 * Self and inclusive share of the samples per function, from a V8 .cpuprofile; with
 * `skipSeconds`, only the samples taken after that point (to leave start-up out).
 */
export function summarizeProfile(file: string, top = 25, skipSeconds = 0): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const windowed = hitsAfter(profile, skipSeconds);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  const root = profile.nodes[0];
  if (!root) return `${file}: empty profile`;
  // Depth-first, carrying the functions on the stack, so recursion is counted once.
  const stack: { node: ProfileNode; keys: Set<string> }[] = [{ node: root, keys: new Set() }];
  while (stack.length > 0) {
    const { node, keys } = stack.pop() as { node: ProfileNode; keys: Set<string> };
    const key = keyOf(node);
    const hits = windowed ? (windowed.get(node.id) ?? 0) : (node.hitCount ?? 0);
    const path = new Set(keys).add(key);
    total += hits;
    if (key === '(idle)') idle += hits;
    self.set(key, (self.get(key) ?? 0) + hits);
    for (const onStack of path) inclusive.set(onStack, (inclusive.get(onStack) ?? 0) + hits);
    for (const child of node.children ?? []) {
      const found = byId.get(child);
      if (found) stack.push({ node: found, keys: path });
    }
  }
  const busy = Math.max(1, total - idle);
  const pct = (hits: number) => `${((100 * hits) / busy).toFixed(1)}%`;
  const rank = (map: Map<string, number>, skip: string[]) =>
    [...map]
      .filter(([key]) => !skip.includes(key))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
  const seconds = (profile.endTime - profile.startTime) / 1e6 - skipSeconds;
  return [
    `${file}: ${seconds.toFixed(1)} s profiled${skipSeconds > 0 ? ` (after the first ${skipSeconds} s)` : ''}, ${((100 * idle) / Math.max(1, total)).toFixed(0)}% idle; shares below are of the busy samples`,
    '',
    table(
      ['self', 'function'],
      rank(self, ['(idle)']).map(([key, hits]) => [pct(hits), key]),
    ),
    '',
    table(
      ['inclusive', 'function'],
      rank(inclusive, ['(root)', '(idle)']).map(([key, hits]) => [pct(hits), key]),
    ),
  ].join('\n');
}

/**
 * Prints the summary of every main-thread profile in `dir` (node names them
 * CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile; thread 0 is the main thread, the others
 * are tsx's module loader).
 */
export function printProfiles(dir: string, top = 25, skipSeconds = 0): void {
  const files = readdirSync(dir).filter((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name));
  if (files.length === 0) console.log(`no .cpuprofile in ${dir}`);
  for (const name of files.sort())
    console.log(`\n${summarizeProfile(join(dir, name), top, skipSeconds)}\n`);
}
