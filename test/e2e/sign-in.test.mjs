// The sign-in round trip in real browsers against the real authorization server: the
// request the page sends, the callback it gets back, and every callback it must refuse.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { inEveryBrowser, launchBrowsers } from './support/browsers.mjs';
import { startE2eServers } from './support/servers.mjs';
import { callbackUrl } from './support/page-driver.mjs';

const T = { timeout: 30_000 };
const BASE64URL_128_BITS = /^[A-Za-z0-9_-]{22,}$/;

let servers;
before(async () => {
  launchBrowsers();
  servers = await startE2eServers();
});
after(() => servers?.close());

/** A token with valid bearer syntax that no server issued: it must never reach an API. */
const forgedToken = () => randomBytes(32).toString('base64url');
const fragmentOf = (url) => new URLSearchParams(new URL(url).hash.slice(1));

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('the sign-in request', () => {
      it('asks for response_type=token with client_id, the exact redirect_uri, scope and a fresh 128-bit state', T, async () => {
        const page = await browser.newPage();
        await page.goto('signin.html');
        const first = await page.startPendingSignIn();
        assert.equal(first.get('response_type'), 'token');
        assert.equal(first.get('client_id'), 'demo-app');
        assert.equal(first.get('redirect_uri'), servers.pageUrl('signin.html'));
        assert.equal(first.get('scope'), 'profile read');
        assert.match(first.get('state'), BASE64URL_128_BITS);
        // The page itself sent exactly this request (not, say, a prefetch of another one).
        assert.ok(page.requests.includes(page.url()), 'the authorization request is the one the page made');

        await page.goto('signin.html');
        const second = await page.startPendingSignIn();
        assert.match(second.get('state'), BASE64URL_128_BITS);
        assert.notEqual(second.get('state'), first.get('state'), 'every sign-in gets a new state');
      });

      it('announces the token the server issued in a token event, and the API sees exactly that bearer', T, async () => {
        const page = await browser.newPage();
        const seenBefore = servers.real.seenBearers.length;
        await page.goto('signin.html');
        await page.startPendingSignIn();
        await page.logInAtProvider('demo', 'demo');
        const startedAt = Date.now();
        await page.decideAtProvider('allow');

        const issued = fragmentOf(page.lastCallback()).get('access_token');
        assert.ok(issued, 'the provider redirected back with a token');
        const { detail, source } = await page.waitForEvent('token');
        assert.equal(source, 'login');
        assert.equal(detail.accessToken, issued);
        assert.equal(detail.tokenType, 'Bearer');
        assert.equal(detail.scope, 'profile read');
        assert.ok(Math.abs(detail.expiresAt - (startedAt + 3600_000)) < 60_000, `expiresAt ${detail.expiresAt} is about an hour from now`);

        await page.waitForShadowText('#profile', 'Ada Demo');
        assert.equal(await page.evaluate(() => document.getElementById('profile').getAttribute('status')), 'loaded');
        assert.deepEqual(servers.real.seenBearers.slice(seenBefore), [`Bearer ${issued}`]);
        assert.deepEqual(page.pageErrors, []);
      });
    });

    describe('what the page loads', () => {
      it('loads the bundle alone until a sign-in is near, and the parts that request and show data with the first data', T, async () => {
        const page = await browser.newPage();
        const scripts = () => page.requests.map((url) => new URL(url).pathname).filter((path) => path.startsWith('/dist/'));
        const loaded = (part) => scripts().some((path) => path.startsWith(`/dist/chunks/${part}-`));
        await page.goto('signin.html');
        assert.deepEqual(scripts(), ['/dist/oauth-elements.js'], 'a signed-out page');

        // Keyboard focus (or a pointer) on the button fetches what the sign-in needs, before the click.
        await page.evaluate(() => document.getElementById('login').shadowRoot.querySelector('button').focus());
        await page.page.waitForFunction(() =>
          performance.getEntriesByType('resource').some((entry) => /\/chunks\/authorization-request-/.test(entry.name)),
        );
        assert.ok(!loaded('resource-request') && !loaded('json-tree'), `no data part before any data: ${scripts().join(', ')}`);

        await page.startPendingSignIn();
        await page.logInAtProvider('demo', 'demo');
        await page.decideAtProvider('allow');
        await page.waitForShadowText('#profile', 'Ada Demo');
        assert.ok(loaded('resource-request') && loaded('json-tree'), `the data parts with the data: ${scripts().join(', ')}`);
        assert.deepEqual(page.pageErrors, []);
      });

      it('loads nothing to sign out when the login has neither revocation-url nor issuer', T, async () => {
        const page = await browser.newPage();
        await page.goto('session.html');
        await page.signIn();
        // Signed in again from sessionStorage: the sign-in's part was never needed on this page.
        const sinceReload = page.requests.length;
        await page.reload();
        await page.waitForShadowText('#profile', 'Ada Demo');
        await page.evaluate(() => document.getElementById('login').signOut());
        await page.waitForEvent('signout');
        await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
        const chunks = page.requests
          .slice(sinceReload)
          .map((url) => new URL(url).pathname)
          .filter((path) => path.startsWith('/dist/chunks/'));
        assert.ok(
          !chunks.some((path) => /\/(authorization-request|provider-client)-/.test(path)),
          `chunks since the reload: ${chunks.join(', ')}`,
        );
        assert.deepEqual(page.pageErrors, []);
      });
    });

    describe('the address bar and history after the callback', () => {
      it('removes the fragment (no bare #) without adding a history entry', T, async () => {
        const page = await browser.newPage();
        await page.goto('auto.html');
        const { detail } = await page.signIn();
        const landed = await page.evaluate(() => ({
          href: location.href,
          hash: location.hash,
          historyLength: history.length,
          early: window.e2eEarly,
        }));
        assert.equal(landed.early.arrivedWithFragment, true, 'the callback did arrive with its fragment');
        assert.equal(landed.href, servers.pageUrl('auto.html'));
        assert.equal(landed.hash, '');
        assert.ok(!landed.href.includes('#'), 'no bare # is left');
        assert.ok(!page.url().includes(detail.accessToken), 'the address bar does not show the token');
        // Measured by a classic script before the bundle ran: the cleanup replaced the entry.
        assert.equal(landed.historyLength, landed.early.historyLength, 'history.length did not grow');
      });

      it('does not bring the token back on Back or Forward', T, async () => {
        const page = await browser.newPage();
        await page.goto('auto.html');
        const { detail } = await page.signIn();
        await page.evaluate(() => {
          window.__callbackDocument = true;
        });

        await page.goBack();
        assert.equal(page.url(), servers.pageUrl('auto.html'));
        assert.ok(!(await page.evaluate(() => location.href)).includes('access_token'));
        assert.deepEqual(await page.events(), [], 'the page before the sign-in saw no token');

        await page.goForward();
        const revisited = await page.evaluate(() => ({ href: location.href, sameDocument: window.__callbackDocument === true }));
        assert.ok(
          !revisited.href.includes('access_token') && !revisited.href.includes(detail.accessToken),
          `Forward shows ${revisited.href}`,
        );
        const types = (await page.events()).map(({ type }) => type);
        if (revisited.sameDocument) {
          // Restored from the back/forward cache: the same live page, with no new event.
          assert.deepEqual(
            types.filter((type) => type !== 'response'),
            ['token'],
          );
        } else {
          assert.deepEqual(types, [], 'a reloaded callback entry carries no token and no error');
        }
      });
    });

    describe('a denied sign-in', () => {
      it("reports the provider's access_denied as oauth-error and shows its description", T, async () => {
        const page = await browser.newPage();
        await page.goto('signin.html');
        await page.startPendingSignIn();
        await page.logInAtProvider('demo', 'demo');
        await page.decideAtProvider('deny');

        assert.equal(fragmentOf(page.lastCallback()).get('error'), 'access_denied', 'the provider did answer access_denied');
        const { detail } = await page.waitForEvent('oauth-error');
        assert.equal(detail.error, 'access_denied');
        assert.equal(detail.description, 'The user denied the request.');
        assert.equal(await page.page.$eval('#login >>> [part=error]', (el) => el.textContent.trim()), 'The user denied the request.');
        assert.deepEqual(await page.events('token'), []);
        assert.ok(!page.url().includes('#'));
      });

      it('shows a hostile error_description as text, and nothing in it runs', T, async () => {
        const page = await browser.newPage();
        await page.goto('signin.html');
        const pending = await page.startPendingSignIn();
        const description = '<img src=x onerror=window.__pwned=1>';
        await page.goto(
          callbackUrl(servers.pageUrl('signin.html'), {
            error: 'access_denied',
            error_description: description,
            state: pending.get('state'),
          }),
        );

        const { detail } = await page.waitForEvent('oauth-error');
        assert.equal(detail.error, 'access_denied');
        assert.equal(detail.description, description);
        assert.equal(await page.page.$eval('#login >>> [part=error]', (el) => el.textContent.trim()), description);
        // Give an injected image the time to fail loading and run its handler.
        await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
        const found = await page.evaluate(() => ({
          pwned: typeof window.__pwned,
          images: document.querySelectorAll('img').length + document.getElementById('login').shadowRoot.querySelectorAll('img').length,
        }));
        assert.deepEqual(found, { pwned: 'undefined', images: 0 });
      });
    });

    describe('hostile callbacks', () => {
      /**
       * Opens `url` as a new document and checks the element's answer: the oauth-error
       * `error`, no token event, the fragment gone, and `token` never shown to an API.
       */
      async function expectRefused(page, url, { error, token }) {
        const seenBefore = servers.allSeenBearers().length;
        await page.goto(url, { timeout: 30_000 });
        const refusal = await page.waitForEvent('oauth-error');
        assert.equal(refusal.detail.error, error, `oauth-error ${JSON.stringify(refusal.detail)}`);
        assert.deepEqual(await page.events('token'), [], 'no token event');
        const href = await page.evaluate(() => location.href);
        assert.ok(!href.includes('#'), `the fragment is removed from the address bar (${href.slice(0, 200)})`);
        assert.equal(await page.evaluate(() => document.getElementById('profile').getAttribute('status')), 'idle');
        if (token)
          assert.ok(
            !servers
              .allSeenBearers()
              .slice(seenBefore)
              .some((seen) => seen.includes(token)),
            'the API never saw the forged token',
          );
        assert.deepEqual(page.pageErrors, []);
        return refusal;
      }

      /** Leaves `signin.html` for the provider, so a request is pending, and returns its state. */
      async function pendingState(page) {
        if (!page.url().endsWith('/signin.html')) await page.goto('signin.html');
        return (await page.startPendingSignIn()).get('state');
      }

      const responseFor = (state, extra = {}) => ({
        access_token: forgedToken(),
        token_type: 'Bearer',
        expires_in: '3600',
        state,
        ...extra,
      });

      it('refuses a forged callback when no sign-in is pending (invalid_state)', T, async () => {
        const page = await browser.newPage();
        const response = responseFor('made-up-state-made-up-state');
        await expectRefused(page, callbackUrl(servers.pageUrl('signin.html'), response), {
          error: 'invalid_state',
          token: response.access_token,
        });
      });

      it('refuses a state that differs from the pending one (invalid_state)', T, async () => {
        const page = await browser.newPage();
        const state = await pendingState(page);
        const response = responseFor(`${state.slice(0, -2)}xx`);
        await expectRefused(page, callbackUrl(servers.pageUrl('signin.html'), response), {
          error: 'invalid_state',
          token: response.access_token,
        });
      });

      it('refuses a replayed callback: reload, Back, the same URL again, the same URL in a new tab', T, async () => {
        const page = await browser.newPage();
        await page.goto('auto.html');
        const { detail } = await page.signIn();
        const callback = page.lastCallback();
        assert.equal(fragmentOf(callback).get('access_token'), detail.accessToken);
        await page.waitForShadowText('#profile', 'Ada Demo');
        const uses = () => servers.auto.seenBearers.filter((seen) => seen === `Bearer ${detail.accessToken}`).length;
        assert.equal(uses(), 1);

        await page.reload();
        assert.deepEqual(await page.events(), [], 'a reload neither restores (memory storage) nor complains');

        await page.goto('router.html');
        await expectRefused(page, callback, { error: 'invalid_state' });
        const otherTab = await browser.newPage(page.page.browserContext());
        await expectRefused(otherTab, callback, { error: 'invalid_state' });

        // Back past the router page to the original callback entry (last: puppeteer cannot
        // navigate a Firefox page again after a back/forward-cache restore).
        await page.historyGo(-2);
        assert.equal(page.url(), servers.pageUrl('auto.html'));
        assert.ok(!(await page.evaluate(() => location.href)).includes('access_token'));
        assert.deepEqual(await page.events(), [], 'Back to the callback entry brings nothing back');
        assert.equal(uses(), 1, 'the replays never used the token');
      });

      for (const [name, duplicated] of [
        ['access_token', (state) => `access_token=${forgedToken()}&access_token=${forgedToken()}&token_type=Bearer&state=${state}`],
        ['state', (state) => `access_token=${forgedToken()}&token_type=Bearer&state=${state}&state=${state}`],
      ]) {
        it(`refuses a duplicated ${name} parameter (invalid_response)`, T, async () => {
          const page = await browser.newPage();
          const fragment = duplicated(await pendingState(page));
          const tokens = new URLSearchParams(fragment).getAll('access_token');
          await expectRefused(page, `${servers.pageUrl('signin.html')}#${fragment}`, { error: 'invalid_response', token: tokens[0] });
          assert.ok(!servers.allSeenBearers().some((seen) => tokens.some((token) => seen.includes(token))));
        });
      }

      it('refuses token_type=mac (invalid_response)', T, async () => {
        const page = await browser.newPage();
        const response = responseFor(await pendingState(page), { token_type: 'mac' });
        await expectRefused(page, callbackUrl(servers.pageUrl('signin.html'), response), {
          error: 'invalid_response',
          token: response.access_token,
        });
      });

      it('refuses a malformed expires_in (invalid_response)', T, async () => {
        const page = await browser.newPage();
        for (const expiresIn of ['soon', '-60', '1e3']) {
          const response = responseFor(await pendingState(page), { expires_in: expiresIn });
          await expectRefused(page, callbackUrl(servers.pageUrl('signin.html'), response), {
            error: 'invalid_response',
            token: response.access_token,
          });
        }
      });

      it('refuses malformed percent-encoding without throwing (invalid_response)', T, async () => {
        const page = await browser.newPage();
        const token = forgedToken();
        for (const broken of [`${token}%ZZ`, `%E0%A4%A${token}`]) {
          const fragment = `access_token=${broken}&token_type=Bearer&state=${await pendingState(page)}`;
          await expectRefused(page, `${servers.pageUrl('signin.html')}#${fragment}`, { error: 'invalid_response', token });
        }
      });

      it('refuses a 1 MB fragment (invalid_response), or the longest URL the browser accepts', { timeout: 60_000 }, async () => {
        const page = await browser.newPage();
        const state = await pendingState(page);
        const forged = forgedToken();
        const head = `${servers.pageUrl('signin.html')}#access_token=${forged}`;
        const tail = `&token_type=Bearer&state=${state}`;
        const urlOfLength = (length) => head + 'A'.repeat(length - head.length - tail.length) + tail;
        const MB = 1024 * 1024;
        let length = MB;
        if (browser.browserName === 'firefox') {
          // Firefox refuses URLs of 1 MB and more (network.standard-url.max-length): say so,
          // then use the longest one it accepts.
          await assert.rejects(page.page.goto(urlOfLength(MB)), /valid URL|MALFORMED_URI/, 'Firefox refuses a 1 MB URL');
          length = await page.evaluate(() => {
            let [accepted, refused] = [1, 4 * 1024 * 1024];
            while (refused - accepted > 1) {
              const middle = Math.floor((accepted + refused) / 2);
              try {
                new URL(`${location.origin}/#${'A'.repeat(middle - location.origin.length - 2)}`);
                accepted = middle;
              } catch {
                refused = middle;
              }
            }
            return accepted;
          });
          assert.ok(length > MB - 16, `Firefox's longest URL is ${length} characters`);
        }
        await expectRefused(page, urlOfLength(length), { error: 'invalid_response', token: forged });
      });
    });

    describe('fragments that are not authorization responses', () => {
      for (const fragment of ['#/settings', '#section']) {
        it(`leaves ${fragment} to the page, with no oauth-error`, T, async () => {
          const page = await browser.newPage();
          await page.goto(`router.html${fragment}`);
          const seen = await page.evaluate(() => ({
            hash: location.hash,
            route: document.getElementById('route').textContent,
            historyGrew: history.length !== window.e2eEarly.historyLength,
            loginStarted: document.getElementById('login').getAttribute('status'),
          }));
          assert.deepEqual(seen, {
            hash: fragment,
            route: fragment.startsWith('#/') ? fragment.slice(1) : '/',
            historyGrew: false,
            loginStarted: 'signed-out',
          });
          assert.deepEqual(await page.events(), [], 'no oauth-error (and nothing else)');
          assert.deepEqual(page.pageErrors, []);
        });
      }
    });
  },
);
