import { parseArgs } from 'node:util';

type Spec = Record<string, { default: string } | { flag: true }>;

/**
 * Parses `--name value` options and `--flag` switches; `--help` prints `usage` and exits.
 * Unknown options are an error.
 */
export function options<S extends Spec>(
  usage: string,
  spec: S,
): { [K in keyof S]: S[K] extends { flag: true } ? boolean : string } {
  const parsed = parseArgs({
    options: {
      help: { type: 'boolean' },
      ...Object.fromEntries(
        Object.entries(spec).map(([name, value]) => [
          name,
          'flag' in value ? { type: 'boolean' as const } : { type: 'string' as const },
        ]),
      ),
    },
    strict: true,
  });
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  const given = parsed.values as Record<string, string | boolean | undefined>;
  const values = Object.fromEntries(
    Object.entries(spec).map(([name, value]) => [
      name,
      'flag' in value ? given[name] === true : (given[name] ?? value.default),
    ]),
  );
  return values as { [K in keyof S]: S[K] extends { flag: true } ? boolean : string };
}

/** A positive whole number option. */
export function int(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

export function intList(name: string, text: string): number[] {
  return text.split(',').map((part) => int(name, part.trim()));
}
