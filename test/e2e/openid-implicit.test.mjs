// OpenID Connect's implicit flow (`response-type="id_token token"`) in real browsers against
// the dev server, found through its discovery document: a real sign-in brings the access
// token and the ID token the server signed for this sign-in's nonce; an ID token whose
// nonce or at_hash is wrong (the server made so on purpose, through its idTokenFaults) is
// refused with invalid_response before any token is announced or used, on sign-in and on a
// silent renewal (prompt=none) alike.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inEveryBrowser, launchBrowsers } from './support/browsers.mjs';
import { startE2eServers } from './support/servers.mjs';

const T = { timeout: 30_000 };
const BASE64URL_128_BITS = /^[A-Za-z0-9_-]{22,}$/;

let servers;
before(async () => {
  launchBrowsers();
  servers = await startE2eServers();
});
after(() => servers?.close());

const fragmentOf = (url) => new URLSearchParams(new URL(url).hash.slice(1));
const claimsOf = (idToken) => JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8'));

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('id_token token against the dev server', () => {
      it('signs in through the login and consent pages: the token event carries the ID token signed for this nonce', T, async () => {
        const page = await browser.newPage();
        await page.goto('openid-real.html');
        const request = await page.startPendingSignIn();
        assert.equal(request.get('response_type'), 'id_token token');
        assert.equal(request.get('scope'), 'openid profile');
        const nonce = request.get('nonce');
        assert.match(nonce, BASE64URL_128_BITS, 'a fresh nonce goes with the request');
        await page.logInAtProvider('demo', 'demo');
        await page.decideAtProvider('allow');

        const fragment = fragmentOf(page.lastCallback());
        assert.ok(fragment.get('id_token'), 'the provider redirected back with an ID token');
        const { detail } = await page.waitForEvent('token');
        assert.equal(detail.accessToken, fragment.get('access_token'));
        assert.equal(detail.idToken, fragment.get('id_token'));
        assert.equal(detail.tokenType, 'Bearer');
        const claims = claimsOf(detail.idToken);
        assert.equal(claims.nonce, nonce);
        assert.equal(claims.aud, 'demo-app');
        assert.equal(claims.iss, servers.real.url);

        await page.waitForShadowText('#profile', 'Ada Demo');
        assert.deepEqual(await page.events('oauth-error'), []);
        assert.ok(!(await page.evaluate(() => location.href)).includes('#'), 'the fragment is gone from the address bar');
        assert.deepEqual(page.pageErrors, []);
      });
    });

    describe('an ID token that does not belong to this sign-in', () => {
      /** Signs in on openid-auto.html and returns what the page announced and what the provider sent. */
      async function signInWithAutoProvider() {
        const page = await browser.newPage();
        const seenBefore = servers.allSeenBearers().length;
        await page.goto('openid-auto.html');
        await page.clickSignIn();
        await page.settled();
        const fragment = fragmentOf(page.lastCallback());
        assert.ok(fragment.get('access_token') && fragment.get('id_token'), 'the provider answered with both tokens');
        return { page, fragment, seenSince: () => servers.allSeenBearers().slice(seenBefore) };
      }

      it('with nothing made wrong, the same page signs in', T, async () => {
        const { page, fragment } = await signInWithAutoProvider();
        const { detail } = await page.waitForEvent('token');
        assert.equal(detail.idToken, fragment.get('id_token'));
        await page.waitForShadowText('#profile', 'Ada Demo');
      });

      /** Signs in on openid-silent.html (the 4-second provider) and returns the page and the first token. */
      async function signedInForRenewal() {
        const page = await browser.newPage();
        await page.goto('openid-silent.html');
        await page.clickSignIn();
        await page.settled();
        const { detail } = await page.waitForEvent('token');
        return { page, first: detail };
      }
      const silentSince = (from) => servers.silent.silentRequests.slice(from).map(({ outcome }) => outcome);

      it('renews silently (prompt=none) with a new ID token for a new nonce', { timeout: 40_000 }, async () => {
        const from = servers.silent.silentRequests.length;
        const { page, first } = await signedInForRenewal();
        const second = await page.waitForEvent('token', { count: 2, timeout: 8000 });
        assert.notEqual(second.detail.accessToken, first.accessToken);
        assert.notEqual(claimsOf(second.detail.idToken).nonce, claimsOf(first.idToken).nonce, 'every request sends a fresh nonce');
        assert.deepEqual(silentSince(from), ['issued']);
        await page.waitForShadowText('#profile', 'Ada Demo');
        assert.deepEqual(await page.events('oauth-error'), []);
      });

      it(
        'refuses a silent renewal whose ID token has the wrong nonce: invalid_response, and the token runs out',
        { timeout: 40_000 },
        async () => {
          const { page, first } = await signedInForRenewal();
          const from = servers.silent.silentRequests.length;
          servers.silent.idTokenFaults.wrongNonce = true;
          try {
            const refusal = await page.waitForEvent('oauth-error', { source: 'login', timeout: 8000 });
            assert.equal(refusal.detail.error, 'invalid_response', JSON.stringify(refusal.detail));
            assert.match(refusal.detail.description, /nonce/);
            const signout = await page.waitForEvent('signout', { timeout: 8000 });
            assert.equal(signout.detail.reason, 'expired');
            assert.ok(Date.now() >= first.expiresAt - 100, 'it ended when the token expired, not before');
            assert.deepEqual(silentSince(from), ['issued'], 'the server did answer; the page refused what it sent');
            assert.equal((await page.events('token')).length, 1, 'no second token');
          } finally {
            servers.silent.idTokenFaults.wrongNonce = false;
          }
        },
      );

      for (const [fault, description] of [
        ['wrongNonce', /nonce/],
        ['wrongAtHash', /at_hash/],
      ]) {
        it(`refuses it (${fault}): oauth-error invalid_response, no token event, the access token never used`, T, async () => {
          servers.auto.idTokenFaults[fault] = true;
          try {
            const { page, fragment, seenSince } = await signInWithAutoProvider();
            const refusal = await page.waitForEvent('oauth-error');
            assert.equal(refusal.detail.error, 'invalid_response', JSON.stringify(refusal.detail));
            assert.match(refusal.detail.description, description);
            // One more task for a late token event or request to show.
            await page.settled();
            assert.deepEqual(await page.events('token'), []);
            assert.equal(await page.evaluate(() => document.getElementById('profile').getAttribute('status')), 'idle');
            const accessToken = fragment.get('access_token');
            assert.ok(!seenSince().some((seen) => seen.includes(accessToken)), 'the API never saw the access token');
            assert.ok(!(await page.evaluate(() => location.href)).includes('#'), 'the fragment is gone from the address bar');
            assert.deepEqual(page.pageErrors, []);
          } finally {
            servers.auto.idTokenFaults[fault] = false;
          }
        });
      }
    });
  },
);
