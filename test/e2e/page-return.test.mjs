// A code session whose access token expired while nothing could renew it (the token
// endpoint down, the page offline or in the back-forward cache) renews with its refresh
// token once the page is back: shown again from the cache, or online. 2-second tokens.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inEveryBrowser, launchBrowsers } from './support/browsers.mjs';
import { startE2eServers } from './support/servers.mjs';

const T = { timeout: 60_000 };

let servers;
before(async () => {
  launchBrowsers();
  servers = await startE2eServers();
});
after(() => servers?.close());

const refreshesSince = (from) => servers.short.tokenRequests.slice(from).filter(({ grantType }) => grantType === 'refresh_token');
/** The events in order: `token`, `signout:<reason>`, `oauth-error:<code>`. */
const story = async (page) =>
  (await page.events()).map(({ type, detail }) =>
    type === 'signout' ? `signout:${detail.reason}` : type === 'oauth-error' ? `oauth-error:${detail.error}` : type,
  );

/** Signed in, then the token ran out while `cutOff` kept every renewal from the token endpoint. */
async function expiredWhileCutOff(browser, cutOff) {
  const page = await browser.newPage();
  await page.goto('code-renewing-session.html');
  await page.signIn();
  await cutOff(page);
  await page.waitForEvent('signout', { timeout: 6000 });
  return page;
}

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('a refresh token that outlived its access token', () => {
      it('renews when the page comes back online', T, async () => {
        const page = await expiredWhileCutOff(browser, (page) => page.page.setOfflineMode(true));
        assert.deepEqual(await story(page), ['token', 'oauth-error:network_error', 'signout:expired']);
        const start = servers.short.tokenRequests.length;
        await page.page.setOfflineMode(false);
        await page.waitForEvent('token', { count: 2, timeout: 6000 });
        assert.deepEqual((await story(page)).slice(0, 4), ['token', 'oauth-error:network_error', 'signout:expired', 'token']);
        const [first] = refreshesSince(start);
        assert.equal(first?.status, 200, JSON.stringify(refreshesSince(start)));
        const tokens = (await page.events('token')).map(({ detail }) => detail.accessToken);
        assert.notEqual(tokens[0], tokens[1]);
      });

      it('renews when the page is shown again from the back-forward cache', T, async () => {
        const page = await expiredWhileCutOff(browser, () => (servers.short.tokenFaults.unavailable = true));
        try {
          assert.deepEqual(await story(page), ['token', 'oauth-error:temporarily_unavailable', 'signout:expired']);
          await page.page.goto(servers.pageUrl('favicon.svg'));
        } finally {
          servers.short.tokenFaults.unavailable = false;
        }
        const start = servers.short.tokenRequests.length;
        await page.goBack();
        assert.equal(await page.evaluate(() => window.e2e.restoredFromCache), 1, 'the page came back from the back-forward cache');
        await page.waitForEvent('token', { count: 2, timeout: 6000 });
        assert.deepEqual((await story(page)).slice(0, 4), ['token', 'oauth-error:temporarily_unavailable', 'signout:expired', 'token']);
        assert.equal(refreshesSince(start)[0]?.status, 200, JSON.stringify(refreshesSince(start)));
      });
    });
  },
);
