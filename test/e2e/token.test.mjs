// What happens to the token once the page has it: where it is kept, when it ends, and
// where the bearer may go.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inEveryBrowser, launchBrowsers } from './support/browsers.mjs';
import { HOSTILE_JSON } from './support/recording-server.mjs';
import { startE2eServers } from './support/servers.mjs';

const T = { timeout: 30_000 };
const PREFIX = 'oauth-elements:';

let servers;
before(async () => {
  launchBrowsers();
  servers = await startE2eServers();
});
after(() => servers?.close());

/** Every place a page can keep a string, searched for `token`; plus what is left under our key prefix. */
function searchThePage(page, token) {
  return page.evaluate(
    async (needle, prefix) => {
      const entries = (storage) => Array.from({ length: storage.length }, (_, i) => [storage.key(i), storage.getItem(storage.key(i))]);
      // The light DOM and every open shadow root, attributes included.
      const markup = (root) =>
        [...root.querySelectorAll('*')]
          .map((element) => (element.shadowRoot ? element.shadowRoot.innerHTML + markup(element.shadowRoot) : ''))
          .join('');
      const databases = indexedDB.databases ? (await indexedDB.databases()).map(({ name }) => name) : [];
      const cacheNames = globalThis.caches ? await caches.keys() : [];
      return {
        localStorage: entries(localStorage).some(([key, value]) => `${key}=${value}`.includes(needle)),
        sessionStorage: entries(sessionStorage).some(([key, value]) => `${key}=${value}`.includes(needle)),
        cookie: document.cookie.includes(needle),
        dom: (document.documentElement.outerHTML + markup(document)).includes(needle),
        url: location.href.includes(needle),
        databases,
        cacheNames,
        ourKeys: [...entries(localStorage), ...entries(sessionStorage)].map(([key]) => key).filter((key) => key.startsWith(prefix)),
      };
    },
    token,
    PREFIX,
  );
}

const NOWHERE = {
  localStorage: false,
  sessionStorage: false,
  cookie: false,
  dom: false,
  url: false,
  databases: [],
  cacheNames: [],
  ourKeys: [],
};

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('token storage', () => {
      it('with the default memory storage, writes the token nowhere: no storage, cookie, IndexedDB, DOM, URL or console', T, async () => {
        const page = await browser.newPage();
        await page.goto('auto.html');
        const { detail } = await page.signIn();
        await page.waitForShadowText('#profile', 'Ada Demo');
        assert.deepEqual(await searchThePage(page, detail.accessToken), NOWHERE);
        assert.deepEqual(
          page.console.filter((line) => line.includes(detail.accessToken)),
          [],
        );
        // Only the provider's own redirect carried it in a URL; no request the page made did.
        const callback = page.lastCallback();
        assert.deepEqual(
          page.requests.filter((url) => url.includes(detail.accessToken) && url !== callback),
          [],
        );
      });

      for (const [storage, page] of [
        ['session', 'session.html'],
        ['local', 'local.html'],
      ]) {
        it(`with storage="${storage}", restores the token on reload with a token event, and sign-out leaves no key behind`, T, async () => {
          const tab = await browser.newPage();
          await tab.goto(page);
          const { detail } = await tab.signIn();
          await tab.waitForShadowText('#profile', 'Ada Demo');

          await tab.reload();
          const restored = await tab.waitForEvent('token');
          assert.equal(restored.detail.accessToken, detail.accessToken);
          assert.equal(restored.detail.expiresAt, detail.expiresAt);
          await tab.waitForShadowText('#profile', 'Ada Demo');
          const other = storage === 'session' ? 'localStorage' : 'sessionStorage';
          assert.equal((await searchThePage(tab, detail.accessToken))[other], false, `nothing in ${other}`);

          await tab.page.click('#login >>> button[part="button"]');
          const signout = await tab.waitForEvent('signout');
          assert.equal(signout.detail.reason, 'user');
          await tab.waitForAttribute('#profile', 'status', 'idle');
          assert.deepEqual(await searchThePage(tab, detail.accessToken), NOWHERE);
          await tab.reload();
          assert.deepEqual(await tab.events(), [], 'signed out for good: nothing to restore');
        });
      }
    });

    describe('token expiry', () => {
      it('ends a 2-second token with signout "expired", returns <oauth-fetch> to idle and stops using the token', T, async () => {
        // This provider remembers no sign-in, so the one silent renewal meets login_required.
        const silentFrom = servers.short.silentRequests.length;
        const page = await browser.newPage();
        await page.goto('expiry.html');
        const { detail } = await page.signIn();
        assert.ok(detail.expiresAt - Date.now() <= 2000, 'the server gave a 2-second lifetime');

        const signout = await page.waitForEvent('signout', { timeout: 6000 });
        assert.equal(signout.detail.reason, 'expired');
        assert.deepEqual(
          (await page.events()).filter(({ type }) => type !== 'response').map(({ type, detail: { error } }) => error ?? type),
          ['token', 'signout'],
          'announced first, then ended: the silent renewal refused (login_required) quietly',
        );
        assert.deepEqual(
          servers.short.silentRequests.slice(silentFrom).map(({ outcome }) => outcome),
          ['login_required'],
        );
        await page.waitForAttribute('#profile', 'status', 'idle');
        assert.ok(!(await page.shadowText('#profile')).includes('Ada Demo'), 'what it showed is cleared');
        assert.equal(await page.evaluate(() => document.getElementById('login').token), null);

        // Ask <oauth-fetch> to load again, both ways: it has no token, so no request goes out.
        const used = servers.short.seenBearers.length;
        const requests = page.requests.length;
        await page.evaluate(() => {
          const fetcher = document.getElementById('profile');
          fetcher.reload();
          fetcher.setAttribute('src', `${fetcher.getAttribute('src')}?again`);
        });
        await page.settled();
        await page.waitForAttribute('#profile', 'status', 'idle');
        assert.equal(servers.short.seenBearers.length, used, 'the API saw no request with the expired token');
        assert.deepEqual(
          page.requests.slice(requests).filter((url) => url.startsWith(servers.short.url)),
          [],
        );
      });
    });

    describe('where the bearer may go', () => {
      /** Adds an <oauth-fetch for="login"> with `src` and waits for its first response or oauth-error. */
      async function addFetch(page, id, src) {
        await page.evaluate(
          (fetchId, url) => {
            const fetcher = document.createElement('oauth-fetch');
            fetcher.id = fetchId;
            fetcher.setAttribute('for', 'login');
            fetcher.setAttribute('src', url);
            document.body.append(fetcher);
          },
          id,
          src,
        );
        await page.page.waitForFunction(
          (fetchId) => window.e2e.events.some(({ type, source }) => source === fetchId && (type === 'response' || type === 'oauth-error')),
          { polling: 50 },
          id,
        );
        return (await page.events()).filter(({ source }) => source === id);
      }

      it('refuses an http:// src on a host that is not loopback (invalid_config), before any request', T, async () => {
        const page = await browser.newPage();
        await page.goto('auto.html');
        await page.signIn();
        const insecure = ['http://example.test/api', 'http://192.168.1.10/api', 'http://localhost.example.test/api'];
        for (const [index, src] of insecure.entries()) {
          const [outcome] = await addFetch(page, `insecure-${index}`, src);
          assert.equal(outcome.type, 'oauth-error', src);
          assert.equal(outcome.detail.error, 'invalid_config', src);
        }
        assert.deepEqual(
          page.requests.filter((url) => insecure.some((src) => url.startsWith(new URL(src).origin))),
          [],
          'no request left the page',
        );
      });

      it('does not follow a redirect to another origin with the bearer', T, async () => {
        const page = await browser.newPage();
        await page.goto('auto.html');
        const { detail } = await page.signIn();
        const recordedBefore = servers.otherOrigin.requests.length;
        const [outcome] = await addFetch(
          page,
          'redirected',
          `${servers.auto.url}/api/redirect?to=${encodeURIComponent(`${servers.otherOrigin.url}/record`)}`,
        );
        assert.equal(outcome.type, 'oauth-error', 'the redirect is an error, not data');
        await page.settled();
        const reached = servers.otherOrigin.requests.slice(recordedBefore);
        assert.deepEqual(
          reached.filter(({ authorization }) => authorization !== undefined),
          [],
          'the bearer never reached the other origin',
        );
        // Checked on the server: Chromium reports the target of a redirect that fetch did not follow as a request too.
        assert.deepEqual(reached, [], 'the redirect was not followed at all');
        assert.ok(servers.auto.seenBearers.includes(`Bearer ${detail.accessToken}`));
      });

      it('shows hostile JSON from the resource server as text, and nothing in it runs', T, async () => {
        const page = await browser.newPage();
        await page.goto('auto.html');
        const { detail } = await page.signIn();
        const [outcome] = await addFetch(page, 'hostile', `${servers.hostileApi.url}/me`);
        assert.equal(outcome.type, 'response', JSON.stringify(outcome.detail));
        assert.ok(servers.hostileApi.requests.some(({ authorization }) => authorization === `Bearer ${detail.accessToken}`));

        // Open every level, so the deeper (lazily built) values are rendered too.
        await page.page.waitForFunction(
          () => {
            const closed = [...document.getElementById('hostile').shadowRoot.querySelectorAll('details:not([open])')];
            for (const details of closed) details.open = true;
            return closed.length === 0;
          },
          { polling: 50 },
        );
        await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
        const text = await page.shadowText('#hostile');
        for (const value of [
          HOSTILE_JSON.name,
          Object.keys(HOSTILE_JSON)[1],
          HOSTILE_JSON['<b id=hostile-key>key</b>'],
          HOSTILE_JSON.bio,
          HOSTILE_JSON.nested.deeper,
          HOSTILE_JSON.list[0],
        ]) {
          assert.ok(text.includes(value), `shown as text: ${value}`);
        }
        const injected = await page.evaluate(() => ({
          elements: [...document.getElementById('hostile').shadowRoot.querySelectorAll('img, script, svg, iframe, b, #hostile-key')].map(
            (element) => element.localName,
          ),
          pwned: typeof window.__pwned,
        }));
        assert.deepEqual(injected, { elements: [], pwned: 'undefined' });
      });
    });
  },
);
