import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The BBC captures live beside the repository, in ../shared/samples: they are the BBC's
 * journalism and are never copied in. Tests that need them skip, saying so, when absent.
 * LIVELINE_SAMPLES_DIR (ending in "/") points elsewhere, e.g. from a git worktree.
 */
export const SAMPLES_DIR =
  process.env.LIVELINE_SAMPLES_DIR ??
  fileURLToPath(new URL('../../../shared/samples/', import.meta.url));
export const SAMPLE_20 = `${SAMPLES_DIR}bbc-live-2025-03-20-ukraine.txt`;
export const SAMPLE_14 = `${SAMPLES_DIR}bbc-live-2025-03-14-ukraine.txt`;

export const samplesMissing: string | false =
  existsSync(SAMPLE_20) && existsSync(SAMPLE_14)
    ? false
    : `the BBC samples are not at ${SAMPLES_DIR}`;

export function readSample(path: string): string {
  return readFileSync(path, 'utf8');
}
