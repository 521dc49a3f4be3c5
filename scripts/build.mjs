// npm run build: type-check and compile src/ to dist/ (ES modules + .d.ts for npm users),
// then bundle dist/oauth-elements.js (ES module, with the chunks it loads on demand in
// dist/chunks/) and dist/oauth-elements.iife.js (classic script) for the script tag, check
// what each kind of page loads against its size budget, and write custom-elements.json and
// docs/api.md (from it) beside.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeApiDocs } from './api-docs.mjs';
import { localBin } from './local-bin.mjs';

const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });

// custom-elements.json at the package's top, for editors, docs and framework tooling. It
// reads src/ only, so it runs beside tsc and rollup instead of adding to the build's time.
const manifest = new Promise((resolve, reject) => {
  spawn(localBin('cem'), ['analyze', '--litelement', '--config', 'custom-elements-manifest.config.mjs', '--quiet'], { stdio: 'inherit' })
    .on('error', reject)
    .on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`cem analyze failed (exit code ${code})`))));
});

rmSync('dist', { recursive: true, force: true });
run(localBin('tsc'), ['-p', 'tsconfig.json']);
run(localBin('rollup'), ['-c', '--silent']);
await manifest;
writeApiDocs();

/**
 * Budgets, gzip, of all the JS a page loads from the script tag: the bundle, the chunks it
 * imports statically (none: enforced below) and the chunks its features load on demand
 * (src/core/on-demand.ts and its siblings). Issue 16 asks for 12 KB for a basic page: that is
 * the bundle alone, all a page loads before anyone signs in or any data is shown. What waits:
 * building the sign-in (fetched when a pointer or the focus reaches the button), sending
 * tokens to resource servers and the JSON tree (with the first request), and the features
 * only some logins have (DPoP, the provider client, popups, silent renewal). Each chunk
 * costs its own gzip header and the names it imports, so a page that uses a part pays a
 * little more than when it was in the bundle (a page that signs in and shows data in one
 * document, as popups do, about 1.7 KB). The other budgets sit within about 0.2 % of what
 * they measure, so any growth has to be argued for.
 */
const PAGE_BUDGETS = [
  { page: 'any page before a sign-in or data (the bundle alone)', chunks: [], budget: 12_288 },
  { page: 'implicit sign-in + <oauth-fetch>, signing in', chunks: ['authorization-request'], budget: 13_820 },
  { page: 'implicit sign-in + <oauth-fetch>, showing data', chunks: ['resource-request', 'json-tree'], budget: 15_040 },
  { page: 'implicit, renewing silently, showing data', chunks: ['silent-renewal', 'resource-request', 'json-tree'], budget: 18_340 },
  {
    page: 'code + PKCE + discovery, signing in and showing data',
    chunks: ['provider-client', 'authorization-request', 'resource-request', 'json-tree'],
    budget: 19_980,
  },
  {
    page: 'every feature',
    chunks: [
      'provider-client',
      'authorization-request',
      'resource-request',
      'json-tree',
      'dpop-binding',
      'popup-response',
      'silent-renewal',
    ],
    budget: 23_550,
  },
];

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const gzipSize = (file) => {
  const code = readFileSync(file);
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
};
/** The files `file` imports statically (`import … from "./x.js"`, not `import("./x.js")`), relative to dist/. */
const staticImports = (file) =>
  [...readFileSync(join('dist', file), 'utf8').matchAll(/(?:\bfrom|\bimport)\s*["'](\.\.?\/[^"']+)["']/g)].map((match) =>
    relative('dist', join(dirname(join('dist', file)), match[1])),
  );

const chunkFiles = readdirSync('dist/chunks').filter((name) => name.endsWith('.js'));
const bundleImports = staticImports('oauth-elements.js').filter((file) => file !== 'oauth-elements.js');
if (bundleImports.length > 0) {
  console.error(`dist/oauth-elements.js imports ${bundleImports.join(', ')} before it runs: what it needs must be in the bundle itself.`);
  process.exit(1);
}
const chunkFile = (name) => {
  const found = chunkFiles.find((file) => file.startsWith(`${name}-`));
  if (!found) throw new Error(`no chunk ${name} in dist/chunks: src/core/on-demand.ts and scripts/build.mjs disagree`);
  return `chunks/${found}`;
};
/** The files loading `files` brings, each once: their static imports too. */
const closure = (files) => {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    staticImports(file).forEach(visit);
  };
  files.forEach(visit);
  return [...seen];
};

const classic = gzipSize('dist/oauth-elements.iife.js');
console.log(`dist/oauth-elements.iife.js (one file, every feature): ${kb(classic.minified)} minified, ${kb(classic.gzipped)} gzip`);
for (const file of chunkFiles) console.log(`dist/chunks/${file}: ${gzipSize(join('dist/chunks', file)).gzipped} B gzip`);
let over = false;
for (const { page, chunks, budget } of PAGE_BUDGETS) {
  const files = closure(['oauth-elements.js', ...chunks.map(chunkFile)]);
  const bytes = files.reduce((sum, file) => sum + gzipSize(join('dist', file)).gzipped, 0);
  console.log(`${page}: ${bytes} B gzip in ${files.length} file(s) (budget ${budget} B)`);
  if (bytes > budget) {
    console.error(`  over its budget by ${bytes - budget} B gzip.`);
    over = true;
  }
}
const everything = closure(['oauth-elements.js', ...chunkFiles.map((file) => `chunks/${file}`)]);
const budgeted = closure(['oauth-elements.js', ...PAGE_BUDGETS.at(-1).chunks.map(chunkFile)]);
if (everything.length !== budgeted.length) {
  console.error('A chunk is missing from the "every feature" page of PAGE_BUDGETS.');
  over = true;
}
if (over) process.exit(1);
