#!/usr/bin/env node
// npm run mutate [module...] — mutation testing of the core with StrykerJS (docs/TESTING.md).
// For each module asked (default: every module in GUARDS), Stryker mutates that one file and
// runs only the narrowest tests that guard it: `node scripts/run-tests.mjs <tests>`, each
// mutant in a fresh process (the command runner). Not part of `npm test` or CI: it is slow.
//
//   npm run mutate                                  every module in the table
//   npm run mutate src/render/urls.ts               one module
//   npm run mutate src/domain                       every module under a folder
//   npm run mutate -- --list                        the table, nothing run
//   npm run mutate -- src/render/urls.ts --tests=src/render/feed.test.ts
//                                                   other tests than the table's, to try them
//   npm run mutate -- src/render/urls.ts --lines=12-14,30:5-30:40
//                                                   only the mutants in those lines (re-check
//                                                   the survivors of a full run after a fix)
//
// Reports: clear text on the terminal, HTML and JSON under reports/mutation/<module>/.
import { Stryker } from '@stryker-mutator/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The grammar's unit tests but fuzz.test.ts: see the formats/bbc-text entries below. */
const BBC_TEXT_TESTS = [
  'body',
  'capture',
  'dates',
  'demo-page',
  'errors',
  'head',
  'key-points',
  'property',
  'render',
  'samples',
  'time-grammar',
  'variants',
  'year-inference',
].map((name) => `src/formats/bbc-text/${name}.test.ts`);

/**
 * Each core module and the narrowest test files that guard it. run-tests.mjs matches these as
 * path fragments. When you add a core module or a test that guards one, add it here.
 * Modules that only declare types or constants with no logic are left out: no mutants.
 */
const GUARDS = {
  // domain
  // audit.ts is left out: types and one number, no mutants. So is limits.ts: one `as const`
  // object of numbers, which Stryker does not mutate (blocks.test.ts checks every body limit).
  // Its own unit test: every block type, field limit, address pattern and unknown field. The
  // renderers' tests and body-mapping (a desk suite, both databases) were its guards.
  // openapi.test.ts: the descriptions the schemas give docs/openapi.json (one app, SQLite; it
  // runs only for the mutants the unit test lets through, which are those descriptions).
  'src/domain/blocks.ts': ['src/domain/blocks.test.ts', 'test/http/openapi.test.ts'],
  // Their own unit tests (issue 14, fourth round): the words feeds and alerts show and the desk
  // history's descriptions; the variants' widths, heights and file names; the video kinds.
  'src/domain/block-text.ts': ['src/domain/block-text.test.ts'],
  'src/domain/media.ts': ['src/domain/media.test.ts'],
  'src/domain/video-kind.ts': ['src/domain/video-kind.test.ts'],
  // The kinds a webhook may ask for. change.ts (CHANGE_KINDS) and history.ts (HISTORY_ACTIONS)
  // are left out: lists of names and types, no logic; token.ts declares a type only.
  'src/domain/webhook.ts': ['src/domain/webhook.test.ts'],
  // Its own unit test: a sentence for every code, each documented; error-catalogue.test.ts (every
  // route, both databases) checks the routes answer with catalogue codes, not the sentences.
  'src/domain/errors.ts': ['src/domain/errors.test.ts'],
  'src/domain/ids.ts': ['src/domain/ids.test.ts'],
  // The request schemas (page.ts, post.ts, schemas.ts, people-schemas.ts) and the password and
  // e-mail rules have unit tests of every field (schemas.test.ts, people-schemas.test.ts); the
  // HTTP suites that were their guards (pages, posts, bad-input, desk-people, desk-sign-in,
  // cli-users: both databases, tens of seconds a mutant) send a few requests through the routes.
  'src/domain/page.ts': ['src/domain/schemas.test.ts'],
  'src/domain/password.ts': ['src/domain/people-schemas.test.ts'],
  'src/domain/people-schemas.ts': ['src/domain/people-schemas.test.ts'],
  'src/domain/permissions.ts': ['src/domain/permissions.test.ts', 'test/http/permissions.test.ts'],
  'src/domain/post.ts': ['src/domain/schemas.test.ts'],
  'src/domain/schemas.ts': ['src/domain/schemas.test.ts', 'test/http/openapi.test.ts'],
  // desk-people.test.ts: the lifetimes of invitation and reset links (LINK_TTL_MS).
  'src/domain/session.ts': ['test/http/desk-sessions.test.ts', 'test/http/desk-people.test.ts'],
  // Its own unit test pins the rule's edges; hostile-input.test.ts (both databases, slow) sends
  // six hostile strings and uses textProblem as its property test's oracle, so not the edges.
  'src/domain/text-rule.ts': ['src/domain/text-rule.test.ts'],
  'src/domain/user.ts': ['src/domain/people-schemas.test.ts'],
  // Its own unit test pins the calendar, the instants and the problems reported; bad-input and
  // body-mapping (HTTP and desk suites, both databases, tens of seconds a mutant) were its guards.
  'src/domain/validate.ts': ['src/domain/validate.test.ts'],
  'src/domain/workflow.ts': ['src/domain/workflow.test.ts'],
  'src/domain/zoned-time.ts': ['src/domain/zoned-time.test.ts'],
  // services
  'src/services/audit-context.ts': ['test/http/audit.test.ts', 'test/http/audit-routes.test.ts'],
  // audit-summaries.test.ts: what each kind of write says (the summary lines, word for word);
  // cli-audit.test.ts: the CLI's writes (a user made for a token, a token with no label).
  'src/services/audit-record.ts': [
    'test/http/audit.test.ts',
    'test/http/audit-summaries.test.ts',
    'test/http/cli-audit.test.ts',
  ],
  'src/services/audit.ts': ['test/http/audit.test.ts', 'test/http/audit-routes.test.ts'],
  // The /changes route's batches; events.test.ts (its guard before) reads the log through the
  // hub, never through changes.ts.
  'src/services/changes.ts': ['test/http/changes.test.ts'],
  // posts.test.ts was its guard with idempotency.test.ts: its 164-post pagination made the pair
  // outrun the 90 s deadline of a loaded machine's dry run; changes.test.ts checks what commit
  // writes to the log (superseded entries, sequence numbers) in a few seconds.
  // commit.test.ts: what each commit announces, an unknown page, two racing requests with one
  // key (SQLite reaches the IdempotencyConflict path when both read before either writes).
  'src/services/commit.ts': [
    'src/services/commit.test.ts',
    'test/http/idempotency.test.ts',
    'test/http/changes.test.ts',
  ],
  'src/services/corrections.ts': ['test/http/corrections.test.ts'],
  // Loading the demo once into an empty database, racing instances, failures passed on.
  'src/services/demo.ts': ['test/contract/demo.test.ts'],
  'src/services/deps.ts': ['src/services/deps.test.ts'],
  'src/services/desk.ts': ['test/http/desk-pages.test.ts', 'test/http/desk-preview.test.ts'],
  // The desk's embed look-up (POST /desk/api/embeds): recognised, described and refused addresses.
  'src/services/embeds.ts': ['test/http/embeds.test.ts'],
  'src/services/export.ts': ['test/http/text-format.test.ts'],
  // text-format.test.ts: an import is the one step that keeps its text with no field changed
  // (withContent).
  'src/services/history.ts': [
    'test/http/revisions.test.ts',
    'test/contract/removal.test.ts',
    'test/http/text-format.test.ts',
  ],
  'src/services/idempotency.ts': ['test/http/idempotency.test.ts'],
  // idempotency: an import with an Idempotency-Key (its own write path) is tested only there.
  // import.test.ts: a partial import, several captures (the CLI's), refusals that write nothing.
  'src/services/import.ts': [
    'test/http/import.test.ts',
    'test/http/text-format.test.ts',
    'test/http/import-bom.test.ts',
    'test/http/idempotency.test.ts',
  ],
  // Uploads, their variants and the original's download; media-origins.test.ts checks posts'
  // remote media (domain rules), not this service.
  'src/services/media.ts': ['test/http/media-upload.test.ts'],
  'src/services/pages.ts': ['test/http/pages.test.ts'],
  'src/services/passwords.ts': ['src/services/passwords.test.ts'],
  // desk-sessions: the personal tokens (made, listed, revoked) and disabling a person, which
  // desk-people does not exercise.
  'src/services/people.ts': ['test/http/desk-people.test.ts', 'test/http/desk-sessions.test.ts'],
  'src/services/post-history.ts': ['test/http/revisions.test.ts'],
  // Keyset paging: next followed to the end as page=N, posts published meanwhile, bad cursors.
  'src/services/post-paging.ts': ['test/http/posts-keyset.test.ts'],
  'src/services/posts.ts': [
    'test/http/posts.test.ts',
    'test/http/post-lifecycle.test.ts',
    'test/http/post-times.test.ts',
  ],
  // changes: a superseded entry's shape; webhooks: the endpoint and delivery shapes;
  // desk-pages: the desk's posts with their author (presentDeskPost).
  'src/services/present.ts': [
    'test/http/desk-pages.test.ts',
    'test/http/posts.test.ts',
    'test/http/pages.test.ts',
    'test/http/changes.test.ts',
    'test/http/webhooks.test.ts',
  ],
  'src/services/removal.ts': ['test/http/legal-removal.test.ts', 'test/contract/removal.test.ts'],
  'src/services/review.ts': [
    'test/http/review.test.ts',
    'test/http/post-lifecycle.test.ts',
    'test/http/post-times.test.ts',
  ],
  'src/services/schedule.ts': ['test/http/schedule.test.ts'],
  // desk-sign-in.test.ts: the session rotated at sign-in and ended at sign-out (startSession's
  // previousSecret, endSession), which desk-sessions.test.ts never does.
  'src/services/sessions.ts': ['test/http/desk-sessions.test.ts', 'test/http/desk-sign-in.test.ts'],
  'src/services/tokens.ts': ['test/http/tokens.test.ts'],
  'src/services/webhooks.ts': ['test/http/webhooks.test.ts'],
  // oEmbed and the widget: the addresses a page or post may be embedded from (the unit test of
  // widgetTarget, every form and refusal), and the pages and posts found over HTTP.
  'src/services/widget.ts': ['src/services/widget.test.ts', 'test/http/widget.test.ts'],
  // realtime
  // The hub's unit tests (src/realtime/hub*.test.ts), which count deliveries themselves
  // (hub-reporting): test/http/events.test.ts, a guard before, ran over 120 s here (both
  // databases), longer than the unit tests' whole run, for nothing they do not check.
  'src/realtime/hub.ts': ['src/realtime/hub'],
  // Their own unit tests: the HTTP suites before (metrics-exposure and latency; events-abuse)
  // checked one metric's name and the 429/503 bounds, at a minute and more a mutant.
  'src/realtime/metrics.ts': ['src/realtime/metrics.test.ts'],
  'src/realtime/sse-frame.ts': ['src/realtime/sse-frame.test.ts'],
  'src/realtime/stream-limits.ts': ['src/realtime/stream-limits.test.ts'],
  // store codecs: their unit test (the contract suite, store.test.ts, runs the whole store on
  // both databases, minutes a mutant here, for a dozen conversions).
  'src/store/postgres/codec.ts': ['src/store/codec.test.ts'],
  'src/store/sqlite/codec.ts': ['src/store/codec.test.ts'],
  // render
  'src/render/urls.ts': ['src/render/urls.test.ts', 'src/render/escaping.test.ts'],
  // formats/bbc-text: the grammar's own unit tests, all but fuzz.test.ts (12 s of the 18 s a
  // run of the folder takes, and it checks only that any input parses or fails quickly; the
  // round-trip property test and the samples pin what the grammar produces).
  'src/formats/bbc-text/body-parse.ts': BBC_TEXT_TESTS,
  'src/formats/bbc-text/body-render.ts': BBC_TEXT_TESTS,
  'src/formats/bbc-text/bylines.ts': BBC_TEXT_TESTS,
  'src/formats/bbc-text/head.ts': BBC_TEXT_TESTS,
  'src/formats/bbc-text/inline.ts': BBC_TEXT_TESTS,
  'src/formats/bbc-text/line-cursor.ts': BBC_TEXT_TESTS,
  'src/formats/bbc-text/parse-error.ts': ['src/formats/bbc-text/errors.test.ts'],
  'src/formats/bbc-text/parse.ts': BBC_TEXT_TESTS,
  'src/formats/bbc-text/post-header.ts': BBC_TEXT_TESTS,
  'src/formats/bbc-text/productions.ts': BBC_TEXT_TESTS,
  // body.test.ts and head.test.ts write whole pages: the last post's end, the stream page number.
  'src/formats/bbc-text/render.ts': [
    'src/formats/bbc-text/body.test.ts',
    'src/formats/bbc-text/head.test.ts',
    'src/formats/bbc-text/render.test.ts',
  ],
  'src/formats/bbc-text/time-grammar.ts': [
    'src/formats/bbc-text/time-grammar.test.ts',
    'src/formats/bbc-text/year-inference.test.ts',
  ],
  'src/formats/bbc-text/year-inference.ts': [
    'src/formats/bbc-text/dates.test.ts',
    'src/formats/bbc-text/year-inference.test.ts',
  ],
};

/**
 * A hanging mutant fails its test after this long, with node:test's message saying which.
 * On Node 20 `--test-timeout` also bounds each test FILE (each runs as one subtest of the
 * runner), so the deadline must exceed the slowest file's whole run: unit tests under src/
 * finish in seconds, the HTTP suites (both databases) take tens of seconds under load.
 */
function testTimeoutMs(tests) {
  if (process.env.TEST_TIMEOUT_MS) return Number(process.env.TEST_TIMEOUT_MS);
  return unitTestsOnly(tests) ? 120_000 : 90_000;
}

/**
 * Unit tests (under src/) run in one test process (`run-tests.mjs --together`): starting tsx
 * once per file cost four times the tests themselves (the grammar's: 16 s apart, 3.5 s
 * together). That one process is one "file" for Node 20's --test-timeout, so its deadline is
 * 120 s: far above the few seconds it takes, so a run starved on a loaded machine (at nice 19
 * a 3.5 s run took over 60 s at load 30) is not counted as a kill.
 */
function unitTestsOnly(tests) {
  return tests.every((test) => test.startsWith('src/'));
}

function modulesAsked(args) {
  if (args.length === 0) return Object.keys(GUARDS);
  const asked = [];
  for (const arg of args) {
    const path = arg.replace(/^\.\//, '');
    const matches = Object.keys(GUARDS).filter((m) => m === path || m.startsWith(path));
    if (matches.length === 0) {
      console.error(`No core module matches ${arg}. Known modules: npm run mutate -- --list`);
      process.exit(2);
    }
    asked.push(...matches.filter((m) => !asked.includes(m)));
  }
  return asked;
}

function reportDir(module) {
  return join('reports', 'mutation', module.replace(/^src\//, '').replace(/\.ts$/, ''));
}

async function mutate(module, tests, ranges) {
  const dir = ranges ? join(reportDir(module), 'lines') : reportDir(module);
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const timeout = testTimeoutMs(tests);
  // The services' logic does not depend on the database (the store contract tests check that
  // both behave alike): their HTTP guards run on SQLite only, half of each mutant's run.
  process.env.TEST_ADAPTERS = module.startsWith('src/services/') ? 'sqlite' : '';
  const results = await new Stryker({
    mutate: ranges ? ranges.map((range) => `${module}:${range}`) : [module],
    testRunner: 'command',
    commandRunner: {
      command: `TEST_TIMEOUT_MS=${timeout} node scripts/run-tests.mjs --bail ${unitTestsOnly(tests) ? '--together ' : ''}${tests.join(' ')}`,
    },
    coverageAnalysis: 'off',
    concurrency: 2,
    // Stryker's own deadline for a mutant: the dry run's time * timeoutFactor + timeoutMS. The
    // per-test TEST_TIMEOUT_MS fires first, so a hanging mutant fails with a message instead.
    timeoutMS: timeout + 20_000,
    timeoutFactor: 1.5,
    // Progress on a terminal; in a log, a line every few seconds (tested / total, time left).
    reporters: [
      process.stdout.isTTY ? 'progress' : 'progress-append-only',
      'clear-text',
      'html',
      'json',
    ],
    htmlReporter: { fileName: join(dir, 'index.html') },
    jsonReporter: { fileName: join(dir, 'mutation.json') },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
    // The sandbox is a copy of the project without these; node_modules (always left out) is
    // linked in. docs/ is copied: the error catalogue and OpenAPI tests read it.
    ignorePatterns: ['.stryker-tmp', 'reports', 'data', 'dist', 'public/build', '*.log', '.env'],
    disableTypeChecks: '{src,test}/**/*.{ts,tsx}',
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    logLevel: 'warn',
    fileLogLevel: 'off',
    allowConsoleColors: false,
  }).runMutationTest();
  const count = (...states) => results.filter((r) => states.includes(r.status)).length;
  const detected = count('Killed', 'Timeout');
  const valid = detected + count('Survived', 'NoCoverage');
  const score = valid === 0 ? 100 : (100 * detected) / valid;
  return {
    module,
    score,
    killed: count('Killed'),
    timeout: count('Timeout'),
    survived: count('Survived', 'NoCoverage'),
    errors: count('CompileError', 'RuntimeError'),
    seconds: Math.round((Date.now() - started) / 1000),
    survivors: results
      .filter((r) => r.status === 'Survived' || r.status === 'NoCoverage')
      .map(
        (r) =>
          `${r.location.start.line}:${r.location.start.column} ${r.mutatorName} → ${JSON.stringify(r.replacement)}`,
      ),
  };
}

const options = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const testsOption = options.find((option) => option.startsWith('--tests='));
const otherTests = testsOption?.slice('--tests='.length).split(',').filter(Boolean);
const linesOption = options.find((option) => option.startsWith('--lines='));
const ranges = linesOption?.slice('--lines='.length).split(',').filter(Boolean);
if (options.includes('--list')) {
  for (const [module, tests] of Object.entries(GUARDS))
    console.log(`${module}\n    ${tests.join('\n    ')}`);
  process.exit(0);
}

const asked = modulesAsked(args);
if (ranges && asked.length !== 1) {
  console.error('--lines=<ranges> narrows one module: name exactly one.');
  process.exit(2);
}
// The sandbox is .stryker-tmp/<name>/, where the tests' default ../shared/samples/ is not: the
// BBC samples (samples.test.ts and others) would be skipped, silently weakening every guard.
process.env.LIVELINE_SAMPLES_DIR ??= `${resolve('..', 'shared', 'samples')}/`;

const summary = [];
for (const module of asked) {
  const tests = otherTests ?? GUARDS[module];
  console.log(
    `\n=== ${module}${ranges ? ` lines ${ranges.join(', ')}` : ''}  (tests: ${tests.join(', ')})`,
  );
  summary.push(await mutate(module, tests, ranges));
}

const lines = [
  '| module | score | killed | timeout | survived | errors | time |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...summary.map(
    (s) =>
      `| ${s.module} | ${s.score.toFixed(1)}% | ${s.killed} | ${s.timeout} | ${s.survived} | ${s.errors} | ${s.seconds}s |`,
  ),
];
console.log(`\n${lines.join('\n')}`);
for (const s of summary.filter((x) => x.survivors.length > 0)) {
  console.log(`\nSurvivors in ${s.module}:\n  ${s.survivors.join('\n  ')}`);
}
mkdirSync('reports/mutation', { recursive: true });
writeFileSync('reports/mutation/summary.md', `${lines.join('\n')}\n`);
