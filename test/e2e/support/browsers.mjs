// Debian's Chromium and Firefox ESR, driven by puppeteer-core (CDP for Chromium, WebDriver
// BiDi for Firefox). One browser per browser name for a whole test file, and a fresh
// incognito-like context for every test, so nothing (cookies, storage) leaks between tests.
import { after, afterEach, before, describe } from 'node:test';
import puppeteer from 'puppeteer-core';
import { TestPage } from './test-page.mjs';

export const BROWSERS = {
  chromium: () =>
    puppeteer.launch({
      browser: 'chrome',
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    }),
  firefox: () =>
    puppeteer.launch({
      browser: 'firefox',
      executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
      headless: true,
    }),
};

/**
 * Declares `body` once per browser, inside `describe(browserName)`. `body` gets a handle
 * whose `newPage()` opens a page in a fresh browser context, closed after the test.
 */
export function inEveryBrowser(servers, body) {
  for (const [browserName, launch] of Object.entries(BROWSERS)) {
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
        handle.browser = await launch();
      });
      afterEach(async () => {
        const contexts = handle.contexts.splice(0);
        await Promise.all(contexts.map((context) => context.close().catch(() => {})));
      });
      after(async () => {
        await handle.browser?.close();
      });
      body(handle);
    });
  }
}
