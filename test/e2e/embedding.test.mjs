// The elements on pages that are not simple: a strict Content-Security-Policy, two
// sign-ins for two clients, the bundle included twice.
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

/** Console lines that are errors (the test pages have a favicon, so not even a 404). */
const consoleErrors = (page) => page.console.filter((line) => line.startsWith('error:'));

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('a page with a strict Content-Security-Policy', () => {
      const policies = [
        ['csp.html', "default-src 'self'; connect-src 'self' AUTH (no unsafe-inline, no unsafe-eval)"],
        ['csp-trusted-types.html', "the same plus require-trusted-types-for 'script'"],
      ];
      for (const [name, policy] of policies) {
        it(`signs in and loads data with zero policy violations under ${policy}`, T, async () => {
          const page = await browser.newPage();
          const response = await page.goto(name);
          const header = response.headers()['content-security-policy'];
          assert.match(header, /^default-src 'self'; connect-src 'self' http:\/\/127\.0\.0\.1:\d+/);
          assert.equal(header.includes('unsafe'), false);
          assert.equal(header.includes('require-trusted-types-for'), name.includes('trusted-types'));
          assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no violation before the sign-in');

          await page.signIn();
          await page.waitForShadowText('#profile', 'Ada Demo');
          // Open and close the tree too: rendering must not need anything the policy forbids.
          await page.evaluate(() => {
            for (const details of document.getElementById('profile').shadowRoot.querySelectorAll('details')) details.open = !details.open;
          });
          await page.settled();
          assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no securitypolicyviolation event');
          const ours = page.cspMessages.filter(({ page: url }) => url.startsWith(servers.site.url));
          assert.deepEqual(ours, [], 'no CSP report in the console');
          assert.deepEqual(page.pageErrors, []);
        });
      }
    });

    describe('two sign-ins for two clients on one page', () => {
      it('gives each <oauth-fetch for> only the token of its own <oauth-login>', T, async () => {
        const page = await browser.newPage();
        const seenBefore = servers.auto.seenBearers.length;
        await page.goto('two-logins.html');

        const first = (await page.signIn('first')).detail;
        assert.equal(first.scope, 'profile read');
        await page.waitForShadowText('#first-profile', '"profile read"');
        assert.equal(await page.evaluate(() => document.getElementById('second-profile').getAttribute('status')), 'idle');

        // The second sign-in reloads the page: the first login comes back from sessionStorage.
        const second = (await page.signIn('second')).detail;
        assert.equal(second.scope, 'profile');
        assert.notEqual(second.accessToken, first.accessToken);
        const restored = await page.waitForEvent('token', { source: 'first' });
        assert.equal(restored.detail.accessToken, first.accessToken);
        await page.waitForShadowText('#first-profile', '"profile read"');
        await page.waitForShadowText('#second-profile', '"scope"');
        const secondText = await page.shadowText('#second-profile');
        assert.ok(
          secondText.includes('"profile"') && !secondText.includes('"profile read"'),
          `the second fetch used the second token: ${secondText}`,
        );

        const count = (token) => servers.auto.seenBearers.slice(seenBefore).filter((seen) => seen === `Bearer ${token}`).length;
        assert.equal(servers.auto.seenBearers.length - seenBefore, 3, 'one request per fetch per token');
        assert.equal(count(first.accessToken), 2, 'the first token: its fetch, before and after the reload');
        assert.equal(count(second.accessToken), 1, 'the second token: its own fetch only');
        assert.deepEqual(page.pageErrors, []);
      });
    });

    describe('the bundle loaded twice', () => {
      it('loads two copies of the module without an error, and the elements still work', T, async () => {
        const page = await browser.newPage();
        await page.goto('twice.html');
        assert.ok(page.requests.some((url) => url.endsWith('/dist/oauth-elements.js')));
        assert.ok(page.requests.some((url) => url.endsWith('/dist/oauth-elements.js?v=2')));
        assert.deepEqual(page.pageErrors, []);

        await page.signIn();
        await page.waitForShadowText('#profile', 'Ada Demo');
        assert.deepEqual(page.pageErrors, []);
        assert.deepEqual(consoleErrors(page), []);
      });
    });
  },
);
