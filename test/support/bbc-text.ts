import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { SAMPLES_DIR } from './samples.ts';
import type { Block } from '../../src/domain/blocks.ts';

export { SAMPLES_DIR } from './samples.ts';
export const SAMPLE_20_MARCH = 'bbc-live-2025-03-20-ukraine.txt';
export const SAMPLE_14_MARCH = 'bbc-live-2025-03-14-ukraine.txt';
export const DEMO_PAGE = path.resolve(import.meta.dirname, '../../content/demo-live-page.txt');

/** A sample's text, or undefined after marking the test skipped when the samples are absent. */
export function loadSample(t: TestContext, name: string): string | undefined {
  const file = path.join(SAMPLES_DIR, name);
  if (!existsSync(file)) {
    t.skip(`samples not found at ${SAMPLES_DIR}`);
    return undefined;
  }
  return readFileSync(file, 'utf8');
}

const LETTER: Record<Block['type'], string> = {
  paragraph: 'P',
  quote: 'Q',
  list: 'L',
  image: 'I',
  video: 'V',
  embed: 'E',
  gallery: 'G',
};

/** A body's shape in one short string: `I P P L` is an image, two paragraphs and a list. */
export function shape(body: readonly Block[]): string {
  return body.map((block) => LETTER[block.type]).join(' ');
}

/** A minimal valid capture around some post lines, for variant and error tests. */
export function capture(...postLines: string[]): string {
  return ['Summary', '', 'Media caption,', '', 'A test capture', '', ...postLines].join('\n');
}
