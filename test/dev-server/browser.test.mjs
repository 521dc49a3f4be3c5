import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, FIREFOX_PATH } from '../../scripts/browsers.mjs';
import { authorizePath, startWithClock } from './helpers.mjs';

// The real sign-in pages in real browsers: the CSP (style-src 'self', form-action) and
// the cookie settings only show their effect there.
const browsers = [
  { name: 'Chromium', path: CHROMIUM_PATH, browser: 'chrome', args: CHROMIUM_ARGS },
  { name: 'Firefox', path: FIREFOX_PATH, browser: 'firefox', args: [] },
];

let appServer;
let appOrigin;
let server;

before(async () => {
  // Stands in for the app at the redirect URI, on another origin like the real demo.
  appServer = createServer((req, res) => res.end('<!doctype html><title>app</title><p>back in the app</p>'));
  await new Promise((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${appServer.address().port}`;
  ({ server } = await startWithClock({
    clients: [{ id: 'browser-app', name: 'Browser test app', redirectUris: [`${appOrigin}/cb`], scopes: ['profile', 'read'] }],
  }));
});

after(async () => {
  await server.close();
  appServer.closeAllConnections();
  await new Promise((resolve) => appServer.close(resolve));
});

for (const { name, path, browser: product, args } of browsers) {
  describe(`sign-in pages in ${name}`, { skip: !existsSync(path) && `${path} not found` }, () => {
    let browser;
    before(async () => {
      browser = await puppeteer.launch({ browser: product, executablePath: path, headless: true, args });
    });
    after(() => browser?.close());

    // A fresh profile per test, so one test's sign-in does not carry into the next.
    async function freshPage() {
      const context = await browser.createBrowserContext();
      return context.newPage();
    }

    async function signIn(page, state) {
      await page.goto(
        server.url +
          authorizePath({
            response_type: 'token',
            client_id: 'browser-app',
            redirect_uri: `${appOrigin}/cb`,
            scope: 'profile read',
            state,
          }),
      );
      await page.type('input[name=username]', 'demo');
      await page.type('input[name=password]', 'demo');
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    }

    it('styles the pages from the stylesheet the CSP allows', async () => {
      const page = await freshPage();
      await page.goto(
        server.url + authorizePath({ response_type: 'token', client_id: 'browser-app', redirect_uri: `${appOrigin}/cb`, state: 'x' }),
      );
      const maxWidth = await page.$eval('main', (main) => getComputedStyle(main).maxWidth);
      assert.equal(maxWidth, '416px');
      await page.browserContext().close();
    });

    it('walks login and consent and lands on the redirect URI with the token in the fragment', async () => {
      const page = await freshPage();
      await signIn(page, 'browser-state');
      assert.match(await page.$eval('h1', (h1) => h1.textContent), /Allow access/);
      await Promise.all([page.waitForNavigation(), page.click('button[value=allow]')]);
      const landed = new URL(page.url());
      assert.equal(`${landed.origin}${landed.pathname}`, `${appOrigin}/cb`);
      const params = new URLSearchParams(landed.hash.slice(1));
      assert.match(params.get('access_token'), /^[A-Za-z0-9_-]{43}$/);
      assert.equal(params.get('state'), 'browser-state');
      assert.equal(await page.$eval('p', (p) => p.textContent), 'back in the app');
      await page.browserContext().close();
    });

    it('lands on the redirect URI with access_denied after Deny', async () => {
      const page = await freshPage();
      await signIn(page, 'deny-state');
      await Promise.all([page.waitForNavigation(), page.click('button[value=deny]')]);
      const params = new URLSearchParams(new URL(page.url()).hash.slice(1));
      assert.equal(params.get('error'), 'access_denied');
      assert.equal(params.get('state'), 'deny-state');
      await page.browserContext().close();
    });

    it('remembers the sign-in when the app, on another site, sends the browser back', async () => {
      const page = await freshPage();
      await signIn(page, 'first');
      await Promise.all([page.waitForNavigation(), page.click('button[value=allow]')]);
      // localhost and 127.0.0.1 are different sites: this is the demo's situation, where
      // only a SameSite=Lax (or None) cookie survives the top-level navigation.
      await page.goto(`http://localhost:${new URL(appOrigin).port}/`);
      const again =
        server.url + authorizePath({ response_type: 'token', client_id: 'browser-app', redirect_uri: `${appOrigin}/cb`, state: 'second' });
      await Promise.all([
        page.waitForNavigation(),
        page.evaluate((url) => {
          location.href = url;
        }, again),
      ]);
      assert.match(await page.$eval('h1', (h1) => h1.textContent), /Allow access/);
      await page.browserContext().close();
    });
  });
}
