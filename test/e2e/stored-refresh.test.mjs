// Sessions that outlive the page, end to end with 2- and 4-second tokens: with `dpop` the refresh
// token is kept beside the token (bound to a key in IndexedDB), so a reload or another tab
// goes on renewing, one refresh request per renewal across tabs (a Web Lock), also after
// the tab that signed in has closed; a bearer refresh token is never stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { inEveryBrowser, launchBrowsers } from './support/browsers.mjs';
import { startE2eServers } from './support/servers.mjs';

const T = { timeout: 60_000 };
/** What a stored token record may hold besides a DPoP refresh token: the token's own fields. */
const TOKEN_FIELDS = ['accessToken', 'tokenType', 'expiresAt', 'scope', 'idToken'];

let servers;
before(async () => {
  launchBrowsers();
  servers = await startE2eServers();
});
after(() => servers?.close());

const refreshesSince = (from, server = servers.short) =>
  server.tokenRequests.slice(from).filter(({ grantType }) => grantType === 'refresh_token');
const accessTokens = async (page) => (await page.events('token')).map(({ detail }) => detail.accessToken);

/** Everything in the page's sessionStorage and localStorage, and the stored token record parsed. */
const storageOf = (page) =>
  page.evaluate(() => {
    const all = [sessionStorage, localStorage].flatMap((storage) =>
      Array.from({ length: storage.length }, (_, i) => [storage.key(i), storage.getItem(storage.key(i))]),
    );
    const record = all.find(([key]) => key.startsWith('oauth-elements:token:'));
    return { all, record: record && JSON.parse(record[1]) };
  });

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('a refresh token kept beside the token', () => {
      it('with dpop and session storage, a reload keeps renewing, with the refresh token stored bound to the key', T, async () => {
        const page = await browser.newPage();
        await page.goto('dpop-renewing-session.html');
        await page.signIn();
        const { record } = await storageOf(page);
        assert.equal(record.tokenType, 'DPoP');
        assert.match(record.refresh.jkt, /^[\w-]{43}$/, 'the key thumbprint is stored with it');
        assert.equal(typeof record.refresh.refreshToken, 'string');

        const start = servers.short.tokenRequests.length;
        await page.reload();
        // The token restored on load, then two renewals after the reload.
        await page.waitForEvent('token', { count: 3, timeout: 8000 });
        const tokens = await page.events('token');
        assert.equal(new Set(tokens.map(({ detail }) => detail.accessToken)).size, tokens.length);
        const refreshes = refreshesSince(start);
        assert.ok(refreshes.length >= 2 && refreshes.every(({ status }) => status === 200), JSON.stringify(refreshes));
        assert.deepEqual(await page.events('oauth-error'), []);
        assert.deepEqual(await page.events('signout'), []);
        const stored = (await storageOf(page)).record.refresh.refreshToken;
        for (const { detail } of tokens) {
          assert.deepEqual(
            Object.keys(detail).filter((key) => !TOKEN_FIELDS.includes(key)),
            [],
            'no refresh token in an event',
          );
          assert.ok(!JSON.stringify(detail).includes(stored));
        }
      });

      for (const storage of ['session', 'local']) {
        it(`without dpop (${storage} storage), no refresh token is in any storage, and a reload cannot renew`, T, async () => {
          const page = await browser.newPage();
          await page.goto(`code-renewing-${storage}.html`);
          await page.signIn();
          // A renewal: the page holds a refresh token, rotated once.
          await page.waitForEvent('token', { count: 2, timeout: 6000 });
          const { all, record } = await storageOf(page);
          assert.deepEqual(
            Object.keys(record).filter((key) => !TOKEN_FIELDS.includes(key)),
            [],
            JSON.stringify(Object.keys(record)),
          );
          assert.ok(
            all.every(([key]) => key.startsWith('oauth-elements:token:') || key.startsWith('oauth-elements:pending')),
            JSON.stringify(all.map(([key]) => key)),
          );
          const databases = await page.evaluate(async () =>
            indexedDB.databases ? (await indexedDB.databases()).map(({ name }) => name) : [],
          );
          assert.deepEqual(databases, [], 'nothing in IndexedDB either');

          const start = servers.short.tokenRequests.length;
          await page.reload();
          await page.waitForEvent('signout', { timeout: 6000 });
          assert.deepEqual(
            (await page.events()).map(({ type, detail }) => (type === 'signout' ? detail.reason : type)),
            ['token', 'expired'],
          );
          assert.deepEqual(refreshesSince(start), []);
        });
      }
    });

    describe('renewing in several tabs with dpop and storage="local"', () => {
      it('one refresh request per renewal, counted at the server, also after the tab that signed in has closed', T, async () => {
        const context = await browser.browser.createBrowserContext();
        browser.contexts.push(context);
        const second = await browser.newPage(context);
        const first = await browser.newPage(context);
        await second.goto('dpop-renewing-local.html');
        await first.goto('dpop-renewing-local.html');
        const start = servers.silent.tokenRequests.length;
        await first.signIn();
        await second.waitForEvent('token', { count: 3, timeout: 12_000 });
        // Closed just after a renewal, not during one: a tab closed while its refresh is on the
        // way takes the rotated refresh token with it (README, Sessions).
        const before = (await accessTokens(first)).length;
        await first.waitForEvent('token', { count: before + 1, timeout: 6000 });
        const firstHeard = await accessTokens(first);
        await first.page.close();
        const closedAt = servers.silent.tokenRequests.length;
        const heardAtClose = (await accessTokens(second)).length;
        await second.waitForEvent('token', { count: heardAtClose + 3, timeout: 12_000 });
        const secondHeard = await accessTokens(second);
        const errors = await second.events('oauth-error');
        await second.page.close();
        await sleep(300);

        assert.deepEqual(secondHeard.slice(0, firstHeard.length), firstHeard, 'the second tab heard every token of the first, in order');
        assert.equal(new Set(secondHeard).size, secondHeard.length);
        const renewals = secondHeard.length - 1;
        const refreshes = refreshesSince(start, servers.silent);
        // A refresh still on its way when a tab closed may have no announced token.
        assert.ok(
          refreshes.length === renewals || refreshes.length === renewals + 1,
          `${refreshes.length} refreshes for ${renewals} renewals`,
        );
        assert.ok(
          refreshes.every(({ status }) => status === 200),
          'no refresh was refused (a second use of a rotated refresh token would be)',
        );
        assert.ok(refreshesSince(closedAt, servers.silent).length >= 3, 'the second tab renewed on its own after the first closed');
        assert.deepEqual(errors, []);
      });
    });
  },
);
