// The source layout rules of DESIGN.md §3 that a reviewer would otherwise have to re-check
// by hand: imports form no circle (type-only imports included) and no module grows past
// what one reader holds in their head.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCES = join(ROOT, 'src');
const MAX_MODULE_LINES = 250;
const MAX_COORDINATOR_LINES = 200;

/** Every `.ts` file under `folder`, as absolute paths. */
function sourceFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The relative modules a file imports or re-exports, `import type` and `import()` included,
 * as absolute `.ts` paths. Comments are dropped first so an example in a comment is no import.
 */
export function importsOf(file, text = readFileSync(file, 'utf8')) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers = [
    ...code.matchAll(/\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g),
    ...code.matchAll(/\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g),
  ].map((match) => match[1]);
  return specifiers.map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
}

/** The first import circle found in `graph` (file → imported files), as a list of files, or null. */
export function findCycle(graph) {
  const state = new Map(); // file → 'visiting' | 'done'
  const path = [];
  const visit = (file) => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'visiting') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'visiting');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}

const files = sourceFiles(SOURCES);
const name = (file) => relative(ROOT, file);

describe('the source layout', () => {
  it('has no import circle in src/, type imports included', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file)]));
    const cycle = findCycle(graph);
    assert.equal(cycle, null, cycle ? `import circle: ${cycle.map(name).join(' → ')}` : '');
  });

  it('finds a circle made only of type imports (the check itself works)', () => {
    const a = join(SOURCES, 'a.ts');
    const b = join(SOURCES, 'b.ts');
    const graph = new Map([
      [a, importsOf(a, "import type { B } from './b.js';")],
      [b, importsOf(b, "export { type A } from './a.js';\nconst lazy = () => import('./a.js');")],
    ]);
    assert.deepEqual(findCycle(graph), [a, b, a]);
    assert.equal(findCycle(new Map([[a, importsOf(a, "// import { B } from './b.js';")]])), null);
  });

  it('resolves every relative import to a file that exists', () => {
    const known = new Set(files);
    const missing = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => !known.has(target))
        .map((target) => `${name(file)} → ${name(target)}`),
    );
    assert.deepEqual(missing, []);
  });

  it(`keeps every module in src/ within ${MAX_MODULE_LINES} lines, and the sign-in coordinator within ${MAX_COORDINATOR_LINES}`, () => {
    const lines = (file) => readFileSync(file, 'utf8').split('\n').length - 1;
    const tooLong = files.filter((file) => lines(file) > MAX_MODULE_LINES).map((file) => `${name(file)}: ${lines(file)} lines`);
    assert.deepEqual(tooLong, []);
    assert.ok(lines(join(SOURCES, 'core/login-session.ts')) <= MAX_COORDINATOR_LINES, 'src/core/login-session.ts is a thin coordinator');
  });
});
