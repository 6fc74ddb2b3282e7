/**
 * Prints the hottest functions of V8 CPU profiles (node --cpu-prof), self and inclusive.
 *
 *   node --import tsx bench/profile-summary.ts <file.cpuprofile | folder> [top] [skip-seconds]
 *
 * skip-seconds leaves out the samples of the first seconds (start-up, connecting readers).
 */
import { statSync } from 'node:fs';
import { printProfiles, summarizeProfile } from './lib/profile.ts';

const [target, top = '25', skip = '0'] = process.argv.slice(2);
if (!target) {
  console.error(
    'usage: node --import tsx bench/profile-summary.ts <file.cpuprofile | folder> [top] [skip-seconds]',
  );
  process.exit(2);
}
if (statSync(target).isDirectory()) printProfiles(target, Number(top), Number(skip));
else console.log(summarizeProfile(target, Number(top), Number(skip)));
