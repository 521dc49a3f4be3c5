// signIn(options) in real browsers against the real authorization server: what the page
// asks for reaches the provider, and it can never replace the protocol's own parameters.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inEveryBrowser, launchBrowsers } from './support/browsers.mjs';
import { startE2eServers } from './support/servers.mjs';

const T = { timeout: 30_000 };

let servers;
before(async () => {
  launchBrowsers();
  servers = await startE2eServers();
});
after(() => servers?.close());

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('sign-in options', () => {
      it('login_hint, prompt and extra parameters reach the authorization endpoint', T, async () => {
        const page = await browser.newPage();
        await page.goto('signin.html');
        await Promise.all([
          page.page.waitForNavigation(),
          page.evaluate(() =>
            document.getElementById('login').signIn({
              loginHint: 'demo',
              prompt: 'login',
              params: { acr_values: 'urn:mfa', max_age: 0, resource: 'https://api.example/' },
            }),
          ),
        ]);
        const [request] = page.requestsTo('/authorize');
        assert.ok(request, 'the page went to the authorization endpoint');
        const params = new URL(request).searchParams;
        assert.equal(new URL(request).origin, servers.real.url);
        assert.equal(params.get('login_hint'), 'demo');
        assert.equal(params.get('prompt'), 'login');
        assert.equal(params.get('acr_values'), 'urn:mfa');
        assert.equal(params.get('max_age'), '0');
        assert.equal(params.get('resource'), 'https://api.example/');
        assert.equal(params.get('redirect_uri'), servers.pageUrl('signin.html'));
        // The provider took the request: its login page, not an error page.
        await page.page.waitForSelector('input[name=username]');
      });

      for (const name of ['state', 'redirect_uri', 'client_id', 'response_type']) {
        it(`params cannot set ${name}: invalid_config, and the page stays`, T, async () => {
          const page = await browser.newPage();
          await page.goto('signin.html');
          await page.evaluate((key) => document.getElementById('login').signIn({ params: { [key]: 'https://evil.example/' } }), name);
          const { detail } = await page.waitForEvent('oauth-error');
          assert.equal(detail.error, 'invalid_config');
          assert.equal(page.url(), servers.pageUrl('signin.html'));
          assert.deepEqual(page.requestsTo('/authorize'), []);
        });
      }
    });
  },
);
