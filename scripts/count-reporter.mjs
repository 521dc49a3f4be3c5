// Test reporters that add their counts to a JSON file, so scripts/test.mjs can end with
// one plain "N passed, N failed" line for every suite and every browser together.
import { readFileSync, writeFileSync } from 'node:fs';

function addCounts(file, passed, failed) {
  let totals = { passed: 0, failed: 0 };
  try {
    totals = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // first suite to report
  }
  writeFileSync(file, JSON.stringify({ passed: totals.passed + passed, failed: totals.failed + failed }));
}

function countResults(suite, counts) {
  for (const test of suite.tests) {
    if (test.skipped) continue;
    if (test.passed) counts.passed++;
    else counts.failed++;
  }
  for (const child of suite.suites) countResults(child, counts);
}

/** For @web/test-runner: a session that crashed before reporting counts as one failure. */
export function webTestRunnerCountReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0 };
      for (const session of sessions) {
        if (session.testResults) countResults(session.testResults, counts);
        if (!session.passed && !session.testResults?.tests.length && !session.testResults?.suites.length) counts.failed++;
      }
      addCounts(file, counts.passed, counts.failed);
    },
  };
}

/** For `node --test --test-reporter=./scripts/count-reporter.mjs`: counts leaf tests. */
// A reporter must be an async generator; this one only counts, so it yields nothing.
// eslint-disable-next-line require-yield
export default async function* nodeTestCountReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    const leaf = event.data?.details?.type !== 'suite';
    if (event.type === 'test:pass' && leaf && !event.data.skip && !event.data.todo) passed++;
    if (event.type === 'test:fail' && leaf) failed++;
  }
  addCounts(process.env.TEST_COUNTS_FILE, passed, failed);
}
