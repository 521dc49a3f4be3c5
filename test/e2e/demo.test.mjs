// The demo as a newcomer meets it: `npm start`, open the printed URL, sign in as
// demo / demo (or deny), and see the result on the page.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inEveryBrowser } from './support/browsers.mjs';

const T = { timeout: 30_000 };
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let child;
let output = '';
let readyAfterSeconds;
/** Where npm start says the demo and the authorization server are: free ports of its choosing. */
let DEMO_URL;
let AUTH_URL;

before(async () => {
  const started = performance.now();
  // Port 0: free ports, so that this runs beside a developer's own `npm start`.
  // Its own process group, so the whole tree (npm, node, the build) can be stopped at once.
  child = spawn('npm', ['start', '--', '--port', '0', '--auth-port', '0'], {
    cwd: ROOT,
    // 20-second tokens: a renewal shows in the event log after 10 s.
    env: { ...process.env, TOKEN_LIFETIME: '20' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Waits past the 30 s the test allows, so that a slow start fails that test alone and
  // is not cut off mid-build (which would leave dist/ half written for the next test file).
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no "Open" line within 120 s:\n${output}`)), 120_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /Open\s+(\S+)[\s\S]*authorization server: (\S+)\)/.exec(output);
      if (match && !DEMO_URL) {
        clearTimeout(timer);
        [, DEMO_URL, AUTH_URL] = match;
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
    assert.match(DEMO_URL, /^http:\/\/localhost:\d+\/$/);
    assert.match(AUTH_URL, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(readyAfterSeconds < 30, `ready after ${readyAfterSeconds.toFixed(1)} s`);
  });

  it('names a busy port and how to pick another, in one line and at once', T, async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const busy = holder.address().port;
    try {
      // node, not npm: the line is the script's, and npm adds nothing to a failed start anyway.
      const start = spawn('node', ['scripts/start.mjs', '--port', String(busy), '--auth-port', '0'], { cwd: ROOT });
      let text = '';
      start.stdout.on('data', (chunk) => (text += chunk));
      start.stderr.on('data', (chunk) => (text += chunk));
      const [code] = await once(start, 'exit');
      assert.equal(code, 1);
      assert.deepEqual(text.trim().split('\n'), [
        `Port ${busy} is in use (another npm start?): pick another with \`npm start -- --port ${busy + 1}\` or PORT=${busy + 1}.`,
      ]);
    } finally {
      holder.close();
    }
  });
});

/** waitForFunction that, on timeout, says where the page was and what it showed. */
async function waitOnDemo(page, predicate, what, timeout) {
  try {
    await page.waitForFunction(predicate, { polling: 50, timeout });
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
    /**
     * Opens the demo (switched to `flow` when given, then to DPoP with `dpop`) and clicks Sign
     * in: the browser is then on the provider's login page.
     */
    async function openAndClickSignIn(flow, { dpop = false } = {}) {
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
      if (flow) await Promise.all([page.waitForNavigation(), page.click(`input[name=flow][value="${flow}"]`)]);
      if (dpop) await Promise.all([page.waitForNavigation(), page.click('input[name=dpop]')]);
      const button = await page.waitForSelector('oauth-login >>> button[part="button"]');
      assert.equal(await button.evaluate((element) => element.textContent.trim()), 'Sign in');
      await Promise.all([page.waitForNavigation(), button.click()]);
      assert.ok(page.url().startsWith(`${AUTH_URL}/authorize?`), `at the provider: ${page.url()}`);
      return tab;
    }

    /** Opens the demo, clicks Sign in, signs in as demo / demo and stops at the consent page. */
    async function openAndSignIn(flow, options) {
      const tab = await openAndClickSignIn(flow, options);
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
        assert.match(await tab.page.$eval('#events', (element) => element.textContent), /token via implicit grant/);
      });

      it('opens on the implicit grant, with code + PKCE one click away and a sentence on when to pick which', T, async () => {
        const tab = await browser.newPage();
        await tab.page.goto(DEMO_URL);
        assert.equal(await tab.page.$eval('input[name=flow]:checked', (element) => element.value), 'token');
        const advice = await tab.page.$eval('#flow-advice', (element) => element.closest('fieldset').textContent);
        assert.match(advice, /code \+ PKCE for new work: RFC 9700 and the OAuth 2\.0 for Browser-Based Apps BCP/);
      });

      it('signs in with code + PKCE after one click on the switch, and the event log says so', T, async () => {
        const tab = await openAndSignIn('code');
        await Promise.all([tab.page.waitForNavigation(), tab.page.click('button[name=decision][value=allow]')]);
        await waitOnDemo(
          tab.page,
          () => document.querySelector('oauth-fetch')?.shadowRoot?.textContent.includes('Ada Demo'),
          'the profile showing Ada Demo',
        );
        assert.equal(tab.page.url(), DEMO_URL, 'the code and state are gone from the address bar');
        assert.match(await tab.page.$eval('#events', (element) => element.textContent), /token via code \+ PKCE · tokenType Bearer/);
        assert.deepEqual(tab.pageErrors, []);
        assert.deepEqual(await tab.page.evaluate(() => window.cspViolations), [], "the demo's own CSP is not violated");
      });

      it('shows a renewal in the event log: with code + PKCE, a new token from the refresh token before the first expires', T, async () => {
        const tab = await openAndSignIn('code');
        await Promise.all([tab.page.waitForNavigation(), tab.page.click('button[name=decision][value=allow]')]);
        await waitOnDemo(
          tab.page,
          () => document.getElementById('events')?.textContent.includes('renewed with the refresh token'),
          'a renewal in the event log',
          15_000,
        );
        const log = await tab.page.$$eval('#events li', (items) => items.map((item) => item.textContent).reverse());
        assert.match(log[0], /token via code \+ PKCE/);
        assert.match(log[1], /token renewed with the refresh token · tokenType Bearer/);
        assert.ok(!log.some((line) => /signout|oauth-error/.test(line)), log.join('\n'));
      });

      it('offers DPoP with code + PKCE only, and with it the log says tokenType DPoP and the DPoP-only profile loads', T, async () => {
        const start = await browser.newPage();
        await start.page.goto(DEMO_URL);
        assert.equal(await start.page.$eval('input[name=dpop]', (element) => element.disabled), true, 'off for the implicit grant');

        const tab = await openAndSignIn('code', { dpop: true });
        await Promise.all([tab.page.waitForNavigation(), tab.page.click('button[name=decision][value=allow]')]);
        await waitOnDemo(
          tab.page,
          () => document.getElementById('profile')?.shadowRoot?.textContent.includes('Ada Demo'),
          'the DPoP-only profile showing Ada Demo',
        );
        assert.equal(await tab.page.$eval('#profile', (element) => element.src), `${AUTH_URL}/api/dpop/profile`);
        assert.equal(await tab.page.$eval('input[name=dpop]', (element) => element.checked), true);
        assert.match(await tab.page.$eval('#variant-markup', (element) => element.textContent), /response-type="code", dpop,/);
        assert.match(await tab.page.$eval('#events', (element) => element.textContent), /token via code \+ PKCE · tokenType DPoP/);
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
