import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LivelineError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { commitValue, type Work } from './commit.ts';
import type { ServiceDeps } from './deps.ts';
import { importPage } from './import.ts';

/** The demo live page the team wrote in the capture format: a made-up event. */
export const DEMO_FILE = fileURLToPath(
  new URL('../../content/demo-live-page.txt', import.meta.url),
);
export const DEMO_SLUG = 'kestrel-1-launch';

const DEMO_USER = 'Liveline demo';

/** The demo's author, created on first use (by one of several instances starting at once). */
function demoUser(deps: ServiceDeps): Promise<User> {
  return commitValue(deps, ({ tx }: Work) => tx.ensureUser(DEMO_USER, 'admin'));
}

/**
 * On an empty database, loads the demo live page so a new user sees a real-looking page at
 * once. Returns the slug it loaded, or null when there were pages already.
 */
export async function loadDemoIfEmpty(deps: ServiceDeps): Promise<string | null> {
  if ((await deps.store.listPages()).length > 0) return null;
  const text = await readFile(DEMO_FILE, 'utf8');
  const actor = await demoUser(deps);
  const loading = importPage(deps, actor, {
    slug: DEMO_SLUG,
    title: 'Kestrel-1 launch: the first orbital rocket from Skerra Head',
    description:
      'A demonstration live page: a made-up rocket launch on the night the clocks go back.',
    // The story ends with a post pausing the coverage, so the page has ended: a LIVE badge
    // over that post would contradict it. (Importing a capture gives an ended page.)
    status: 'ended',
    // The night the clocks went back in 2025: the capture's dates carry no year.
    year: 2025,
    captures: [{ name: 'demo-live-page.txt', text }],
  });
  try {
    return (await loading).page.slug;
  } catch (error) {
    // Another instance starting at the same moment loaded it first.
    if (error instanceof LivelineError && error.code === 'SLUG_TAKEN') return null;
    throw error;
  }
}
