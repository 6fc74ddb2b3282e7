import type { Label } from '../../domain/post.ts';
import type { EmbedBlock } from '../../domain/blocks.ts';
import { PROVIDERS } from '../../embeds/providers.ts';

/**
 * The terminals of the capture grammar: every kind of line the BBC's text has, by name. The
 * parsers in this folder are built from these; README.md lists the productions they form.
 */

/** A numbered post line is indented by two spaces, everything inside a post by four. */
export const POST_INDENT = '  ';
export const BODY_INDENT = '    ';

export const SUMMARY_HEADING = 'Summary';
export const KEY_POINT_PREFIX = '  • ';
export const BULLET_PREFIX = '• ';
export const MEDIA_CAPTION = 'Media caption,';
export const IMAGE_CAPTION = 'Image caption,';
/** Glued to the end of an image's alt text, as the BBC's visually hidden label is. */
export const IMAGE_SOURCE = 'Image source, ';
/** Liveline's own spelling for a quote block (the samples have none): BBC-style hidden labels. */
export const QUOTE_PREFIX = 'Quote Message: ';
export const QUOTE_SOURCE_PREFIX = 'Source: ';
export const PUBLISHED_AT = 'published at ';

/** `LIVE stream page 1`. */
export const STREAM_PAGE = /^LIVE stream page ([1-9]\d{0,5})$/;
/** `  12. ...`: the line that starts a post; the rest may be missing in a truncated capture. */
export const POST_START = /^ {2}(\d{1,5})\.(?: (.*))?$/;

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** How each label is written; the first spelling of each is the one the export uses. */
const LABEL_SPELLINGS: Record<Label, readonly string[]> = {
  breaking: ['Breaking', 'Breaking news'],
  analysis: ['Analysis'],
  key: ['Key event', 'Key update'],
};

/** The spelling the export writes for a label. */
export function labelText(label: Label): string {
  return LABEL_SPELLINGS[label][0] ?? label;
}

/** The label a label line names, or undefined when the line is not a label this format knows. */
export function labelOf(line: string): Label | undefined {
  for (const [label, spellings] of Object.entries(LABEL_SPELLINGS)) {
    if (spellings.includes(line)) return label as Label;
  }
  return undefined;
}

/** For error messages: every label spelling the grammar accepts. */
export const KNOWN_LABELS = Object.values(LABEL_SPELLINGS).flat().join(', ');

/** `analysis` goes on the numbered line before the headline, as the BBC writes it; others after. */
export const LEADING_LABELS: readonly Label[] = ['analysis'];

type Provider = EmbedBlock['provider'];
// The names come from the embed registry (src/embeds/providers.ts), as readers see them.
const PROVIDER_NAMES = Object.fromEntries(PROVIDERS.map((p) => [p.id, p.name])) as Record<
  Provider,
  string
>;
const PROVIDER_ALIASES: Record<string, Provider> = { twitter: 'x' };

/** The name an embed's provider has in `Skip X post by ...` lines. */
export function providerName(provider: Provider): string {
  return PROVIDER_NAMES[provider];
}

/** The provider a `Skip ... post` line names, if any. */
export function providerOf(name: string): Provider | undefined {
  const entry = Object.entries(PROVIDER_NAMES).find(([, shown]) => shown === name);
  return (entry?.[0] as Provider | undefined) ?? PROVIDER_ALIASES[name];
}

// The names hold no regex metacharacters, so they can be joined as they are.
const PROVIDER_PATTERN = [...Object.values(PROVIDER_NAMES), ...Object.keys(PROVIDER_ALIASES)].join(
  '|',
);
/** `Skip X post by Author` opens an embedded social post; `End of X post by Author` closes it. */
export const EMBED_START = new RegExp(`^Skip (${PROVIDER_PATTERN}) post(?: by (.+))?$`);
export const EMBED_END = new RegExp(`^End of (${PROVIDER_PATTERN}) post(?: by (.+))?$`);
export const EMBED_URL = /^https:\/\/\S+$/;

/** The kinds of line a post body is made of, told apart by their first characters. */
export type BodyLine =
  | { kind: 'bullet' }
  | { kind: 'mediaCaption' }
  | { kind: 'imageCaption' }
  | { kind: 'quote'; text: string }
  | { kind: 'embedStart'; provider: Provider; author: string | undefined }
  | { kind: 'imageSource'; alt: string; credit: string }
  | { kind: 'plain'; text: string };

/** Classifies the content of a body line (indentation already removed). */
export function classifyBodyLine(text: string): BodyLine {
  if (text.startsWith(BULLET_PREFIX)) return { kind: 'bullet' };
  if (text === MEDIA_CAPTION) return { kind: 'mediaCaption' };
  if (text === IMAGE_CAPTION) return { kind: 'imageCaption' };
  if (text.startsWith(QUOTE_PREFIX))
    return { kind: 'quote', text: text.slice(QUOTE_PREFIX.length) };
  const embed = EMBED_START.exec(text);
  const provider = embed?.[1] === undefined ? undefined : providerOf(embed[1]);
  if (embed && provider) return { kind: 'embedStart', provider, author: embed[2] };
  // lastIndexOf: a credit is short, so a marker inside the alt text is the likelier accident.
  const source = text.lastIndexOf(IMAGE_SOURCE);
  if (source >= 0) {
    const credit = text.slice(source + IMAGE_SOURCE.length);
    return { kind: 'imageSource', alt: text.slice(0, source), credit };
  }
  return { kind: 'plain', text };
}

/** True for a line that is empty or only spaces: the separator between blocks. */
export function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Text in the capture is one line per block: line breaks inside a string become spaces. */
export function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ');
}
