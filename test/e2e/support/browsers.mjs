// The Chromium and Firefox that scripts/browsers.mjs finds, driven by puppeteer-core (CDP for Chromium, WebDriver
// BiDi for Firefox). One browser per browser name for a whole test file, and a fresh
// incognito-like context for every test, so nothing (cookies, storage) leaks between tests.
import { after, afterEach, before, describe } from 'node:test';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, FIREFOX_PATH } from '../../../scripts/browsers.mjs';
import { TestPage } from './page-driver.mjs';

export const BROWSERS = {
  chromium: () =>
    puppeteer.launch({
      browser: 'chrome',
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    }),
  firefox: () =>
    puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
    }),
};

const launched = new Map();

// At the end of the test file, any browser still open (its tests all filtered out by
// --test-name-pattern, say) is closed, or it would keep the run alive.
after(() =>
  Promise.all([...launched.values()].map((starting) => starting.then((browser) => browser.connected && browser.close()).catch(() => {}))),
);

/** Starts every browser now (each at most once per test file), so they start up while other work runs. */
export function launchBrowsers() {
  for (const [browserName, launch] of Object.entries(BROWSERS)) {
    if (!launched.has(browserName)) {
      const starting = launch();
      // Awaited by the describe block that uses it; a failure is reported there.
      starting.catch(() => {});
      launched.set(browserName, starting);
    }
  }
  return launched;
}

/**
 * Declares `body` once per browser, inside `describe(browserName)`. `body` gets a handle
 * whose `newPage()` opens a page in a fresh browser context, closed after the test.
 */
export function inEveryBrowser(servers, body) {
  for (const browserName of Object.keys(BROWSERS)) {
    describe(browserName, () => {
      const handle = {
        browserName,
        browser: null,
        contexts: [],
        /** A page in a new context (or in `context`, to share its cookies and storage partition). */
        async newPage(context) {
          if (!context) {
            context = await handle.browser.createBrowserContext();
            handle.contexts.push(context);
          }
          return TestPage.open(await context.newPage(), servers());
        },
      };
      before(async () => {
        // Firefox starts up while Chromium's tests run.
        handle.browser = await launchBrowsers().get(browserName);
      });
      afterEach(async () => {
        const contexts = handle.contexts.splice(0);
        await Promise.all(contexts.map((context) => context.close().catch(() => {})));
      });
      after(async () => {
        if (handle.browser?.connected) await handle.browser.close();
      });
      body(handle);
    });
  }
}
