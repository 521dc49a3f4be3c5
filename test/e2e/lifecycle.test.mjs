// Session lifecycle end to end: code + PKCE with OpenID discovery, popup mode, revocation
// and sign-out across tabs, against the project's own authorization server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inEveryBrowser, launchBrowsers } from './support/browsers.mjs';
import { startE2eServers } from './support/servers.mjs';

let servers;
before(async () => {
  launchBrowsers();
  servers = await startE2eServers();
});
after(() => servers?.close());

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('authorization code with PKCE and discovery', () => {
      it('signs in with an S256 challenge, removes code/state/iss from the address bar, and the API sees the token', async () => {
        const page = await browser.newPage();
        await page.goto('code.html');
        const token = await page.signIn();
        const authorization = new URL(page.requestsTo('/authorize').at(-1));
        assert.equal(authorization.searchParams.get('response_type'), 'code');
        assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
        assert.match(authorization.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
        // The redirect URI is the page without query; code, state and iss are gone from it.
        assert.equal(page.url(), servers.pageUrl('code.html'));
        assert.equal(page.requestsTo('/.well-known/openid-configuration').length, 1);
        await page.waitForShadowText('#profile', 'Ada Demo');
        assert.ok(servers.auto.seenBearers.includes(`Bearer ${token.detail.accessToken}`));
      });

      it('exchanges a code once: loading the callback URL again is invalid_state, with no second exchange', async () => {
        const page = await browser.newPage();
        await page.goto('code.html');
        await page.signIn();
        const callback = page.redirects.map(({ to }) => to).find((to) => to?.includes('code='));
        assert.ok(callback, 'the provider redirected with a code');
        const exchanges = page.requestsTo('/token').length;
        await page.goto(callback);
        const error = await page.waitForEvent('oauth-error');
        assert.equal(error.detail.error, 'invalid_state');
        assert.equal(page.requestsTo('/token').length, exchanges);
        assert.ok(!page.url().includes('code='));
      });

      it('a discovery document whose issuer differs is invalid_config, and no sign-in starts', async () => {
        const page = await browser.newPage();
        // The server answers for 127.0.0.1; asking for it as localhost makes the names differ.
        await page.goto(`code.html?issuer=${encodeURIComponent(servers.auto.url.replace('127.0.0.1', 'localhost'))}`);
        await page.page.click('#login >>> button');
        const error = await page.waitForEvent('oauth-error');
        assert.equal(error.detail.error, 'invalid_config');
        assert.equal(page.requestsTo('/authorize').length, 0);
      });

      it('sign-out revokes the token at the provider: the API refuses it afterwards', async () => {
        const page = await browser.newPage();
        await page.goto('code.html');
        const { detail } = await page.signIn();
        await page.waitForShadowText('#profile', 'Ada Demo');
        await page.page.click('#login >>> button');
        await page.waitForEvent('signout');
        await page.page.waitForFunction(() => true);
        const deadline = Date.now() + 5000;
        let status;
        do {
          status = (await fetch(`${servers.auto.url}/api/profile`, { headers: { Authorization: `Bearer ${detail.accessToken}` } })).status;
        } while (status === 200 && Date.now() < deadline);
        assert.equal(status, 401);
      });
    });

    describe('popup mode', () => {
      it('signs in in a popup: the page stays, the popup closes, the token arrives', async () => {
        const page = await browser.newPage();
        await page.goto('code.html?mode=popup&keep=2');
        const opened = new Promise((resolve) => page.page.once('popup', resolve));
        await page.page.click('#login >>> button');
        const popup = await opened;
        await page.waitForEvent('token', { timeout: 10_000 });
        assert.equal(page.url(), servers.pageUrl('code.html?mode=popup&keep=2'));
        await page.page.waitForFunction(() => true);
        for (let i = 0; i < 50 && !popup.isClosed(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(popup.isClosed(), true, 'the popup closed itself');
        await page.waitForShadowText('#profile', 'Ada Demo');
        assert.deepEqual(await page.events('oauth-error'), []);
      });
    });

    describe('across tabs', () => {
      // A page of its own, since the redirect URI (the page without query) must bring the storage back too.
      it('with storage="local", signing in in one tab signs in the other, and signing out signs it out (other-tab)', async () => {
        const context = await browser.browser.createBrowserContext();
        browser.contexts.push(context);
        const second = await browser.newPage(context);
        const first = await browser.newPage(context);
        await second.goto('code-local.html');
        await first.goto('code-local.html');
        await first.signIn();
        const arrived = await second.waitForEvent('token');
        assert.equal(typeof arrived.detail.accessToken, 'string');
        await first.page.click('#login >>> button');
        const signout = await second.waitForEvent('signout', { timeout: 2000 });
        assert.deepEqual(signout.detail, { reason: 'other-tab' });
        assert.deepEqual(await second.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('oauth-elements:'))), []);
      });
    });
  },
);
