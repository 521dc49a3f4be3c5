// npm run bench: tables with our figures and the peers' from the same run.
// 1. Callback: from the callback document's navigation start to the token in page code, for
//    <oauth-login>, hello.js and a hand-written inline script (the floor), the same script
//    also from a module file, in headless Chromium and Firefox (bench/callback.mjs).
// 2. Bytes by page: every JS response a real page loads in Chromium (dist/oauth-elements.js
//    and the dist/chunks/ its attributes fetch; pages with an issuer start a sign-in, which
//    reads a discovery document), gzip -9 per body, for an implicit page with <oauth-fetch>,
//    a code + PKCE + discovery page and a page with every feature, against issue 16's
//    targets, with hello.js, keycloak-js, oidc-client-ts and lit alone beside
//    (bench/page-bytes.mjs). `npm run build` enforces the per-page budgets; this prints.
// 3. Many elements: 200 <oauth-fetch> loading from another origin, with the requests and
//    CORS preflights that reached the API (bench/many-elements.mjs).
// 4. JSON: how long <oauth-fetch> takes from a response body in hand, and from its request's
//    start, to the painted frame, against JSON.parse alone (the floor), a <pre> of the
//    pretty-printed JSON and @alenaksu/json-viewer, for responses of about 100 KB, 1 MB and
//    10 MB, in Chromium.
// A measurement, not a test: it exits 0 whether or not the targets are met, and non-zero
// only when it cannot measure. `npm run bench -- --only=callback,bytes,many,json` runs some tables;
// `--runs=N` sets the callback's runs per case and browser.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { generateBody } from '../bench/data.mjs';
import { CALLBACK_CASES, runCallback, serveCallbackBench } from '../bench/callback.mjs';
import { MANY_CASES, MANY_PAGE, runMany, startManyElementsApi } from '../bench/many-elements.mjs';
import { BYTES_PAGES, bytesRoutes, measurePageBytes } from '../bench/page-bytes.mjs';
import { CHROMIUM_ARGS } from './browsers.mjs';
import { ensureBrowsers } from './ensure-browsers.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const distBundle = join(repo, 'dist', 'oauth-elements.js');

// JSON.parse of 10 MB alone varies by ±20 % from run to run on a shared machine (its time is
// mostly young-generation GC, which waits for a CPU like everything else), more than the
// differences between the cases: the sizes the targets are about get more runs, so that
// their medians settle (at 10 MB, 11 runs still let a busy machine rank <oauth-fetch> and
// json-viewer either way while their after-parse times differ by 10-20 ms).
const SIZES = [
  { label: '100 KB', bytes: 100_000, runs: 11 },
  { label: '1 MB', bytes: 1_000_000, runs: 5 },
  { label: '10 MB', bytes: 10_000_000, runs: 21 },
];
const FRAME_MS = 1000 / 60;
/** A case whose first run at a size takes longer than this is not repeated there: the bench must stay within minutes. */
const SLOW_MS = 5000;
/** `npm run bench -- --direct` measures renderJsonTree itself even when the element is built. */
const forceDirect = process.argv.includes('--direct');
const option = (name) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const tables = new Set((option('only') ?? 'callback,bytes,many,json').split(','));
/** Interleaved runs per case and browser: the callback's differences are a few ms, the machine's noise more. */
const CALLBACK_RUNS = Number(option('runs') ?? 15);

// ---- what to measure as "oauth-fetch" ------------------------------------------------------

function newestMtime(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }, 0);
}

/** Builds dist/ when it is missing or older than src/, so that the element measured is the current one. */
function ensureBuild() {
  const missing = !existsSync(distBundle);
  if (!missing && statSync(distBundle).mtimeMs >= newestMtime(join(repo, 'src'))) return;
  console.log(missing ? 'dist/oauth-elements.js is missing: npm run build' : 'dist/ is older than src/: npm run build');
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: repo, stdio: 'inherit' });
  } catch {
    console.log('the build failed; measuring what dist/ holds, if anything');
  }
}

// ---- the page's scripts, bundled in memory ------------------------------------------------

async function bundle(contents) {
  const result = await build({
    stdin: { contents, resolveDir: repo, loader: 'ts', sourcefile: 'bench-entry.ts' },
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2021',
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0].text;
}

const bundles = {
  '/bundles/tree.js': await bundle(
    `export { renderJsonTree } from './src/oauth-fetch/json-tree.js';
     export { jsonTreeStyles } from './src/oauth-fetch/json-tree-styles.js';
     export { adoptStyles } from 'lit';`,
  ),
  '/bundles/json-viewer.js': await bundle(`import '@alenaksu/json-viewer';`),
};

// ---- the loopback server ---------------------------------------------------------------------

// Read once: a rebuild during the run (rm -rf dist first) must not change or break what is measured.
if (!forceDirect) ensureBuild();
const builtFile = (file) => (!forceDirect && existsSync(file) ? readFileSync(file) : null);
const element = builtFile(distBundle);
/** The script-tag files the pages name, by URL path: the module bundle and the classic one. */
const scriptTagFiles = new Map([
  ['/dist/oauth-elements.js', element],
  ['/dist/oauth-elements.iife.js', builtFile(join(repo, 'dist', 'oauth-elements.iife.js'))],
]);

const serveBytes = await bytesRoutes(repo);
const bodies = new Map(SIZES.map(({ bytes }) => [`/data/${bytes}.json`, Buffer.from(generateBody(bytes))]));
// Like a real page, it has painted some text before data arrives: otherwise every case would
// also pay a new renderer's first text layout, which no user waits for twice.
const PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>bench</title>
<body><h1>Orders</h1><p>The response appears below.</p><script type="module" src="/bench/page.mjs"></script></body></html>`;

const server = createServer((request, response) => {
  const url = new URL(request.url, origin);
  const path = url.pathname;
  const send = (status, type, body, headers = {}) => {
    response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
    response.end(body);
  };
  if (serveCallbackBench(path, url, origin, send) !== false) return;
  if (serveBytes(path, origin, send) !== false) return;
  if (bodies.has(path)) {
    if (!/^Bearer \S+$/.test(request.headers.authorization ?? '')) {
      response.writeHead(401, { 'WWW-Authenticate': 'Bearer' });
      response.end();
      return;
    }
    send(200, 'application/json', bodies.get(path));
  } else if (path === '/many.html') {
    send(200, 'text/html; charset=utf-8', MANY_PAGE);
  } else if (path === '/bench.html') {
    send(200, 'text/html; charset=utf-8', PAGE);
  } else if (path === '/bench/page.mjs') {
    send(200, 'text/javascript', readFileSync(join(repo, 'bench', 'page.mjs')));
  } else if (bundles[path]) {
    send(200, 'text/javascript', bundles[path]);
  } else if (scriptTagFiles.get(path)) {
    send(200, 'text/javascript', scriptTagFiles.get(path));
  } else {
    send(404, 'text/plain', 'not found');
  }
});
let origin = 'http://127.0.0.1';
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
origin = `http://127.0.0.1:${server.address().port}`;

// ---- the browser -----------------------------------------------------------------------------

// As `npm test` does: a fresh clone has no browsers yet, and root on Debian installs them.
const browserPaths = ensureBrowsers();
if (!browserPaths) process.exit(1);
const { CHROMIUM_PATH, FIREFOX_PATH } = browserPaths;

// Puppeteer watches every request and response by default (CDP's Network domain, WebDriver
// BiDi's network events), which slows the pages' own loading: in Chromium a 1 MB body takes
// about twice as long to read. The timed tables run without it; only the bytes table, which
// reads the responses, has it.
const UNWATCHED = { networkEnabled: false };

const browser = await puppeteer.launch({
  ...UNWATCHED,
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [
    ...CHROMIUM_ARGS,
    '--enable-precise-memory-info',
    '--js-flags=--expose-gc',
    // Frames come as soon as the main thread is free instead of on a 60 Hz clock, so a
    // figure is the work and the paint, not the work plus a random wait for the next tick.
    '--disable-frame-rate-limit',
    '--disable-gpu-vsync',
  ],
});

/** A fresh browser context and page per run: nothing cached, no heap left by the last run. */
async function withPage(fn) {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/bench.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof window.runCase === 'function');
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
    try {
      return await fn(page);
    } catch (error) {
      throw new Error([error.message, ...errors].join('\n  page: '), { cause: error });
    }
  } finally {
    await context.close();
  }
}

async function measure(caseName, url, withElement) {
  return withPage(async (page) => {
    await page.evaluate((load) => window.prepare(load), withElement);
    await page.evaluate(() => {
      window.gc();
      window.gc();
    });
    return page.evaluate((name, src) => window.runCase(name, src), caseName, url);
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// ---- 1. the callback --------------------------------------------------------------------------

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
};

/** Prints a table whose first two columns are text, the rest numbers. */
function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  const line = (row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows.slice(1)) console.log(row.length ? line(row) : '');
}

async function callbackTable() {
  const browsers = [
    { name: 'Chromium', browser },
    {
      name: 'Firefox',
      browser: await puppeteer.launch({
        ...UNWATCHED,
        browser: 'firefox',
        executablePath: FIREFOX_PATH,
        headless: true,
        // Whole-millisecond clocks would hide the differences measured here.
        extraPrefsFirefox: { 'privacy.reduceTimerPrecision': false },
      }),
    },
  ];
  const started = Date.now();
  const rows = [['browser', 'case', 'runs', 'median ms', 'p25–p75 ms', 'min–max ms', '× floor', '× as file']];
  try {
    for (const { name, browser: b } of browsers) {
      const samples = new Map(CALLBACK_CASES.flatMap((c) => c.marks.map((mark) => [`${c.id} ${mark}`, []])));
      // One warm-up sign-in per case (the browser's own first-load costs), not counted.
      for (const c of CALLBACK_CASES) await runCallback(b, origin, c);
      // Cases take turns run by run, so that a slow moment of the machine hits them all alike.
      for (let run = 0; run < CALLBACK_RUNS; run++) {
        for (const c of CALLBACK_CASES) {
          const marks = await runCallback(b, origin, c);
          for (const mark of c.marks) samples.get(`${c.id} ${mark}`).push(marks[mark]);
        }
      }
      const floor = median(samples.get('floor token'));
      const fromFile = median(samples.get('script token'));
      for (const c of CALLBACK_CASES) {
        for (const mark of c.marks) {
          const ms = samples.get(`${c.id} ${mark}`);
          const label = c.marks.length > 1 ? `${c.label} ${mark}` : c.label;
          rows.push([
            name,
            label,
            String(ms.length),
            median(ms).toFixed(1),
            `${quantile(ms, 0.25).toFixed(1)}–${quantile(ms, 0.75).toFixed(1)}`,
            `${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)}`,
            (median(ms) / floor).toFixed(2),
            (median(ms) / fromFile).toFixed(2),
          ]);
        }
      }
      rows.push([]);
      process.stdout.write(`  callback, ${name}: ${CALLBACK_RUNS} runs per case done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    }
  } finally {
    await browsers[1].browser.close();
  }
  console.log('');
  console.log("Callback: from the callback document's navigation start (incl. the 302 from /authorize) to the token in page code");
  printTable(rows.slice(0, -1));
  console.log('');
}

// ---- bytes by page ----------------------------------------------------------------------------

async function bytesTable() {
  const rows = [['page', 'files', 'gzip B', 'target B']];
  const watched = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    for (const page of BYTES_PAGES) {
      const { files, total } = await measurePageBytes(watched, origin, page);
      rows.push([
        page.label,
        files.map((f) => `${f.path.split('/').pop()} ${f.gzip}`).join(' + '),
        String(total),
        page.target ? String(page.target) : '',
      ]);
      if (page.target && total > page.target) rows.at(-1)[3] += ` (over by ${total - page.target})`;
    }
  } finally {
    await watched.close();
  }
  console.log('');
  console.log('Bytes by page: every JS response a page loaded in Chromium (sign-in started where it has an issuer), each body gzip -9');
  for (const row of rows) console.log(`  ${row[0].padEnd(58)} ${row[2].padStart(7)}  ${row[3].padEnd(24)} ${row[1]}`);
  console.log('');
}

// ---- 2. many elements ----------------------------------------------------------------------

const MANY_RUNS = 5;

async function manyTable() {
  const api = await startManyElementsApi();
  const firefox = await puppeteer.launch({ ...UNWATCHED, browser: 'firefox', executablePath: FIREFOX_PATH, headless: true });
  const rows = [['browser', 'case', 'runs', 'median ms', 'min–max ms', 'GETs', 'preflights']];
  try {
    for (const [name, b] of [
      ['Chromium', browser],
      ['Firefox', firefox],
    ]) {
      for (const c of MANY_CASES) {
        const results = [];
        for (let run = 0; run < MANY_RUNS; run++) results.push(await runMany(b, origin, api, c));
        const ms = results.map((r) => r.ms);
        rows.push([
          name,
          c.label,
          String(results.length),
          median(ms).toFixed(1),
          `${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)}`,
          String(median(results.map((r) => r.get))),
          String(median(results.map((r) => r.options))),
        ]);
      }
    }
  } finally {
    await firefox.close();
    api.close();
  }
  console.log('');
  console.log(
    'Many elements: adding 200 <oauth-fetch> (hand-set token, API on another origin) to the last response; requests per run at the API, median',
  );
  printTable(rows);
  console.log('');
}

// ---- 3. JSON ----------------------------------------------------------------------------------

async function jsonTable() {
  const elementProblem = forceDirect
    ? '--direct was given'
    : element
      ? await withPage((page) => page.evaluate(() => window.loadElement()))
      : 'dist/oauth-elements.js is missing';
  const ourCase = elementProblem ? 'tree' : 'element';
  const ourLabel = elementProblem ? 'renderJsonTree (direct)' : '<oauth-fetch> (dist)';
  console.log(
    elementProblem
      ? `Measuring renderJsonTree directly, not the element: ${elementProblem}.`
      : `Measuring the real <oauth-fetch> from ${relative(repo, distBundle)}.`,
  );

  const CASES = [
    { id: 'parse', label: 'JSON.parse (floor)' },
    { id: ourCase, label: ourLabel },
    { id: 'pre', label: '<pre> JSON.stringify(…, 2)' },
    { id: 'viewer', label: '<json-viewer>' },
  ];

  const started = Date.now();
  const results = [];
  for (const size of SIZES) {
    const url = `${origin}/data/${size.bytes}.json`;
    const samples = new Map(CASES.map((c) => [c.id, []]));
    // Cases take turns run by run, so that a slow moment of the machine hits them all alike.
    for (let run = 0; run < size.runs; run++) {
      for (const c of CASES) {
        const runs = samples.get(c.id);
        if (run === 0 || runs[0].ms <= SLOW_MS) runs.push(await measure(c.id, url, ourCase === 'element'));
      }
    }
    for (const c of CASES) {
      const runs = samples.get(c.id);
      results.push({
        size: size.label,
        case: c.id,
        label: c.label,
        runs: runs.length,
        ms: median(runs.map((r) => r.ms)),
        minMs: Math.min(...runs.map((r) => r.ms)),
        maxMs: Math.max(...runs.map((r) => r.ms)),
        readMs: median(runs.map((r) => r.readMs)),
        // A case that reads with Response.text() decodes within read (NaN comes back from the page as null).
        decodeMs: runs[0].decodeMs === null ? null : median(runs.map((r) => r.decodeMs)),
        fromRequestMs: median(runs.map((r) => r.fromRequestMs)),
        fromResponseEndMs: median(runs.map((r) => r.readMs + r.ms)),
        afterParseMs: median(runs.map((r) => r.afterParseMs)),
        parseMs: median(runs.map((r) => r.ms - r.afterParseMs)),
        heapMb: Math.max(...runs.map((r) => r.heapPeakBytes)) / 2 ** 20,
      });
    }
    process.stdout.write(`  ${size.label}: ${size.runs} runs per case done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }

  const floor = (size) => results.find((r) => r.size === size && r.case === 'parse').ms;
  const rows = [
    [
      'size',
      'case',
      'runs',
      'median ms',
      'min–max ms',
      'read ms',
      'decode ms',
      'to parsed ms',
      'after parse ms',
      'from responseEnd ms',
      'from request ms',
      'peak heap MB',
      '× JSON.parse',
    ],
    ...results.map((r) => [
      r.size,
      r.label,
      String(r.runs),
      r.ms.toFixed(1),
      `${r.minMs.toFixed(0)}–${r.maxMs.toFixed(0)}`,
      r.readMs.toFixed(1),
      r.decodeMs === null ? 'in read' : r.decodeMs.toFixed(1),
      r.parseMs.toFixed(1),
      r.afterParseMs.toFixed(1),
      r.fromResponseEndMs.toFixed(1),
      r.fromRequestMs.toFixed(1),
      r.heapMb.toFixed(1),
      (r.ms / floor(r.size)).toFixed(2),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log('');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.slice(1).forEach((row, i) => {
    if (i > 0 && i % CASES.length === 0) console.log('');
    console.log(line(row));
  });
  console.log('');
  console.log('ms: from the body text in hand (decoded) to the frame after rendering; median of the runs.');
  console.log(
    'to parsed ms: from the body in hand to when JSON.parse of it returned (median): the same work in every case, so its spread is the machine.',
  );
  console.log(
    'after parse ms: from when JSON.parse of the body returned to the frame after rendering (median). peak heap: highest usedJSHeapSize sampled.',
  );
  console.log(
    "read ms: from the response's last byte (resource timing responseEnd) to the body text in hand, decoding included (decode ms: TextDecoder's part).",
  );
  console.log('from responseEnd ms: read + median ms, the whole way from the last byte to the painted frame (median of the per-run sums).');
  console.log(
    "from request ms: from the request's start (resource timing startTime) to the painted frame, the whole wait: how the body is read changes when its last byte arrives.",
  );
  console.log(`runs: fewer than asked when the first run took over ${SLOW_MS / 1000} s.`);
  const get = (size, id) => results.find((r) => r.size === size && r.case === id);
  const big = get('10 MB', ourCase);
  const bigOk = big.ms <= 1.5 * floor('10 MB') && big.ms < get('10 MB', 'pre').ms && big.ms < get('10 MB', 'viewer').ms;
  const small = get('100 KB', ourCase);
  const smallOk = small.afterParseMs <= FRAME_MS;
  console.log('');
  console.log(
    `${bigOk ? 'PASS' : 'FAIL'}  10 MB: ${ourLabel} ≤ 1.5 × JSON.parse and faster than <pre> and json-viewer` +
      ` (${big.ms.toFixed(1)} ms = ${(big.ms / floor('10 MB')).toFixed(2)} × ${floor('10 MB').toFixed(1)} ms;` +
      ` <pre> ${get('10 MB', 'pre').ms.toFixed(1)} ms, json-viewer ${get('10 MB', 'viewer').ms.toFixed(1)} ms;` +
      ` minimums: ${big.minMs.toFixed(1)}, JSON.parse ${get('10 MB', 'parse').minMs.toFixed(1)}, json-viewer ${get('10 MB', 'viewer').minMs.toFixed(1)} ms)`,
  );
  // Issue 16's target: from the last byte to the painted view within twice what parsing the body alone takes.
  const bigFloor = get('10 MB', 'parse');
  const parseAlone = bigFloor.parseMs;
  const wholeOk = big.fromResponseEndMs <= 2 * parseAlone;
  console.log(
    `${wholeOk ? 'PASS' : 'FAIL'}  10 MB: ${ourLabel} from responseEnd to the painted view ≤ 2 × JSON.parse of the body alone` +
      ` (${big.fromResponseEndMs.toFixed(1)} ms = read ${big.readMs.toFixed(1)} + parse ${big.parseMs.toFixed(1)} + view ${big.afterParseMs.toFixed(1)};` +
      ` 2 × ${parseAlone.toFixed(1)} ms = ${(2 * parseAlone).toFixed(1)} ms;` +
      ` the floor itself, which shows nothing: ${bigFloor.fromResponseEndMs.toFixed(1)} ms, of it decode ${bigFloor.decodeMs.toFixed(1)})`,
  );
  console.log(
    `      10 MB from the request's start: ${ourLabel} ${big.fromRequestMs.toFixed(1)} ms, the floor ${bigFloor.fromRequestMs.toFixed(1)} ms` +
      ` (${(big.fromRequestMs / bigFloor.fromRequestMs).toFixed(2)} ×), json-viewer ${get('10 MB', 'viewer').fromRequestMs.toFixed(1)} ms`,
  );
  console.log(
    `${smallOk ? 'PASS' : 'FAIL'}  100 KB: painted within one frame (≤ ${FRAME_MS.toFixed(1)} ms) after parsing` +
      ` (${small.afterParseMs.toFixed(1)} ms)`,
  );
  console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

// ---- the run ---------------------------------------------------------------------------------

let exitCode = 0;
try {
  const loadStart = loadavg()[0];
  if (tables.has('callback')) await callbackTable();
  if (tables.has('bytes')) await bytesTable();
  if (tables.has('many')) await manyTable();
  if (tables.has('json')) await jsonTable();
  const load = Math.max(loadStart, loadavg()[0]);
  if (load > cpus().length) {
    console.log(
      `The machine was busy (load average ${load.toFixed(1)} on ${cpus().length} cores): times include waits for a CPU;` +
        ' the low end of min–max is the closest to the cost itself.',
    );
  }
} catch (error) {
  console.error(`bench failed: ${error.stack ?? error}`);
  exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(exitCode);
