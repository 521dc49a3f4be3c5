// npm test: every suite, in order, then one plain line "N passed, N failed" for all of
// them. Exits non-zero when any test fails or any suite cannot run.
//
//   npm test -- e2e dev-server          only these suites (names below)
//   npm test -- test/e2e/popup.test.mjs only this file (or folder), in the suite it belongs to
//   npm test -- --grep "replayed state" only the tests whose name matches (a regular expression)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBrowsers } from './ensure-browsers.mjs';
import { localBin } from './local-bin.mjs';
import { ensurePackages } from './preflight.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));

/**
 * A `node --test` suite whose counts reach the closing line (see scripts/count-reporter.mjs):
 * `files` are the ones asked for, or none for the whole suite.
 */
const nodeTests =
  (folders, ...options) =>
  (files, grep) => [
    'node',
    [
      '--test',
      ...options,
      ...(grep ? [`--test-name-pattern=${grep}`] : []),
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/count-reporter.mjs',
      '--test-reporter-destination=stdout',
      ...(files.length ? files : folders),
    ],
  ];

/**
 * @web/test-runner: the whole suite is its config's file list, a folder becomes a glob
 * there; the grep reaches mocha through the config (TEST_GREP).
 */
const browserTests = (files) => [
  localBin('web-test-runner'),
  files.map((path) => (/\.test\.tsx?$/.test(path) ? path : `${path.replace(/\/$/, '')}/**/*.test.{ts,tsx}`)),
];

/**
 * `folders` say which files belong to a suite; `build` that it reads dist/ (the build runs
 * first); `browsers` that it runs in Chromium and Firefox.
 */
const SUITES = [
  { name: 'manifest', title: 'custom elements manifest', folders: ['test/manifest/'], build: true },
  // `tsc --noEmit -p test/types`, one test per consumer/misuse file.
  { name: 'types', title: 'TypeScript types for users', folders: ['test/types/'] },
  // No import circle in src/, and no module longer than a reader can hold.
  { name: 'layout', title: 'source layout', folders: ['test/architecture/'] },
  // npm pack from a clean tree (prepack builds), publint --strict, attw, a consumer that bundles and type-checks.
  { name: 'package', title: 'the package as npm publishes it', folders: ['test/package/'] },
  // Node without a DOM: every entry imports; React's and Vue's server renderers write no token.
  { name: 'server', title: 'server rendering (Node, no DOM)', folders: ['test/server/'], build: true },
  {
    name: 'browser',
    title: 'browser tests (Chromium, Firefox)',
    folders: ['test/core/', 'test/oauth-login/', 'test/oauth-fetch/', 'test/frameworks/', 'test/bundle/'],
    // test/bundle loads the built bundles.
    build: true,
    browsers: true,
    run: browserTests,
  },
  { name: 'dev-server', title: 'authorization server tests', folders: ['test/dev-server/'] },
  { name: 'tooling', title: 'npm start and npm test themselves', folders: ['test/tooling/'] },
  // One file at a time: the demo test runs `npm start`, which rebuilds dist/.
  {
    name: 'e2e',
    title: 'end-to-end tests (Chromium, Firefox, real authorization server)',
    folders: ['test/e2e/'],
    build: true,
    browsers: true,
    options: ['--test-concurrency=1'],
  },
].map((suite) => ({ run: nodeTests(suite.folders, ...(suite.options ?? [])), ...suite }));
const NAMES = ['build', ...SUITES.map((suite) => suite.name)];

function usage(problem) {
  console.error(`${problem}

  npm test                        every suite
  npm test -- <suite>…            only these: ${NAMES.join(', ')}
  npm test -- <file or folder>…   only these files, e.g. test/e2e/popup.test.mjs
  npm test -- --grep <pattern>    only the tests whose name matches (with the above, within them)`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({ options: { grep: { type: 'string' } }, allowPositionals: true });
} catch (error) {
  usage(error.message);
}
const { grep } = parsed.values;

// What to run: suite → the files asked for within it ([] means the whole suite).
const selected = new Map();
let buildAsked = parsed.positionals.length === 0;
for (const arg of parsed.positionals) {
  if (arg === 'build') {
    buildAsked = true;
    continue;
  }
  const byName = SUITES.find((suite) => suite.name === arg);
  if (byName) {
    selected.set(byName, []);
    continue;
  }
  // npm runs scripts from the package's folder; a path is relative to where it was typed.
  const absolute = resolve(process.env.INIT_CWD ?? process.cwd(), arg);
  const path = relative(repo, absolute).replaceAll('\\', '/');
  const byPath = existsSync(absolute) && SUITES.find((suite) => suite.folders.some((folder) => `${path}/`.startsWith(folder)));
  if (!byPath) usage(`"${arg}" is neither a suite name nor a test file or folder under one of the suites' folders.`);
  const files = selected.get(byPath);
  // A suite asked for by name already runs whole.
  if (files === undefined) selected.set(byPath, [path]);
  else if (files.length > 0) files.push(path);
}
const suites = parsed.positionals.length === 0 ? SUITES : SUITES.filter((suite) => selected.has(suite));

const countsFile = join(tmpdir(), `oauth-elements-test-counts-${process.pid}.json`);
let env = { ...process.env, TEST_COUNTS_FILE: countsFile, ...(grep ? { TEST_GREP: grep } : {}) };
rmSync(countsFile, { force: true });

// Before anything runs or installs: a suite without its browsers would only report a wall of
// launch errors.
if (suites.some((suite) => suite.browsers)) {
  const browsers = ensureBrowsers();
  if (!browsers) process.exit(1);
  env = { ...env, ...browsers };
}
if (!ensurePackages()) process.exit(1);

const steps = [
  ...(buildAsked || suites.some((suite) => suite.build) ? [{ title: 'build', command: ['node', ['scripts/build.mjs']] }] : []),
  ...suites.map((suite) => ({ title: suite.title, command: suite.run(selected.get(suite) ?? [], grep) })),
];

let broken = 0;
for (const { title, command } of steps) {
  console.log(`\n── ${title}`);
  const started = performance.now();
  const [program, args] = command;
  const { status } = spawnSync(program, args, { cwd: repo, stdio: 'inherit', env });
  if (status !== 0) broken++;
  console.log(`── ${title}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

const counts = existsSync(countsFile) ? JSON.parse(readFileSync(countsFile, 'utf8')) : { passed: 0, failed: 0 };
rmSync(countsFile, { force: true });
// A suite that failed without a failing test (a crash, a build error) still fails the run.
const failed = Math.max(counts.failed, broken);
console.log(`\n${counts.passed} passed, ${failed} failed`);
// No test passing is a failure too, unless only the build was asked for.
process.exit(failed > 0 || (counts.passed === 0 && suites.length > 0) ? 1 : 0);
