// Popup sign-in end to end, the hostile cases: who may hand the opener a response (only
// its own popup, at its own origin, with its state, once), a popup the browser blocks,
// and a popup the user closes. Real browsers, the real bundle, the project's provider.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, FIREFOX_PATH } from '../../scripts/browsers.mjs';
import { inEveryBrowser, launchBrowsers } from './support/browsers.mjs';
import { TestPage } from './support/page-driver.mjs';
import { startE2eServers } from './support/servers.mjs';

const T = { timeout: 40_000 };
const MESSAGE_TYPE = 'oauth-elements:popup-response';

let servers;
before(async () => {
  launchBrowsers();
  servers = await startE2eServers();
});
after(() => servers?.close());

/** popup.html against the auto-approving provider instead of the one with login and consent pages. */
const withAutoProvider = () => `popup.html?issuer=${encodeURIComponent(servers.auto.url)}`;

/** A well-formed relay message carrying a bearer token nobody issued, for `state`, as the popup page sends it. */
function forgedResponse(state, accessToken) {
  return {
    type: MESSAGE_TYPE,
    source: 'fragment',
    params: [
      ['access_token', accessToken],
      ['token_type', 'Bearer'],
      ['expires_in', '3600'],
      ['scope', 'profile read'],
      ['state', state],
      ['iss', servers.real.url],
    ],
  };
}

/** Clicks Sign in and returns the popup once it shows the real provider's login page, with the state it carries. */
async function openPopupAtProvider(page) {
  const opened = new Promise((resolve) => page.page.once('popup', resolve));
  await page.page.click('#login >>> button');
  const popup = await opened;
  await popup.waitForSelector('input[name=username]');
  const authorization = new URL(popup.url());
  assert.equal(authorization.origin, servers.real.url);
  const state = authorization.searchParams.get('state');
  assert.match(state, /^p\./);
  return { popup, state };
}

/** In the popup: logs in as the demo user and allows; the provider sends the popup back to the page. */
async function approveInPopup(popup) {
  await popup.type('input[name=username]', 'demo');
  await popup.type('input[name=password]', 'demo');
  await Promise.all([popup.waitForNavigation(), popup.click('button[type=submit]')]);
  await popup.waitForSelector('button[name=decision][value=allow]');
  await popup.click('button[name=decision][value=allow]');
}

async function waitUntilClosed(popup, ms = 5000) {
  for (let waited = 0; waited < ms && !popup.isClosed(); waited += 100) await sleep(100);
  return popup.isClosed();
}

/** The messages of the relay's type the page received, once `count` have arrived. */
async function popupMessages(page, count) {
  await page.page.waitForFunction((n) => window.e2ePopupMessages.length >= n, { polling: 50 }, count);
  // One more task, so the element's own listener has run on the last one too.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
  return page.evaluate(() => window.e2ePopupMessages);
}

/** The real sign-in completes with the provider's token: exactly one `token`, no error, the API accepts it. */
async function assertOnlyTheRealToken(page, forgedToken) {
  const token = await page.waitForEvent('token', { timeout: 10_000 });
  await page.waitForShadowText('#profile', 'Ada Demo');
  assert.notEqual(token.detail.accessToken, forgedToken);
  assert.equal((await page.events('token')).length, 1);
  assert.deepEqual(await page.events('oauth-error'), []);
  assert.ok(!servers.allSeenBearers().includes(`Bearer ${forgedToken}`), 'the forged token never reached an API');
}

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('who may answer a popup sign-in', () => {
      it(
        'ignores a response posted from another origin (the provider page in the popup, the right state), and the real sign-in still completes',
        T,
        async () => {
          const page = await browser.newPage();
          await page.goto('popup.html');
          const { popup, state } = await openPopupAtProvider(page);
          const forged = 'forged-by-another-origin';
          // Sent from the popup window itself, so only the origin tells it apart.
          await popup.evaluate((message) => window.opener.postMessage(message, '*'), forgedResponse(state, forged));
          assert.deepEqual(await popupMessages(page, 1), [{ origin: servers.real.url, from: 'window' }]);
          assert.deepEqual(await page.events('token'), []);
          assert.deepEqual(await page.events('oauth-error'), []);

          await approveInPopup(popup);
          await assertOnlyTheRealToken(page, forged);
          assert.equal(await waitUntilClosed(popup), true, 'the popup closed itself');
        },
      );

      it('ignores a response posted by another window of the same origin (a frame of the page, the right state)', T, async () => {
        const page = await browser.newPage();
        await page.goto('popup.html');
        const { popup, state } = await openPopupAtProvider(page);
        const forged = 'forged-by-a-same-origin-frame';
        // The frame's own script posts, so the message comes from the frame's window at the page's origin.
        await page.evaluate(
          (message) => {
            const frame = document.createElement('iframe');
            frame.srcdoc = `<script>parent.postMessage(${JSON.stringify(message)}, ${JSON.stringify(location.origin)})</script>`;
            document.body.append(frame);
          },
          forgedResponse(state, forged),
        );
        assert.deepEqual(await popupMessages(page, 1), [{ origin: new URL(servers.pageUrl('')).origin, from: 'frame' }]);
        assert.deepEqual(await page.events('token'), []);
        assert.deepEqual(await page.events('oauth-error'), []);

        await approveInPopup(popup);
        await assertOnlyTheRealToken(page, forged);
      });

      it('takes the first valid response only: the popup page delivering it again yields no second token and no error', T, async () => {
        const page = await browser.newPage();
        await page.goto('popup.html');
        const opened = await openPopupAtProvider(page);
        const popup = new TestPage(opened.popup, servers);
        // Keep the popup open after it relays, so the same window can deliver the same response again.
        await popup.page.evaluateOnNewDocument(() => {
          window.close = () => {};
        });
        await approveInPopup(popup.page);
        await page.waitForEvent('token', { timeout: 10_000 });
        const callback = popup.lastCallback();
        assert.ok(callback?.includes(`state=${opened.state}`), 'the provider sent the popup back with its state');
        // The relay sends every response twice (postMessage and the state's BroadcastChannel).
        // Loading the callback again in the same popup (by itself, as a link would) sends it twice more.
        await popupMessages(page, 1);
        await popup.page.waitForFunction(() => document.readyState === 'complete' && !location.hash);
        await Promise.all([
          popup.page.waitForNavigation(),
          popup.page.evaluate((url) => {
            location.hash = new URL(url).hash;
            location.reload();
          }, callback),
        ]);
        await popupMessages(page, 2);
        await sleep(500);
        assert.equal((await page.events('token')).length, 1);
        assert.deepEqual(await page.events('oauth-error'), []);
        await page.waitForShadowText('#profile', 'Ada Demo');
        await popup.page.close();
      });

      it('a response with another state arriving in the popup is invalid_state, and gives no token', T, async () => {
        const page = await browser.newPage();
        await page.goto('popup.html');
        const { popup, state } = await openPopupAtProvider(page);
        const altered = state.slice(0, -1) + (state.endsWith('A') ? 'B' : 'A');
        const forged = 'forged-with-another-state';
        // Navigated from inside, without waiting for the load: the popup may be closed (by
        // itself or by the opener refusing it) before a load event could be awaited.
        const planted = `${servers.pageUrl('popup.html')}#${new URLSearchParams({ access_token: forged, token_type: 'Bearer', state: altered, iss: servers.real.url })}`;
        await popup.evaluate((url) => location.assign(url), planted);
        // The popup page hands it to the opener, which refuses it.
        assert.equal(await waitUntilClosed(popup), true, 'the popup relayed and closed');
        const error = await page.waitForEvent('oauth-error', { timeout: 5000 });
        assert.equal(error.detail.error, 'invalid_state');
        assert.deepEqual(await page.events('token'), []);
        assert.equal((await page.events('oauth-error')).length, 1);
        assert.ok(!servers.allSeenBearers().includes(`Bearer ${forged}`));
      });

      it('the user closing the popup gives popup_closed, and no token', T, async () => {
        const page = await browser.newPage();
        await page.goto('popup.html');
        const { popup } = await openPopupAtProvider(page);
        await popup.close();
        const error = await page.waitForEvent('oauth-error', { timeout: 5000 });
        assert.equal(error.detail.error, 'popup_closed');
        await sleep(300);
        assert.deepEqual(await page.events('token'), []);
        assert.equal((await page.events('oauth-error')).length, 1);
      });
    });

    describe('a popup sign-in under way', () => {
      it('is pending with aria-busy while the popup is open, and a second click opens no second popup', T, async () => {
        const page = await browser.newPage();
        await page.goto('popup.html');
        let popups = 0;
        page.page.on('popup', () => popups++);
        const { popup } = await openPopupAtProvider(page);
        await page.page.click('#login >>> button');
        await sleep(500);
        assert.equal(popups, 1, 'one popup');
        const busy = await page.evaluate(() => {
          const login = document.getElementById('login');
          return { status: login.getAttribute('status'), ariaBusy: login.shadowRoot.querySelector('button').getAttribute('aria-busy') };
        });
        assert.deepEqual(busy, { status: 'pending', ariaBusy: 'true' });

        await approveInPopup(popup);
        await page.waitForEvent('token', { timeout: 10_000 });
        await page.waitForAttribute('#login', 'status', 'signed-in');
        assert.equal(
          await page.evaluate(() => document.getElementById('login').shadowRoot.querySelector('button').hasAttribute('aria-busy')),
          false,
        );
        assert.equal(popups, 1);
      });
    });

    describe('a browser that blocks popups', () => {
      let blocking;
      before(async () => {
        blocking = await launchBlockingPopups(browser.browserName);
      });
      after(() => blocking?.close());

      it('opens the popup inside the click; outside a click the browser blocks it and the element says popup_blocked', T, async () => {
        const context = await blocking.createBrowserContext();
        try {
          const page = await TestPage.open(await context.newPage(), servers);
          await page.goto(withAutoProvider());
          // The click is a user activation: the popup opens and the sign-in completes.
          await page.page.click('#login >>> button');
          await page.waitForEvent('token', { timeout: 10_000 });

          const later = await TestPage.open(await context.newPage(), servers);
          const popups = [];
          later.page.on('popup', (popup) => popups.push(popup));
          await later.goto(`${withAutoProvider()}&sign-in=on-load`);
          const error = await later.waitForEvent('oauth-error');
          assert.equal(error.detail.error, 'popup_blocked');
          await sleep(300);
          assert.deepEqual(popups, []);
          assert.deepEqual(await later.events('token'), []);
          assert.equal(later.requests.filter((url) => new URL(url).pathname === '/authorize').length, 0, 'no sign-in request started');
        } finally {
          await context.close();
        }
      });
    });
  },
);

/**
 * The same browsers with their popup blockers on: puppeteer turns them off by default
 * (`--disable-popup-blocking` for Chromium, `dom.disable_open_during_load: false` for Firefox).
 */
function launchBlockingPopups(browserName) {
  if (browserName === 'chromium') {
    return puppeteer.launch({
      browser: 'chrome',
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      ignoreDefaultArgs: ['--disable-popup-blocking'],
    });
  }
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: { 'dom.disable_open_during_load': true },
  });
}
