// Runs `tsc --noEmit -p test/types` once and reports it per file, so `npm test` counts it:
// consumer*.ts(x) prove that users' code type-checks, misuse*.ts(x) that mistakes do not
// (an `@ts-expect-error` line that is not an error is itself an error, TS2578). The
// framework tests, whose code docs/frameworks.md shows, are type-checked the same way.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { localBin } from '../../scripts/local-bin.mjs';

function compile(project) {
  const tsc = spawnSync(localBin('tsc'), ['--noEmit', '--pretty', 'false', '-p', project], { encoding: 'utf8' });
  const output = `${tsc.stdout}${tsc.stderr}`;
  const errors = [...output.matchAll(/^(.+?)\(\d+,\d+\): error TS\d+: .*$/gm)].map(([line, file]) => ({
    file: relative(process.cwd(), resolve(file)),
    line,
  }));
  return { status: tsc.status, error: tsc.error, output, errors };
}

const dir = 'test/types';
const types = compile(dir);
const files = readdirSync(dir).filter((name) => /^(consumer|misuse).*\.tsx?$/.test(name));

describe('TypeScript types for users (tsc --noEmit -p test/types, strict)', () => {
  it('runs the compiler', () => {
    assert.notEqual(types.status, null, `tsc did not run: ${types.error ?? types.output}`);
    assert.ok(files.length >= 4, `expected the consumer and misuse files in ${dir}`);
  });

  for (const name of files) {
    const what = name.startsWith('consumer') ? 'type-checks' : 'every @ts-expect-error line is a type error';
    it(`${name}: ${what}`, () => {
      const path = `${dir}/${name}`;
      assert.deepEqual(
        types.errors.filter((error) => error.file === path).map((error) => error.line),
        [],
      );
    });
  }

  it('nothing else has a type error (src/ included)', () => {
    const elsewhere = types.errors.filter((error) => !files.some((name) => error.file === `${dir}/${name}`));
    assert.deepEqual(
      elsewhere.map((error) => error.line),
      [],
    );
    if (types.errors.length === 0) assert.equal(types.status, 0, types.output);
  });

  it('a page that opts in to typed listeners on document type-checks (tsc --noEmit -p test/types/document-events)', () => {
    const opted = compile('test/types/document-events');
    assert.deepEqual(
      opted.errors.map((error) => error.line),
      [],
    );
    assert.equal(opted.status, 0, opted.output);
  });

  it('the framework tests (React 19 and 18, Vue 3) type-check (tsc --noEmit -p test/frameworks)', () => {
    const frameworks = compile('test/frameworks');
    assert.deepEqual(
      frameworks.errors.map((error) => error.line),
      [],
    );
    assert.equal(frameworks.status, 0, frameworks.output);
  });
});
