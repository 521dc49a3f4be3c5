// npm test: every suite, in order, then one plain line "N passed, N failed" for all of
// them. Exits non-zero when any test fails or any suite cannot run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const countsFile = join(tmpdir(), `oauth-elements-test-counts-${process.pid}.json`);
const env = { ...process.env, TEST_COUNTS_FILE: countsFile };
rmSync(countsFile, { force: true });

/** A `node --test` suite whose counts reach the closing line (see scripts/count-reporter.mjs). */
const nodeTests = (name, folder, ...options) => [
  name,
  'node',
  [
    '--test',
    ...options,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.mjs',
    '--test-reporter-destination=stdout',
    folder,
  ],
];

const suites = [
  ['build', 'node', ['scripts/build.mjs']],
  // custom-elements.json against the contract: reads what the build just wrote.
  nodeTests('custom elements manifest', 'test/manifest/'),
  // `tsc --noEmit -p test/types`, one test per consumer/misuse file.
  nodeTests('TypeScript types for users', 'test/types/'),
  // npm pack from a clean tree (prepack builds), publint --strict, attw, a consumer that bundles and type-checks.
  nodeTests('the package as npm publishes it', 'test/package/'),
  // Node without a DOM: every entry imports; React's and Vue's server renderers write no token.
  nodeTests('server rendering (Node, no DOM)', 'test/server/'),
  ['browser tests (Chromium, Firefox)', 'npx', ['web-test-runner']],
  nodeTests('authorization server tests', 'test/dev-server/'),
  // One file at a time: the demo test owns ports 8000 and 9000 and rebuilds dist/.
  nodeTests('end-to-end tests (Chromium, Firefox, real authorization server)', 'test/e2e/', '--test-concurrency=1'),
];

let broken = 0;
for (const [name, command, args] of suites) {
  console.log(`\n── ${name}`);
  const { status } = spawnSync(command, args, { stdio: 'inherit', env });
  if (status !== 0) broken++;
}

const counts = existsSync(countsFile) ? JSON.parse(readFileSync(countsFile, 'utf8')) : { passed: 0, failed: 0 };
rmSync(countsFile, { force: true });
// A suite that failed without a failing test (a crash, a build error) still fails the run.
const failed = Math.max(counts.failed, broken);
console.log(`\n${counts.passed} passed, ${failed} failed`);
process.exit(failed > 0 || counts.passed === 0 ? 1 : 0);
