// Silent renewal of implicit-grant tokens end to end against the dev server: before a token
// expires, one prompt=none request in a hidden frame brings a new token without the page
// going anywhere; when the provider needs the user (login_required), that one request is
// all, and the token runs out as it would have. The server counts every prompt=none request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { inEveryBrowser, launchBrowsers } from './support/browsers.mjs';
import { startE2eServers } from './support/servers.mjs';

const T = { timeout: 40_000 };

let servers;
before(async () => {
  launchBrowsers();
  servers = await startE2eServers();
});
after(() => servers?.close());

/** The prompt=none requests the 4-second provider has answered since `from` (an index into its log). */
const silentSince = (from) => servers.silent.silentRequests.slice(from).map(({ outcome }) => outcome);

/** silent.html signed in (the provider approves at once, which starts its login session), with a mark that a reload would lose. */
async function signedIn(browser) {
  const page = await browser.newPage();
  await page.goto('silent.html');
  const { detail } = await page.signIn();
  await page.evaluate(() => (window.sameDocument = true));
  return { page, first: detail };
}

const frames = (page) => page.evaluate(() => document.querySelectorAll('iframe').length);

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('silent renewal (prompt=none in a hidden frame)', () => {
      it('gets a new token before expiry with one prompt=none request per token, and the page stays where it is', T, async () => {
        const from = servers.silent.silentRequests.length;
        const { page, first } = await signedIn(browser);
        const url = page.page.url();

        const second = await page.waitForEvent('token', { count: 2, timeout: 8000 });
        assert.ok(Date.now() < first.expiresAt, 'the new token came before the first one expired');
        assert.notEqual(second.detail.accessToken, first.accessToken);
        assert.deepEqual(silentSince(from), ['issued'], 'one prompt=none request for the first token');
        assert.equal(await page.evaluate(() => window.sameDocument), true, 'no navigation: the same document');
        assert.equal(page.page.url(), url);
        assert.equal(await frames(page), 0, 'the hidden frame is gone');
        await page.waitForShadowText('#profile', 'Ada Demo');

        // The new token renews in turn: one more request, for it.
        await page.waitForEvent('token', { count: 3, timeout: 8000 });
        assert.deepEqual(silentSince(from), ['issued', 'issued']);
        assert.deepEqual(
          (await page.events()).filter(({ type }) => type === 'signout' || type === 'oauth-error'),
          [],
        );
      });

      it('stops quietly after one login_required: no error, no second attempt, and the token expires', T, async () => {
        const { page, first } = await signedIn(browser);
        // The provider's session ends (as when its cookie is blocked or it signed the user out).
        servers.silent.endLoginSessions();
        const from = servers.silent.silentRequests.length;

        const signout = await page.waitForEvent('signout', { timeout: 8000 });
        assert.equal(signout.detail.reason, 'expired');
        assert.ok(Date.now() >= first.expiresAt - 100, 'it ended when the token expired, not before');
        // Long enough for a loop to show: two more renewal periods.
        await sleep(4000);
        assert.deepEqual(silentSince(from), ['login_required'], 'exactly one prompt=none request');
        assert.deepEqual(
          (await page.events()).filter(({ type }) => type !== 'response').map(({ type }) => type),
          ['token', 'signout'],
        );
        assert.equal(await page.evaluate(() => window.sameDocument), true, 'no navigation');
        assert.equal(await frames(page), 0);
      });
    });
  },
);
