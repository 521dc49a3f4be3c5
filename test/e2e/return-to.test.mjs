// Coming back where the sign-in started, in real browsers against the real authorization
// server: the query and fragment put back in place with no history entry, and `returnTo`
// when the provider sends the browser to another page.
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

/** What the callback page looked like: on arrival (early.js), to the first script after the bundle (late.js), and now. */
const landing = (page) =>
  page.evaluate(() => ({ href: location.href, historyLength: history.length, early: window.e2eEarly, late: window.e2eLate }));

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('coming back where the sign-in started', () => {
      for (const [grant, name] of [
        ['token', 'deep-link.html'],
        ['code', 'deep-link-code.html'],
      ]) {
        it(`${grant}: the URL is restored exactly before the page's scripts run, and nothing is added to history`, T, async () => {
          const page = await browser.newPage();
          const start = servers.pageUrl(`${name}?tab=2#s3`);
          await page.goto(start);
          const { detail } = await page.signIn();
          const landed = await landing(page);
          assert.equal(landed.href, start);
          assert.equal(landed.late.href, start, 'the first script after the bundle already saw the restored URL');
          assert.deepEqual(
            [landed.late.tokens, landed.late.tokensOnceReady],
            [1, 1],
            'listeners of a later script, direct and once the DOM is ready, heard the token',
          );
          assert.equal(landed.historyLength, landed.early.historyLength, 'history.length did not grow');
          assert.equal(detail.returnTo, `/${name}?tab=2#s3`);

          await page.goBack();
          const back = await page.evaluate(() => location.href);
          assert.equal(back, start, 'Back goes to the page the sign-in started from');
          for (const word of ['access_token', 'code=', 'state=', 'iss=']) assert.ok(!back.includes(word), `Back shows ${back}`);
        });
      }

      it('a callback at another page leaves the address bar there and says in returnTo where the sign-in started', T, async () => {
        const page = await browser.newPage();
        await page.goto(servers.pageUrl('start-elsewhere.html?x=1#y'));
        const { detail } = await page.signIn();
        assert.equal(await page.evaluate(() => location.href), servers.pageUrl('auto.html'));
        assert.equal(detail.returnTo, '/start-elsewhere.html?x=1#y');
      });

      it('signIn({ returnTo }) of another origin is invalid_config and the page stays', T, async () => {
        const page = await browser.newPage();
        await page.goto('deep-link.html');
        await page.evaluate(() => document.getElementById('login').signIn({ returnTo: 'https://evil.example/' }));
        const { detail } = await page.waitForEvent('oauth-error');
        assert.equal(detail.error, 'invalid_config');
        assert.equal(page.url(), servers.pageUrl('deep-link.html'));
        assert.deepEqual(page.requestsTo('/authorize'), []);
      });
    });
  },
);
