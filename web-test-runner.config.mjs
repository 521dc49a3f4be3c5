// Runs every browser test in Debian's Chromium and Firefox through puppeteer-core,
// because this machine cannot download a browser of a test tool's own.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { webTestRunnerCountReporter } from './scripts/count-reporter.mjs';
import { testApiMiddleware } from './test/helpers/test-api-middleware.mjs';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

const chromium = chromeLauncher({
  launchOptions: {
    executablePath: chromiumPath,
    headless: true,
    // root in a container: no sandbox; the rest keeps Chromium off the closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  },
});
chromium.name = 'Chromium';

const firefox = chromeLauncher({
  launchOptions: {
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
  },
});
firefox.name = 'Firefox';

export default {
  files: ['test/**/*.test.ts'],
  // lit's production build, as users get it (and without its dev-mode console warning).
  nodeResolve: { exportConditions: ['production'] },
  // Pages load from 127.0.0.1; http://localhost on the same port is then another origin for redirect tests.
  hostname: '127.0.0.1',
  concurrency: 1,
  middleware: [testApiMiddleware()],
  browsers: [chromium, firefox],
  plugins: [esbuildPlugin({ ts: true, target: 'es2021', tsconfig: 'tsconfig.json' })],
  testFramework: { config: { timeout: 5000 } },
  reporters: [defaultReporter(), ...(process.env.TEST_COUNTS_FILE ? [webTestRunnerCountReporter(process.env.TEST_COUNTS_FILE)] : [])],
};
