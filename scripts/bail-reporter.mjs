// A node:test reporter for mutation runs (`run-tests.mjs --bail`): at the first failing test
// it stops the whole run, this test process and the per-file processes it started (one
// process group), so a killed mutant costs the time to its first failure, not the full run.
export default async function* bail(source) {
  for await (const event of source) {
    if (event.type === 'test:fail' && !event.data.todo && !event.data.skip) {
      yield `bail: "${event.data.name}" failed; the rest of the run is stopped\n`;
      process.kill(-process.pid, 'SIGKILL');
    }
  }
}
