// Renewal end to end, with 2-second tokens and the code grant's refresh tokens: a token is
// renewed before it runs out, one refresh per renewal however many elements and tabs share
// the sign-in, and a failed renewal ends the session once, without retrying; a token that
// expired while nothing could renew it (the token endpoint down, the page offline or in
// the back-forward cache) is renewed with the refresh token once the page is back.
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

/** The refresh requests the short-lived provider has answered since `from` (an index into its log). */
const refreshesSince = (from) => servers.short.tokenRequests.slice(from).filter(({ grantType }) => grantType === 'refresh_token');

const tokensOf = async (page, source) =>
  (await page.events('token')).filter((event) => event.source === source).map(({ detail }) => detail);

/** Signs in with renewal.html's login `a` (the provider approves at once) and waits until the page is back. */
async function signInWithA(page) {
  const button = await page.page.waitForSelector('oauth-login[data-name=a] >>> button[part="button"]');
  await Promise.all([page.page.waitForNavigation(), button.click()]);
  await page.settled();
}

/** renewal.html in two tabs of one context (shared localStorage), signed in from the first tab's login `a`. */
async function twoTabsSignedIn(browser) {
  const context = await browser.browser.createBrowserContext();
  browser.contexts.push(context);
  const second = await browser.newPage(context);
  const first = await browser.newPage(context);
  await second.goto('renewal.html');
  await first.goto('renewal.html');
  await signInWithA(first);
  await first.waitForEvent('token', { source: 'a' });
  return { first, second };
}

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
  await page.waitForEvent('oauth-error', { timeout: 6000 });
  return page;
}

/**
 * {@link story} of a page from {@link expiredWhileCutOff}, its second and third events sorted:
 * the last renewal's failure and the expiry come in either order, as a retry that starts just
 * before the token runs out fails just after.
 */
const cutOffStory = async (page) => {
  const [first, second, third, ...rest] = await story(page);
  return [first, ...[second, third].sort(), ...rest];
};

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('renewal with a refresh token', () => {
      it('renews the token before it expires: new token events, no signout, and the API gets the new token', T, async () => {
        const page = await browser.newPage();
        await page.goto('renewal.html');
        await signInWithA(page);
        await page.waitForEvent('token', { source: 'a', count: 3, timeout: 8000 });
        const tokens = await tokensOf(page, 'a');
        assert.equal(new Set(tokens.map(({ accessToken }) => accessToken)).size, tokens.length, 'every renewal brings a new token');
        for (let i = 1; i < tokens.length; i++) {
          // Each lasts 2 s from when it was issued, so it was issued before the one it replaces ran out.
          assert.ok(tokens[i].expiresAt - 2000 < tokens[i - 1].expiresAt, `token ${i} came before token ${i - 1} expired`);
        }
        assert.deepEqual(await page.events('signout'), []);
        assert.deepEqual(await page.events('oauth-error'), []);
        const renewed = tokens.at(-1).accessToken;
        const deadline = Date.now() + 3000;
        while (!servers.short.seenBearers.includes(`Bearer ${renewed}`) && Date.now() < deadline) await sleep(50);
        assert.ok(servers.short.seenBearers.includes(`Bearer ${renewed}`), 'oauth-fetch loaded with the renewed token');
      });

      it(
        'with two tabs and two logins in each, one refresh request reaches /token per renewal and every login gets each renewed token',
        T,
        async () => {
          const start = servers.short.tokenRequests.length;
          const { first, second } = await twoTabsSignedIn(browser);
          await second.waitForEvent('token', { source: 'b', count: 4, timeout: 10_000 });
          const seen = {};
          for (const [tab, page] of Object.entries({ first, second })) {
            for (const login of ['a', 'b']) seen[`${tab} ${login}`] = (await tokensOf(page, login)).map(({ accessToken }) => accessToken);
          }
          const errors = [...(await first.events('oauth-error')), ...(await second.events('oauth-error'))];
          const signouts = [...(await first.events('signout')), ...(await second.events('signout'))];
          // Stop every timer in both tabs before counting.
          await Promise.all([first.page.close(), second.page.close()].map((closing) => closing.catch(() => {})));
          await sleep(500);

          const sequence = seen['first a'];
          const renewals = sequence.length - 1;
          assert.ok(renewals >= 3, `at least three renewals (${renewals})`);
          assert.equal(new Set(sequence).size, sequence.length);
          for (const [login, tokens] of Object.entries(seen)) {
            // Every login heard the same tokens in the same order (the last may still have been on its way to some).
            assert.ok(tokens.length >= 4, `${login} heard ${tokens.length} tokens`);
            assert.deepEqual(tokens, sequence.slice(0, tokens.length), `${login} heard the tokens of the first tab, in order`);
          }
          const refreshes = refreshesSince(start);
          // A refresh still on its way when the tabs closed may have no announced token.
          assert.ok(
            refreshes.length === renewals || refreshes.length === renewals + 1,
            `${refreshes.length} refresh requests for ${renewals} renewals`,
          );
          assert.ok(
            refreshes.every(({ status }) => status === 200),
            'no refresh failed (a second use of a rotated refresh token would)',
          );
          assert.equal(second.requests.filter((url) => new URL(url).pathname === '/token').length, 0, 'the second tab never called /token');
          assert.deepEqual(errors, []);
          assert.deepEqual(signouts, []);
        },
      );

      it('a failed renewal ends in one signout (expired) for every login in every tab, and no further refresh attempt', T, async () => {
        const { first, second } = await twoTabsSignedIn(browser);
        await second.waitForEvent('token', { source: 'b' });
        const revokedAt = servers.short.tokenRequests.length;
        // As an administrator ending every session: the next refresh is refused.
        servers.short.revokeAllGrants();
        for (const page of [first, second]) {
          for (const source of ['a', 'b']) await page.waitForEvent('signout', { source, timeout: 6000 });
        }
        // Two more token lifetimes: time for any retry to show.
        await sleep(4000);
        for (const page of [first, second]) {
          assert.deepEqual((await page.events('signout')).map(({ source, detail }) => [source, detail.reason]).sort(), [
            ['a', 'expired'],
            ['b', 'expired'],
          ]);
        }
        const afterRevoke = servers.short.tokenRequests.slice(revokedAt);
        const failed = afterRevoke.filter(({ status }) => status !== 200);
        assert.equal(failed.length, 1, `one failed refresh: ${JSON.stringify(afterRevoke)}`);
        assert.deepEqual(afterRevoke.at(-1), failed[0], 'nothing after the failed refresh');
        const errors = [...(await first.events('oauth-error')), ...(await second.events('oauth-error'))];
        assert.deepEqual(
          errors.map(({ detail }) => detail.error),
          ['invalid_grant'],
        );
        const lastToken = (await tokensOf(first, 'a')).at(-1);
        assert.ok(lastToken.expiresAt <= Date.now(), 'the last token ran out rather than being renewed');
      });
    });

    describe('a refresh token that outlived its access token', () => {
      it('renews when the page comes back online', T, async () => {
        const page = await expiredWhileCutOff(browser, (page) => page.page.setOfflineMode(true));
        assert.deepEqual(await cutOffStory(page), ['token', 'oauth-error:network_error', 'signout:expired']);
        const start = servers.short.tokenRequests.length;
        await page.page.setOfflineMode(false);
        await page.waitForEvent('token', { count: 2, timeout: 6000 });
        assert.deepEqual((await cutOffStory(page)).slice(0, 4), ['token', 'oauth-error:network_error', 'signout:expired', 'token']);
        const [first] = refreshesSince(start);
        assert.equal(first?.status, 200, JSON.stringify(refreshesSince(start)));
        const tokens = (await page.events('token')).map(({ detail }) => detail.accessToken);
        assert.notEqual(tokens[0], tokens[1]);
      });

      it('renews when the page is shown again from the back-forward cache', T, async () => {
        const page = await expiredWhileCutOff(browser, () => (servers.short.tokenFaults.unavailable = true));
        try {
          assert.deepEqual(await cutOffStory(page), ['token', 'oauth-error:temporarily_unavailable', 'signout:expired']);
          await page.page.goto(servers.pageUrl('favicon.svg'));
        } finally {
          servers.short.tokenFaults.unavailable = false;
        }
        const start = servers.short.tokenRequests.length;
        await page.goBack();
        assert.equal(await page.evaluate(() => window.e2e.restoredFromCache), 1, 'the page came back from the back-forward cache');
        await page.waitForEvent('token', { count: 2, timeout: 6000 });
        assert.deepEqual((await cutOffStory(page)).slice(0, 4), [
          'token',
          'oauth-error:temporarily_unavailable',
          'signout:expired',
          'token',
        ]);
        assert.equal(refreshesSince(start)[0]?.status, 200, JSON.stringify(refreshesSince(start)));
      });
    });
  },
);
