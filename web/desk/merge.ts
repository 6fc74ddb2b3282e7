import type { Block, Body } from '../../src/domain/blocks.ts';

/**
 * Reapplying a writer's change on top of a colleague's newer version (a three-way merge,
 * base = what the writer started from). Pure, so it is unit-tested. Each field, and each
 * block when the block count did not change, takes whichever side changed it; when both
 * changed the same part, the writer's own version is kept and the part is reported, so the
 * writer sees theirs side by side and decides.
 */
export interface Mergeable {
  headline: string;
  labels: readonly string[];
  contributors: readonly { name: string; role?: string }[];
  body: Body;
}

export interface Merged<T extends Mergeable> {
  value: T;
  /** Parts both sides changed differently ("headline", "block 2"...). */
  clashes: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function pick<V>(base: V, theirs: V, mine: V, name: string, clashes: string[]): V {
  if (same(mine, base)) return theirs;
  if (same(theirs, base) || same(theirs, mine)) return mine;
  clashes.push(name);
  return mine;
}

function mergeBody(base: Body, theirs: Body, mine: Body, clashes: string[]): Body {
  if (base.length === theirs.length && base.length === mine.length) {
    return base.map((b, i) =>
      pick<Block>(b, theirs[i] as Block, mine[i] as Block, `block ${i + 1}`, clashes),
    );
  }
  return pick(base, theirs, mine, 'body', clashes);
}

export function mergeEdits<T extends Mergeable>(base: T, theirs: T, mine: T): Merged<T> {
  const clashes: string[] = [];
  const value: T = {
    ...mine,
    headline: pick(base.headline, theirs.headline, mine.headline, 'headline', clashes),
    labels: pick(base.labels, theirs.labels, mine.labels, 'labels', clashes),
    contributors: pick(
      base.contributors,
      theirs.contributors,
      mine.contributors,
      'bylines',
      clashes,
    ),
    body: mergeBody(base.body, theirs.body, mine.body, clashes),
  };
  return { value, clashes };
}
