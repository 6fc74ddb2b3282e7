/**
 * The one rule for text, whatever field and whatever entry point (API, CLI, import): every
 * string must be a sequence of XML 1.0 characters. That is exactly what both databases store
 * identically (PostgreSQL refuses U+0000; a lone surrogate is not UTF-8 and becomes one or
 * three U+FFFD depending on the database) and what every format we write can carry (the Atom
 * feed is XML: C0 controls other than tab, line feed and carriage return, U+FFFE and U+FFFF
 * cannot appear in it even escaped). Text breaking the rule is refused, never repaired.
 */

/** Why the text breaks the rule, naming the first offending character, or null. */
export function textProblem(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit < 0xd800) continue;
    if (unit === 0x09 || unit === 0x0a || unit === 0x0d) continue;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `has a lone surrogate (${hex(unit)}) at character ${i + 1}`;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      return `has a lone surrogate (${hex(unit)}) at character ${i + 1}`;
    }
    if (unit >= 0xe000 && unit <= 0xfffd) continue;
    return `has a character that is not allowed in text (${hex(unit)}) at character ${i + 1}`;
  }
  return null;
}

function hex(unit: number): string {
  return `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first string anywhere in a JSON value that breaks the rule, with its JSON pointer. */
export function findBadText(
  value: unknown,
  at: string = '',
): { field: string; reason: string } | null {
  if (typeof value === 'string') {
    const reason = textProblem(value);
    return reason === null ? null : { field: at, reason };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadText(value[i], `${at}/${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyReason = textProblem(key);
      if (keyReason !== null) return { field: `${at}/${pointerEscape(key)}`, reason: keyReason };
      const found = findBadText(item, `${at}/${pointerEscape(key)}`);
      if (found) return found;
    }
  }
  return null;
}

function pointerEscape(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Fields naming a kind of thing (`type: "paragraph"`), not text anyone writes or reads. */
const KIND_FIELDS = new Set(['type', 'provider']);

/** The total length of every string in a JSON value but its kinds: what a renderer writes. */
export function totalTextLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + totalTextLength(v), 0);
  if (value !== null && typeof value === 'object') {
    let total = 0;
    for (const [key, item] of Object.entries(value)) {
      if (!KIND_FIELDS.has(key)) total += totalTextLength(item);
    }
    return total;
  }
  return 0;
}

/** How many arrays and objects a JSON value holds, itself included. */
export function countNodes(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + countNodes(v), 1);
  if (value !== null && typeof value === 'object') {
    return Object.values(value).reduce<number>((n, v) => n + countNodes(v), 1);
  }
  return 0;
}
