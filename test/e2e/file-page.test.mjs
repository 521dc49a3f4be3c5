// A page opened from the disk (file://), with the classic-script bundle beside it: no
// server, no modules. Reads dist/: run `npm run build` first.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { inEveryBrowser, launchBrowsers } from './support/browsers.mjs';

const T = { timeout: 30_000 };

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>From the disk</title>
    <script src="oauth-elements.iife.js"></script>
  </head>
  <body>
    <oauth-login id="login" authorize-url="https://auth.example.com/authorize" client-id="disk-app"></oauth-login>
    <oauth-fetch for="login" src="https://api.example.com/me"></oauth-fetch>
  </body>
</html>
`;

let folder;
before(() => {
  launchBrowsers();
  folder = mkdtempSync(join(tmpdir(), 'oauth-elements-file-page-'));
  copyFileSync('dist/oauth-elements.iife.js', join(folder, 'oauth-elements.iife.js'));
  writeFileSync(join(folder, 'page.html'), PAGE);
});
after(() => rmSync(folder, { recursive: true, force: true }));

inEveryBrowser(
  () => null,
  (browser) => {
    describe('a page opened from file:// with <script src="oauth-elements.iife.js">', () => {
      it('defines both elements, exposes window.OAuthElements and shows the sign-in button', T, async () => {
        const page = await browser.newPage();
        await page.page.goto(pathToFileURL(join(folder, 'page.html')).href);
        assert.equal(new URL(page.url()).protocol, 'file:');
        await page.page.waitForFunction(() => document.getElementById('login').shadowRoot?.querySelector('button'));
        const seen = await page.evaluate(() => ({
          login: customElements.get('oauth-login') === window.OAuthElements?.OAuthLoginElement,
          fetch: customElements.get('oauth-fetch') === window.OAuthElements?.OAuthFetchElement,
          upgraded: document.getElementById('login') instanceof window.OAuthElements.OAuthLoginElement,
          button: document.getElementById('login').shadowRoot.querySelector('button').textContent,
          fetchStatus: document.querySelector('oauth-fetch').status,
        }));
        assert.deepEqual(seen, { login: true, fetch: true, upgraded: true, button: 'Sign in', fetchStatus: 'idle' });
        assert.deepEqual(page.pageErrors, []);
      });
    });
  },
);
