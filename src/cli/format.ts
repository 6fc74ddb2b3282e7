import { InvalidArgumentError } from 'commander';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90d", "12h", "30m" in milliseconds, for --expires-in. */
export function duration(value: string): number {
  const match = /^(\d{1,5})([dhm])$/.exec(value.trim());
  if (!match || Number(match[1]) < 1)
    throw new InvalidArgumentError(
      'must be a whole number of days, hours or minutes: 90d, 12h, 30m',
    );
  return Number(match[1]) * (UNIT_MS[match[2] ?? 'd'] ?? 0);
}

export function isPast(instant: string | null): boolean {
  return instant !== null && Date.parse(instant) <= Date.now();
}

/** Columns padded to their widest cell, for people reading a terminal. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [header, ...rows]) {
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  }
}
