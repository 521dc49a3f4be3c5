// Runs every browser test in the Chromium and Firefox that scripts/browsers.mjs finds, through
// puppeteer-core: the test tools never download a browser of their own.
import { CHROMIUM_ARGS, CHROMIUM_PATH, FIREFOX_PATH } from './scripts/browsers.mjs';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { webTestRunnerCountReporter } from './scripts/count-reporter.mjs';
import { testApiMiddleware } from './test/helpers/test-api-middleware.mjs';

const chromium = chromeLauncher({
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  },
});
chromium.name = 'Chromium';

const firefox = chromeLauncher({
  launchOptions: {
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
  },
});
firefox.name = 'Firefox';

// React ships CommonJS only (test/frameworks), which @rollup/plugin-commonjs turns into ES
// modules file by file. Its entry files (`react`, `react-dom/client`…) pick a build with
// process.env.NODE_ENV, which browsers lack, and re-export it with `module.exports =
// require(…)`, which gives no named exports file by file. So each entry becomes an ES module
// re-exporting the production build (as users ship it: `.production.js` in React 19,
// `.production.min.js` in 18); `requireReturnsDefault: 'preferred'` then gives React's own
// `require('scheduler')`… the whole exports object again. React 18's `react-dom/client`
// copies `createRoot` and `hydrateRoot` from `react-dom` under the same NODE_ENV test: it
// re-exports them. The names match React 18 too, in its own node_modules
// (test/frameworks/react-18, a workspace beside the project's React 19).
const REACT_PACKAGES = ['react', 'react-dom', 'scheduler'];
const commonjs = fromRollup(rollupCommonjs);
const reactEntries = {
  name: 'react-entries',
  transform(context) {
    if (!REACT_PACKAGES.some((name) => context.path.includes(`/node_modules/${name}/`))) return;
    const build = /module\.exports = require\('(\.\/cjs\/[\w.-]+\.production(?:\.min)?\.js)'\)/.exec(context.body)?.[1];
    if (build) return { body: `export * from '${build}';\nexport { default } from '${build}';\n` };
    if (/^\s*exports\.createRoot = m\.createRoot;$/m.test(context.body)) {
      return { body: `import m from './index.js';\nexport const { createRoot, hydrateRoot } = m;\n` };
    }
  },
};

// `npm test -- --grep <pattern>` (scripts/test.mjs): a test whose full title does not match
// is skipped by a root hook. Mocha's own grep would leave it unrun, which the runner counts
// as a failure.
const grep = process.env.TEST_GREP;
const grepTests = {
  name: 'grep-tests',
  transform(context) {
    if (!grep || !/\.test\.tsx?$/.test(context.path)) return;
    const hook = `beforeEach(function () { if (!new RegExp(${JSON.stringify(grep)}).test(this.currentTest.fullTitle())) this.skip(); });`;
    return { body: `${hook}\n${context.body}` };
  },
};

export default {
  files: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
  // lit's production build, as users get it (and without its dev-mode console warning).
  nodeResolve: { exportConditions: ['production'] },
  // Pages load from 127.0.0.1; http://localhost on the same port is then another origin for redirect tests.
  hostname: '127.0.0.1',
  concurrency: 1,
  middleware: [testApiMiddleware()],
  browsers: [chromium, firefox],
  plugins: [
    grepTests,
    reactEntries,
    commonjs({
      include: REACT_PACKAGES.map((name) => `**/node_modules/${name}/**`),
      strictRequires: false,
      requireReturnsDefault: 'preferred',
    }),
    // .tsx (React tests) choose the automatic JSX runtime with a `@jsxRuntime automatic` comment.
    esbuildPlugin({ ts: true, tsx: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
  ],
  // Generous limits: on a loaded machine a browser can take long to start a page or a test.
  browserStartTimeout: 120_000,
  testFramework: { config: { timeout: 15_000 } },
  reporters: [defaultReporter(), ...(process.env.TEST_COUNTS_FILE ? [webTestRunnerCountReporter(process.env.TEST_COUNTS_FILE)] : [])],
};
