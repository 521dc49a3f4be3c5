// The demo as a newcomer meets it: `npm start`, open the printed URL, sign in as
// demo / demo (or deny), and see the result on the page.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inEveryBrowser } from './support/browsers.mjs';

const T = { timeout: 30_000 };
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PORTS = [8000, 9000];
const DEMO_URL = 'http://localhost:8000/';
const AUTH_URL = 'http://127.0.0.1:9000';

let child;
let output = '';
let readyAfterSeconds;
let openUrl;

/** Resolves once nothing listens on `port` (another run may still be closing), or fails after `timeout`. */
async function waitForFreePort(port, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const free = await new Promise((resolve) => {
      const probe = createServer().once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return;
    if (Date.now() > deadline) throw new Error(`Port ${port} is in use by another process; npm start needs it`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

before(async () => {
  for (const port of PORTS) await waitForFreePort(port, 20_000);
  const started = performance.now();
  // Its own process group, so the whole tree (npm, node, the build) can be stopped at once.
  child = spawn('npm', ['start'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // Waits past the 30 s the test allows, so that a slow start fails that test alone and
  // is not cut off mid-build (which would leave dist/ half written for the next test file).
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no "Open" line within 120 s:\n${output}`)), 120_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /Open\s+(\S+)/.exec(output);
      if (match && !openUrl) {
        clearTimeout(timer);
        openUrl = match[1];
        readyAfterSeconds = (performance.now() - started) / 1000;
        resolve();
      }
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  console.log(`npm start was ready in ${readyAfterSeconds.toFixed(1)} s`);
});

after(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
});

describe('npm start', () => {
  it('builds and serves the demo within 30 s, and prints the URL to open', (t) => {
    t.diagnostic(`npm start was ready in ${readyAfterSeconds.toFixed(1)} s`);
    assert.equal(openUrl, DEMO_URL);
    assert.ok(readyAfterSeconds < 30, `ready after ${readyAfterSeconds.toFixed(1)} s`);
  });
});

/** waitForFunction that, on timeout, says where the page was and what it showed. */
async function waitOnDemo(page, predicate, what) {
  try {
    await page.waitForFunction(predicate, { polling: 50 });
  } catch (error) {
    const text = await visibleText(page).catch(() => '?');
    throw new Error(`${what} did not happen; at ${page.url()} the page shows: ${text.replace(/\s+/g, ' ').slice(0, 1500)}`, {
      cause: error,
    });
  }
}

/** Everything a person can read on the page, shadow roots included. */
const visibleText = (page) =>
  page.evaluate(() => {
    const shadowText = (root) =>
      [...root.querySelectorAll('*')]
        .map((element) => (element.shadowRoot ? element.shadowRoot.textContent + shadowText(element.shadowRoot) : ''))
        .join(' ');
    return `${document.body.innerText} ${shadowText(document)}`;
  });

inEveryBrowser(
  () => ({ pageUrl: (name) => new URL(name, DEMO_URL).href, real: { url: AUTH_URL } }),
  (browser) => {
    /** Opens the demo and clicks Sign in: the browser is then on the provider's login page. */
    async function openAndClickSignIn() {
      const tab = await browser.newPage();
      const { page } = tab;
      // The demo and the provider's pages have strict CSPs: record any violation from the first moment.
      await page.evaluateOnNewDocument(() => {
        window.cspViolations = [];
        document.addEventListener(
          'securitypolicyviolation',
          (event) => window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`),
          true,
        );
      });
      await page.goto(DEMO_URL);
      const button = await page.waitForSelector('oauth-login >>> button[part="button"]');
      assert.equal(await button.evaluate((element) => element.textContent.trim()), 'Sign in');
      await Promise.all([page.waitForNavigation(), button.click()]);
      assert.ok(page.url().startsWith(`${AUTH_URL}/authorize?`), `at the provider: ${page.url()}`);
      return tab;
    }

    /** Opens the demo, clicks Sign in, signs in as demo / demo and stops at the consent page. */
    async function openAndSignIn() {
      const tab = await openAndClickSignIn();
      await tab.logInAtProvider('demo', 'demo');
      return tab;
    }

    describe('the demo', () => {
      it('signs in as demo / demo through the login and consent pages and shows the profile', T, async () => {
        const tab = await openAndSignIn();
        await Promise.all([tab.page.waitForNavigation(), tab.page.click('button[name=decision][value=allow]')]);
        await waitOnDemo(
          tab.page,
          () => document.querySelector('oauth-fetch')?.shadowRoot?.textContent.includes('Ada Demo'),
          'the profile showing Ada Demo',
        );
        assert.equal(tab.page.url(), DEMO_URL);
        assert.equal(await tab.page.$eval('oauth-login >>> button[part="button"]', (element) => element.textContent.trim()), 'Sign out');
        assert.deepEqual(tab.pageErrors, []);
        assert.deepEqual(await tab.page.evaluate(() => window.cspViolations), [], "the demo's own CSP is not violated");
      });

      it("shows the provider's error description after Deny", T, async () => {
        const tab = await openAndSignIn();
        await Promise.all([tab.page.waitForNavigation(), tab.page.click('button[name=decision][value=deny]')]);
        await waitOnDemo(
          tab.page,
          () => document.querySelector('oauth-login')?.shadowRoot?.querySelector('[part=error]')?.textContent.trim(),
          'an error next to the Sign in button',
        );
        assert.equal(
          await tab.page.$eval('oauth-login >>> [part=error]', (element) => element.textContent.trim()),
          'The user denied the request.',
        );
        assert.ok((await visibleText(tab.page)).includes('access_denied'), 'the event log names the error');
        assert.equal(tab.page.url(), DEMO_URL);
        assert.deepEqual(tab.pageErrors, []);
      });
    });

    describe('the provider pages the demo sends you to', () => {
      /** The violations a page reported, once the browser has also asked for the page's icon (which it does after load). */
      async function violationsOnceSettled(page) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return page.evaluate(() => window.cspViolations);
      }

      // Fails in Firefox: the login and consent pages have no icon, so Firefox asks for
      // /favicon.ico, which their own `default-src 'none'` blocks (dev-server/pages.mjs).
      it('keep to their own Content-Security-Policy: no violation on the login and consent pages', T, async () => {
        const tab = await openAndClickSignIn();
        const login = await violationsOnceSettled(tab.page);
        await tab.logInAtProvider('demo', 'demo');
        const consent = await violationsOnceSettled(tab.page);
        assert.deepEqual({ login, consent }, { login: [], consent: [] });
      });
    });
  },
);
