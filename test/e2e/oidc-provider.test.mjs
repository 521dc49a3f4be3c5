// Code + PKCE with OpenID discovery against oidc-provider, a certified OpenID Provider
// that this project did not write, started in this process on loopback: sign-in through
// its login and consent pages, ID token checks, RFC 9207 iss, userinfo as the API, a
// replayed callback, renewal with rotating refresh tokens, revocation and end session, and
// DPoP-bound tokens (RFC 9449) with its DPoP-only clients.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { reachableStrings } from '../helpers/reachable-strings.mjs';
import { inEveryBrowser, launchBrowsers } from './support/browsers.mjs';
import {
  ACCOUNT,
  CLIENT_ID,
  DPOP_CLIENT_ID,
  DPOP_NONCE_CLIENT_ID,
  RENEWING_CLIENT_ID,
  SHORT_TOKEN_SECONDS,
  startOidcServers,
} from './support/oidc-provider-server.mjs';

let servers;

before(async () => {
  launchBrowsers();
  servers = await startOidcServers();
});
after(() => servers?.close());

/** The claims of a JWT, unverified: the test only reads what the page was given. */
const jwtClaims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const jwtHeader = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString('utf8'));

/** What the DPoP pages' wire recorder saw: every request that carried a token or a proof. */
const wire = (page) => page.evaluate(() => window.e2e.wire);

/**
 * Runs in the page: what a script there can read besides the elements' properties: the URL,
 * cookies, both storages, the markup and the elements' shadow roots.
 */
function pageStrings() {
  const strings = [location.href, document.cookie, document.documentElement.outerHTML];
  for (const storage of [sessionStorage, localStorage]) {
    for (let index = 0; index < storage.length; index++) strings.push(storage.key(index), storage.getItem(storage.key(index)));
  }
  for (const element of document.querySelectorAll('oauth-login, oauth-fetch')) strings.push(element.shadowRoot?.innerHTML ?? '');
  return strings;
}

/** Clicks Sign in, logs in as the demo account on oidc-provider's login page, allows on its consent page. */
async function signInAtProvider(page) {
  const before = (await page.events('token')).length;
  await page.clickSignIn();
  assert.equal(new URL(page.url()).origin, servers.op.issuer, 'the browser is at the provider');
  await page.logInAtProvider(ACCOUNT.sub, ACCOUNT.password);
  await page.decideAtProvider('allow');
  return page.waitForEvent('token', { count: before + 1 });
}

/** Fails with what the provider logged when a test saw an unexpected `oauth-error`. */
async function assertNoErrors(page) {
  assert.deepEqual(await page.events('oauth-error'), [], `provider errors: ${JSON.stringify(servers.op.errors)}`);
}

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('authorization code with PKCE and discovery, against oidc-provider', () => {
      it('signs in with an S256 challenge and a nonce, checks iss, cleans the address bar, and userinfo accepts the token', async () => {
        const { op } = servers;
        const exchangesBefore = op.grants.length;
        const page = await browser.newPage();
        await page.goto('oidc.html');
        const token = await signInAtProvider(page);

        const authorization = new URL(page.requestsTo('/auth').at(0));
        assert.equal(authorization.origin, op.issuer);
        assert.equal(authorization.searchParams.get('response_type'), 'code');
        assert.equal(authorization.searchParams.get('client_id'), CLIENT_ID);
        assert.equal(authorization.searchParams.get('scope'), 'openid profile');
        assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
        assert.match(authorization.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
        const nonce = authorization.searchParams.get('nonce');
        assert.ok(nonce, 'openid scope sends a nonce');

        // The provider answered with code, state and iss (RFC 9207); the page kept none of them.
        const callback = new URL(page.redirects.map(({ to }) => to).find((to) => to?.includes('code=')));
        assert.equal(callback.searchParams.get('iss'), op.issuer);
        assert.equal(callback.searchParams.get('state'), authorization.searchParams.get('state'));
        assert.equal(page.url(), servers.pageUrl('oidc.html'));
        assert.equal(page.requestsTo('/.well-known/openid-configuration').length, 1);

        assert.equal(typeof token.detail.accessToken, 'string');
        assert.equal(token.detail.tokenType, 'Bearer');
        assert.ok(token.detail.expiresAt > Date.now() + 3000 * 1000, 'an hour-long token');
        const claims = jwtClaims(token.detail.idToken);
        assert.equal(claims.nonce, nonce);
        assert.equal(claims.aud, CLIENT_ID);
        assert.equal(claims.iss, op.issuer);
        assert.equal(claims.sub, ACCOUNT.sub);
        assert.deepEqual(op.grants.slice(exchangesBefore), ['authorization_code']);

        // oidc-provider's userinfo endpoint is the protected API: a CORS request with the bearer.
        await page.waitForShadowText('#profile', ACCOUNT.name);
        const response = await page.waitForEvent('response', { source: 'profile' });
        assert.equal(response.detail.url, `${op.issuer}/me`);
        assert.equal(op.requestsTo('/me', 'GET').at(-1).origin, servers.site.url);
        await assertNoErrors(page);
      });

      it('exchanges a code once: loading the callback URL again is invalid_state, with no second token request', async () => {
        const { op } = servers;
        const page = await browser.newPage();
        await page.goto('oidc.html');
        await signInAtProvider(page);
        const callback = page.redirects.map(({ to }) => to).find((to) => to?.includes('code='));
        assert.ok(callback, 'the provider redirected with a code');
        const tokenRequests = op.requestsTo('/token', 'POST').length;
        const grants = op.grants.length;

        await page.goto(callback);
        const error = await page.waitForEvent('oauth-error');
        assert.equal(error.detail.error, 'invalid_state');
        assert.equal(op.requestsTo('/token', 'POST').length, tokenRequests);
        assert.equal(op.grants.length, grants);
        assert.equal(page.url(), servers.pageUrl('oidc.html'));
      });

      // oidc-provider's discovery says authorization_response_iss_parameter_supported, so a
      // response for a pending sign-in without its iss, or with another, is a mix-up attempt.
      for (const [label, iss] of [
        ['without iss', null],
        ['with another iss', 'http://127.0.0.1:1'],
      ]) {
        it(`a response ${label} is invalid_response (RFC 9207), and its code is never exchanged`, async () => {
          const { op } = servers;
          const page = await browser.newPage();
          await page.goto('oidc.html');
          await page.clickSignIn();
          const state = new URL(page.requestsTo('/auth').at(0)).searchParams.get('state');
          const tokenRequests = op.requestsTo('/token', 'POST').length;

          const forged = new URLSearchParams({ code: 'forged-code', state });
          if (iss) forged.set('iss', iss);
          await page.goto(`oidc.html?${forged}`);
          const error = await page.waitForEvent('oauth-error');
          assert.equal(error.detail.error, 'invalid_response');
          assert.match(error.detail.description, /RFC 9207/);
          assert.equal(op.requestsTo('/token', 'POST').length, tokenRequests);
          assert.equal(page.url(), servers.pageUrl('oidc.html'));
        });
      }

      it('an ID token whose nonce is not the one this sign-in sent is invalid_response, and no token is announced', async () => {
        const { op } = servers;
        const page = await browser.newPage();
        await page.goto('oidc.html');
        // On the way back, before the bundle runs, the page's pending sign-in is made to expect
        // another nonce: the real ID token then carries a nonce this sign-in did not send, as an
        // ID token replayed from another sign-in would.
        await page.page.evaluateOnNewDocument(() => {
          if (!location.search.includes('code=')) return;
          for (const key of Object.keys(sessionStorage).filter((name) => name.startsWith('oauth-elements:pending:'))) {
            sessionStorage.setItem(key, JSON.stringify({ ...JSON.parse(sessionStorage.getItem(key)), nonce: 'another-sign-in' }));
          }
        });
        await page.clickSignIn();
        await page.logInAtProvider(ACCOUNT.sub, ACCOUNT.password);
        await page.decideAtProvider('allow');
        const error = await page.waitForEvent('oauth-error');
        assert.equal(error.detail.error, 'invalid_response');
        assert.match(error.detail.description, /nonce/);
        assert.deepEqual(await page.events('token'), []);
        assert.equal(page.url(), servers.pageUrl('oidc.html'));
        assert.ok(op.grants.includes('authorization_code'), 'the code was exchanged, and the ID token it brought refused');
      });

      it('renews before expiry with the refresh token, and uses the rotated one for the next renewal', async () => {
        const { op } = servers;
        const exchangesBefore = op.grants.length;
        const page = await browser.newPage();
        await page.goto('oidc-renewing.html');
        const first = await signInAtProvider(page);
        const lifetime = first.detail.expiresAt - Date.now();
        assert.ok(lifetime > 0 && lifetime <= SHORT_TOKEN_SECONDS * 1000, `a ${SHORT_TOKEN_SECONDS}-second token, got ${lifetime} ms`);

        const second = await page.waitForEvent('token', { count: 2, timeout: SHORT_TOKEN_SECONDS * 1000 });
        assert.notEqual(second.detail.accessToken, first.detail.accessToken);
        assert.deepEqual(op.grants.slice(exchangesBefore), ['authorization_code', 'refresh_token']);
        assert.ok(second.detail.expiresAt > first.detail.expiresAt);
        // oidc-provider rotates a public client's refresh token on every use, and refuses a
        // used one: a third token proves the rotated refresh token was kept.
        const third = await page.waitForEvent('token', { count: 3, timeout: SHORT_TOKEN_SECONDS * 1000 });
        assert.notEqual(third.detail.accessToken, second.detail.accessToken);
        assert.deepEqual(op.grants.slice(exchangesBefore), ['authorization_code', 'refresh_token', 'refresh_token']);
        assert.equal(jwtClaims(third.detail.idToken).aud, RENEWING_CLIENT_ID);

        // The refresh token outlives the access token: no script of the page can reach it.
        assert.equal(op.refreshTokens.length >= 3, true, 'oidc-provider issued a refresh token with each grant');
        const elements = await page.page.$$('oauth-login, oauth-fetch');
        const reachable = [...(await page.evaluate(reachableStrings, ...elements)), ...(await page.evaluate(pageStrings))];
        const leaked = op.refreshTokens.filter((refreshToken) => reachable.some((text) => text.includes(refreshToken)));
        assert.equal(leaked.length, 0, 'a refresh token is reachable from the page (property, storage, DOM or URL)');

        assert.deepEqual(await page.events('signout'), [], 'never expired');
        await page.waitForShadowText('#profile', ACCOUNT.name);
        await assertNoErrors(page);
      });

      it('sign-out revokes the token at the discovered revocation_endpoint: userinfo refuses it afterwards', async () => {
        const { op } = servers;
        const page = await browser.newPage();
        await page.goto('oidc.html');
        const { detail } = await signInAtProvider(page);
        await page.waitForShadowText('#profile', ACCOUNT.name);
        const userinfo = () => fetch(`${op.issuer}/me`, { headers: { Authorization: `Bearer ${detail.accessToken}` } });
        assert.equal((await userinfo()).status, 200);

        await page.page.click('#login >>> button');
        await page.waitForEvent('signout');
        const deadline = Date.now() + 5000;
        let status;
        do {
          status = (await userinfo()).status;
        } while (status === 200 && Date.now() < deadline);
        assert.equal(status, 401);
        const revocation = op.requestsTo('/token/revocation', 'POST').at(-1);
        assert.equal(revocation?.origin, servers.site.url, 'revoked by the page, through CORS');
        await assertNoErrors(page);
      });

      it('signOut({ endSession: true }) ends the session at the provider: the next sign-in asks to log in again', async () => {
        const page = await browser.newPage();
        await page.goto('oidc.html');
        const { detail } = await signInAtProvider(page);
        await Promise.all([
          page.page.waitForNavigation(),
          page.evaluate(() => document.getElementById('login').signOut({ endSession: true })),
        ]);
        const endSession = new URL(page.url());
        assert.equal(endSession.pathname, '/session/end');
        assert.equal(endSession.searchParams.get('id_token_hint'), detail.idToken);
        assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), servers.pageUrl('oidc.html'));
        await Promise.all([page.page.waitForNavigation(), page.page.click('button[name=logout][value=yes]')]);
        await page.settled();
        assert.equal(page.url(), servers.pageUrl('oidc.html'));

        await page.clickSignIn();
        assert.ok(await page.page.$('input[name=password]'), `the provider asks for the password again, at ${page.url()}`);
      });
    });

    describe('DPoP (RFC 9449) against oidc-provider', () => {
      it('signs in with dpop: a DPoP token, proofs on the token endpoint and userinfo, and <oauth-fetch for> shows userinfo', async () => {
        const { op } = servers;
        const page = await browser.newPage();
        await page.goto('oidc-dpop.html');
        const token = await signInAtProvider(page);
        assert.equal(token.detail.tokenType, 'DPoP');
        assert.equal(jwtClaims(token.detail.idToken).aud, DPOP_CLIENT_ID);
        await page.waitForShadowText('#profile', ACCOUNT.name);

        const requests = await wire(page);
        const exchange = requests.find(({ url }) => url === `${op.issuer}/token`);
        const userinfo = requests.find(({ url }) => url === `${op.issuer}/me`);
        assert.equal(userinfo.authorization, `DPoP ${token.detail.accessToken}`);
        assert.deepEqual(jwtHeader(exchange.dpop).jwk, jwtHeader(userinfo.dpop).jwk, 'one key for both');
        assert.equal(jwtHeader(userinfo.dpop).typ, 'dpop+jwt');
        assert.equal(jwtClaims(userinfo.dpop).htu, `${op.issuer}/me`);
        assert.equal(jwtClaims(exchange.dpop).htm, 'POST');
        await assertNoErrors(page);
      });

      it("userinfo refuses the token as a bearer and a replayed proof, and login.fetch reports the provider's refusal", async () => {
        const { op } = servers;
        const page = await browser.newPage();
        await page.goto('oidc-dpop.html');
        const { detail } = await signInAtProvider(page);
        await page.waitForShadowText('#profile', ACCOUNT.name);
        const used = (await wire(page)).find(({ url }) => url === `${op.issuer}/me`);
        const userinfo = (headers) => fetch(`${op.issuer}/me`, { headers });
        assert.equal((await userinfo({ Authorization: `Bearer ${detail.accessToken}` })).status, 401, 'as a bearer');
        assert.equal((await userinfo({ Authorization: used.authorization, DPoP: used.dpop })).status, 401, 'a replayed proof');

        // The page's own call gets the used proof swapped in on its way out.
        const outcome = await page.evaluate(
          async (me, proof) => {
            document.getElementById('profile').remove();
            window.e2e.intercept = (request) =>
              request.url === me
                ? new Request(request, { headers: { Authorization: request.headers.get('Authorization'), DPoP: proof } })
                : undefined;
            return document
              .getElementById('login')
              .fetch(me)
              .then(
                (response) => ({ status: response.status }),
                (error) => error.detail,
              );
          },
          `${op.issuer}/me`,
          used.dpop,
        );
        assert.equal(outcome.error, 'invalid_token', JSON.stringify(outcome));
        assert.equal(outcome.status, 401);
      });

      it('retries once with the nonce the provider demands: two token requests for one exchange', async () => {
        const { op } = servers;
        const page = await browser.newPage();
        await page.goto('oidc-dpop-nonce.html');
        const tokenRequests = op.requestsTo('/token', 'POST').length;
        const token = await signInAtProvider(page);
        assert.equal(token.detail.tokenType, 'DPoP');
        assert.equal(jwtClaims(token.detail.idToken).aud, DPOP_NONCE_CLIENT_ID);
        assert.equal(op.requestsTo('/token', 'POST').length - tokenRequests, 2);
        const exchanges = (await wire(page)).filter(({ url }) => url === `${op.issuer}/token`);
        assert.deepEqual(
          exchanges.map(({ dpop }) => typeof jwtClaims(dpop).nonce),
          ['undefined', 'string'],
        );
        await page.waitForShadowText('#profile', ACCOUNT.name);
        await assertNoErrors(page);
      });
    });
  },
);
