// DPoP (RFC 9449) and login.fetch end to end, against the project's own authorization
// server, whose API verifies every proof: bound tokens, proofs that verify, refusals of a
// replayed, re-addressed or missing proof (reported by the elements), a key no script can
// export, nonces retried once, and login.fetch's rules for where the token may go.
import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { reachableStrings } from '../helpers/reachable-strings.mjs';
import { inEveryBrowser, launchBrowsers } from './support/browsers.mjs';
import { startRecordingServer } from './support/recording-server.mjs';
import { startE2eServers } from './support/servers.mjs';

const T = { timeout: 30_000 };

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Authorization, DPoP',
  'Access-Control-Expose-Headers': 'WWW-Authenticate, DPoP-Nonce',
};

/** A resource server that refuses every token (RFC 6750 §3.1 `invalid_token`), whatever the proof. */
function refuseEveryToken(req, res) {
  if (req.method === 'OPTIONS') return res.writeHead(204, CORS).end();
  res.writeHead(401, { ...CORS, 'WWW-Authenticate': 'DPoP algs="ES256", error="invalid_token"' }).end();
}

/** A resource server that wants a new nonce in every proof, however often it is asked (RFC 9449 §9). */
function demandNewNonces(req, res) {
  if (req.method === 'OPTIONS') return res.writeHead(204, CORS).end();
  res
    .writeHead(401, { ...CORS, 'WWW-Authenticate': 'DPoP algs="ES256", error="use_dpop_nonce"', 'DPoP-Nonce': `n-${Math.random()}` })
    .end();
}

let servers;
let refusing;
let nonceDemanding;
before(async () => {
  launchBrowsers();
  [servers, refusing, nonceDemanding] = await Promise.all([
    startE2eServers(),
    startRecordingServer({ respond: refuseEveryToken }),
    startRecordingServer({ respond: demandNewNonces }),
  ]);
});
after(() => Promise.all([servers?.close(), refusing?.close(), nonceDemanding?.close()]));

const sha256 = (text) => createHash('sha256').update(text).digest('base64url');
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** A proof's header and claims, once its signature verifies with the public key it carries. */
async function verifiedProof(proof) {
  const [header, payload, signature] = proof.split('.');
  const { jwk, ...rest } = decode(header);
  const key = await webcrypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  const valid = await webcrypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    Buffer.from(signature, 'base64url'),
    Buffer.from(`${header}.${payload}`),
  );
  assert.ok(valid, 'the proof signature verifies with its own jwk');
  return { header: { jwk, ...rest }, claims: decode(payload) };
}

/** What a P-256 private key looks like written out: a JWK's `d`, PKCS #8 (DER, base64 or base64url, or PEM). */
const PRIVATE_KEY_MATERIAL = [
  /"d"\s*:/,
  /MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/,
  /MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQ/,
  /PRIVATE KEY/,
];

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

const wire = (page) => page.evaluate(() => window.e2e.wire);

/** Runs login.fetch in the page; resolves with the status, or with the OAuthError's detail. */
function loginFetch(page, url, init) {
  return page.evaluate(
    (target, options) =>
      document
        .getElementById('login')
        .fetch(target, options)
        .then(
          (response) => ({ status: response.status }),
          (error) => ({ rejected: error.name, detail: error.detail }),
        ),
    url,
    init,
  );
}

/** Plain fetch from the page (no element): what a thief who copied the token and a proof could send. */
function plainFetch(page, url, headers) {
  return page.evaluate(
    async (target, sent) => {
      const response = await fetch(target, { headers: sent });
      return { status: response.status, challenge: response.headers.get('WWW-Authenticate') };
    },
    url,
    headers,
  );
}

/** Signs in on dpop.html (or `url`; the auto-approving server unless it names another issuer) and waits for the DPoP-only profile. */
async function signedIn(browser, url = 'dpop.html') {
  const page = await browser.newPage();
  await page.goto(url);
  const token = await page.signIn();
  await page.waitForShadowText('#profile', 'Ada Demo');
  return { page, token: token.detail };
}

/** The refresh requests `server` answered since `from` (an index into its log). */
const refreshesSince = (server, from) => server.tokenRequests.slice(from).filter(({ grantType }) => grantType === 'refresh_token');

inEveryBrowser(
  () => servers,
  (browser) => {
    describe('sign-in with dpop against the dev server', () => {
      it('gets a DPoP token, every request carries a proof that verifies, and <oauth-fetch for> shows the DPoP-only API', T, async () => {
        const { page, token } = await signedIn(browser);
        const { auto } = servers;
        assert.equal(token.tokenType, 'DPoP');

        const [exchange, resource] = await wire(page);
        assert.equal(exchange.url, `${auto.url}/token`);
        assert.equal(exchange.authorization, null);
        assert.equal(resource.url, `${auto.url}/api/dpop/profile`);
        assert.equal(resource.authorization, `DPoP ${token.accessToken}`);
        const proofs = await Promise.all([exchange.dpop, resource.dpop].map(verifiedProof));
        for (const { header } of proofs) {
          assert.equal(header.typ, 'dpop+jwt');
          assert.equal(header.alg, 'ES256');
          assert.deepEqual(Object.keys(header.jwk).sort(), ['crv', 'kty', 'x', 'y'], 'the public key and nothing else');
        }
        assert.deepEqual(proofs[0].header.jwk, proofs[1].header.jwk, 'one key for the exchange and the resource');
        assert.deepEqual(
          { htm: proofs[0].claims.htm, htu: proofs[0].claims.htu, ath: proofs[0].claims.ath },
          { htm: 'POST', htu: `${auto.url}/token`, ath: undefined },
        );
        assert.deepEqual(
          { htm: proofs[1].claims.htm, htu: proofs[1].claims.htu, ath: proofs[1].claims.ath },
          { htm: 'GET', htu: `${auto.url}/api/dpop/profile`, ath: sha256(token.accessToken) },
        );
        assert.notEqual(proofs[0].claims.jti, proofs[1].claims.jti);
        assert.ok(Math.abs(proofs[1].claims.iat - Date.now() / 1000) < 60);

        // The API saw the token only with the DPoP scheme, and answered.
        assert.ok(auto.seenBearers.includes(`DPoP ${token.accessToken}`));
        assert.ok(!auto.seenBearers.includes(`Bearer ${token.accessToken}`));
        const response = await page.waitForEvent('response', { source: 'profile' });
        assert.equal(response.detail.status, 200);
        assert.deepEqual(await page.events('oauth-error'), []);
      });

      it('the API refuses a replayed proof, a proof for another URL or method, and the token as a bearer', T, async () => {
        const { page, token } = await signedIn(browser);
        const { auto } = servers;
        const api = `${auto.url}/api/dpop/profile`;
        // Proofs made by the login and kept from the network, as a script in the page could.
        const unsent = (url, init) =>
          page.evaluate(
            async (target, options) => {
              window.e2e.intercept = () => new Response(null, { status: 204 });
              try {
                await document.getElementById('login').fetch(target, options);
              } finally {
                window.e2e.intercept = null;
              }
              return window.e2e.wire.at(-1).dpop;
            },
            url,
            init,
          );
        const fresh = await unsent(api);
        const otherUrl = await unsent(`${auto.url}/api/profile`);
        const otherMethod = await unsent(api, { method: 'POST' });
        const withToken = (proof) => ({ Authorization: `DPoP ${token.accessToken}`, DPoP: proof });

        assert.equal((await plainFetch(page, api, withToken(fresh))).status, 200, 'an unused proof for this request works once');
        const replayed = await plainFetch(page, api, withToken(fresh));
        assert.equal(replayed.status, 401, 'a replayed proof');
        assert.match(replayed.challenge, /^DPoP .*error="invalid_dpop_proof".*already used/);
        const readdressed = await plainFetch(page, api, withToken(otherUrl));
        assert.equal(readdressed.status, 401, 'a proof for another URL');
        assert.match(readdressed.challenge, /another URL/);
        const otherVerb = await plainFetch(page, api, withToken(otherMethod));
        assert.equal(otherVerb.status, 401, 'a proof for another method');
        assert.match(otherVerb.challenge, /is for POST, not GET/);
        assert.equal((await plainFetch(page, api, { Authorization: `DPoP ${token.accessToken}` })).status, 401, 'no proof');
        assert.equal((await plainFetch(page, api, { Authorization: `Bearer ${token.accessToken}` })).status, 401, 'as a bearer');
        const bearerElsewhere = await plainFetch(page, `${auto.url}/api/profile`, { Authorization: `Bearer ${token.accessToken}` });
        assert.equal(bearerElsewhere.status, 401, 'as a bearer, even where bearers are accepted');
        assert.match(bearerElsewhere.challenge, /error="invalid_token".*DPoP-bound/);
      });

      for (const [label, mode] of [
        ['a replayed proof', 'replay'],
        ['a proof for another URL', 'url'],
        ['a proof for another method', 'method'],
        ['the token as a bearer', 'bearer'],
      ]) {
        it(`login.fetch and <oauth-fetch for> report invalid_token when the API gets ${label}, after one renewal each`, T, async () => {
          const { page } = await signedIn(browser);
          const { auto } = servers;
          const seenBefore = auto.seenBearers.length;
          // The profile steps aside first, so the login's call is the only one on the wire.
          await page.evaluate(() => {
            window.e2e.profile = document.getElementById('profile');
            window.e2e.profile.remove();
          });
          await tamperWithApiRequests(page, mode, `${auto.url}/api/dpop/profile`);

          let refreshesBefore = auto.tokenRequests.length;
          const outcome = await loginFetch(page, `${auto.url}/api/dpop/profile`);
          assert.equal(outcome.rejected, 'OAuthError', JSON.stringify(outcome));
          assert.equal(outcome.detail.error, 'invalid_token');
          assert.equal(outcome.detail.status, 401);
          assert.equal(refreshesSince(auto, refreshesBefore).length, 1, 'renewed once, then gave up');

          refreshesBefore = auto.tokenRequests.length;
          const errorsBefore = (await page.events('oauth-error')).filter(({ source }) => source === 'profile').length;
          // Back in the page, it loads with the login's current token, through the same tampering.
          await page.evaluate(() => document.body.append(window.e2e.profile));
          const error = await page.waitForEvent('oauth-error', { source: 'profile', count: errorsBefore + 1 });
          assert.equal(error.detail.error, 'invalid_token');
          assert.equal(await page.evaluate(() => document.getElementById('profile').status), 'error');
          await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1000)));
          assert.equal(refreshesSince(auto, refreshesBefore).length, 1, 'one renewal for the load, not one per token it brought');

          // Each refused request reached the API as altered: the server, not the page, said no.
          const seen = auto.seenBearers.slice(seenBefore);
          assert.equal(seen.length, 4, 'two tries for login.fetch, two for the element');
          assert.ok(seen.every((header) => header.startsWith(mode === 'bearer' ? 'Bearer ' : 'DPoP ')));
        });
      }

      it('keeps a key no script can export: not from IndexedDB, and no private key material anywhere the page reaches', T, async () => {
        // storage="session" is what puts the key pair in IndexedDB, where a page script can get it.
        const { page } = await signedIn(browser, 'dpop-session.html');
        const stored = await page.evaluate(async () => {
          const database = await new Promise((resolve, reject) => {
            const request = indexedDB.open('oauth-elements-dpop');
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          const pairs = await new Promise((resolve, reject) => {
            const request = database.transaction('keys').objectStore('keys').getAll();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          database.close();
          const refusal = (format, key) =>
            crypto.subtle.exportKey(format, key).then(
              () => 'exported',
              (error) => error.name,
            );
          return Promise.all(
            pairs.map(async ({ privateKey, publicKey }) => ({
              isKey: privateKey instanceof CryptoKey,
              extractable: privateKey.extractable,
              usages: privateKey.usages,
              pkcs8: await refusal('pkcs8', privateKey),
              jwk: await refusal('jwk', privateKey),
              publicJwk: await crypto.subtle.exportKey('jwk', publicKey),
            })),
          );
        });
        assert.equal(stored.length, 1, 'one key pair for the one login');
        const [pair] = stored;
        assert.deepEqual(
          { isKey: pair.isKey, extractable: pair.extractable, usages: pair.usages, pkcs8: pair.pkcs8, jwk: pair.jwk },
          { isKey: true, extractable: false, usages: ['sign'], pkcs8: 'InvalidAccessError', jwk: 'InvalidAccessError' },
        );
        // It is the key the proofs are signed with.
        const { header } = await verifiedProof((await wire(page)).at(-1).dpop);
        assert.deepEqual(header.jwk, { kty: 'EC', crv: 'P-256', x: pair.publicJwk.x, y: pair.publicJwk.y });

        const elements = await page.page.$$('oauth-login, oauth-fetch');
        const reachable = [...(await page.evaluate(reachableStrings, ...elements)), ...(await page.evaluate(pageStrings))];
        assert.ok(reachable.length > 0);
        assert.deepEqual(
          reachable.filter((text) => PRIVATE_KEY_MATERIAL.some((pattern) => pattern.test(text))),
          [],
          'private key material is reachable from the page (property, storage, cookie or DOM)',
        );
      });
    });

    describe('DPoP nonces', () => {
      it('a server that demands nonces: one exchange is two token requests, and the API then takes the nonce at once', T, async () => {
        const { nonce } = servers;
        const tokenRequestsBefore = nonce.tokenRequests.length;
        const seenBefore = nonce.seenBearers.length;
        const { page, token } = await signedIn(browser, 'dpop-nonce.html');
        assert.equal(token.tokenType, 'DPoP');
        assert.deepEqual(nonce.tokenRequests.slice(tokenRequestsBefore), [
          { grantType: 'authorization_code', status: 400 },
          { grantType: 'authorization_code', status: 200 },
        ]);
        const exchanges = (await wire(page)).filter(({ url }) => url === `${nonce.url}/token`);
        const [first, second] = await Promise.all(exchanges.map(({ dpop }) => verifiedProof(dpop)));
        assert.equal(first.claims.nonce, undefined);
        assert.equal(typeof second.claims.nonce, 'string');
        // The nonce the token endpoint gave is the origin's: the API's first proof carries it.
        assert.equal(nonce.seenBearers.length - seenBefore, 1, 'one API request, no nonce retry');
        const [resource] = (await wire(page)).filter(({ url }) => url.endsWith('/api/dpop/profile'));
        assert.equal((await verifiedProof(resource.dpop)).claims.nonce, second.claims.nonce);
      });

      it('a resource that wants a new nonce every time gets one retry with it, and login.fetch then rejects, naming it', T, async () => {
        const { page } = await signedIn(browser);
        const refreshesBefore = servers.auto.tokenRequests.length;
        const before = nonceDemanding.requests.length;
        const outcome = await loginFetch(page, `${nonceDemanding.url}/api`);
        assert.equal(outcome.detail?.error, 'invalid_token', JSON.stringify(outcome));
        assert.match(outcome.detail.description, /use_dpop_nonce/);
        const sent = (await wire(page)).filter(({ url }) => url === `${nonceDemanding.url}/api`);
        const nonces = await Promise.all(sent.map(async ({ dpop }) => (await verifiedProof(dpop)).claims.nonce));
        // The first try, the one nonce retry, and the one try after renewing the refused token: never a loop.
        assert.equal(sent.length, 3);
        assert.equal(nonces[0], undefined);
        assert.match(nonces[1], /^n-/);
        assert.equal(nonceDemanding.requests.slice(before).filter(({ method }) => method === 'GET').length, 3);
        assert.equal(refreshesSince(servers.auto, refreshesBefore).length, 1);
      });
    });

    describe('login.fetch', () => {
      it('refuses http to a host that is not loopback (invalid_config), before any request', T, async () => {
        const { page } = await signedIn(browser);
        const wireBefore = (await wire(page)).length;
        for (const url of ['http://example.test/api', 'http://192.168.1.10/api', 'http://localhost.example.test/api']) {
          const outcome = await loginFetch(page, url);
          assert.equal(outcome.detail?.error, 'invalid_config', url);
          assert.deepEqual(
            page.requests.filter((requested) => requested.startsWith(new URL(url).origin)),
            [],
            `no request to ${url}`,
          );
        }
        assert.equal((await wire(page)).length, wireBefore, 'no token or proof was even prepared for the network');
      });

      it('does not follow a redirect to another origin: http_error, and the other origin gets nothing', T, async () => {
        const { page } = await signedIn(browser);
        const recordedBefore = servers.otherOrigin.requests.length;
        const outcome = await loginFetch(
          page,
          `${servers.auto.url}/api/redirect?to=${encodeURIComponent(`${servers.otherOrigin.url}/record`)}`,
        );
        assert.equal(outcome.detail?.error, 'http_error', JSON.stringify(outcome));
        await page.settled();
        assert.deepEqual(servers.otherOrigin.requests.slice(recordedBefore), [], 'the redirect was not followed at all');
      });

      it('a revoked access token: one refresh request, and the retry with the new token succeeds', T, async () => {
        const { page, token } = await signedIn(browser);
        const { auto } = servers;
        const revoked = await fetch(`${auto.url}/revoke`, {
          method: 'POST',
          body: new URLSearchParams({ token: token.accessToken, client_id: 'demo-app' }),
        });
        assert.equal(revoked.status, 200);
        const refreshesBefore = auto.tokenRequests.length;
        const seenBefore = auto.seenBearers.length;
        const tokensBefore = (await page.events('token')).length;

        const outcome = await page.evaluate(async (url) => {
          const response = await document.getElementById('login').fetch(url);
          return { status: response.status, body: await response.json() };
        }, `${auto.url}/api/dpop/profile`);
        assert.equal(outcome.status, 200);
        assert.equal(outcome.body.name, 'Ada Demo');
        assert.deepEqual(refreshesSince(auto, refreshesBefore), [{ grantType: 'refresh_token', status: 200 }]);
        const renewed = await page.waitForEvent('token', { count: tokensBefore + 1 });
        assert.equal(renewed.detail.tokenType, 'DPoP');
        assert.notEqual(renewed.detail.accessToken, token.accessToken);
        const tried = auto.seenBearers.slice(seenBefore);
        assert.equal(tried[0], `DPoP ${token.accessToken}`, 'first with the revoked token');
        assert.equal(tried[1], `DPoP ${renewed.detail.accessToken}`, 'then once with the new one');
      });

      it('a resource that refuses every token: one refresh request and one retry, then invalid_token', T, async () => {
        const { page } = await signedIn(browser);
        const refreshesBefore = servers.auto.tokenRequests.length;
        const before = refusing.requests.length;
        const outcome = await loginFetch(page, `${refusing.url}/api`);
        assert.equal(outcome.detail?.error, 'invalid_token', JSON.stringify(outcome));
        assert.equal(outcome.detail.status, 401);
        assert.equal(refusing.requests.slice(before).filter(({ method }) => method === 'GET').length, 2);
        assert.equal(refreshesSince(servers.auto, refreshesBefore).length, 1);
      });
    });
  },
);

/**
 * From now on, every request to dpop.html's API is altered on its way out: its proof is
 * swapped for one already used (`replay`), one the login made for another URL (`url`) or
 * method (`method`), or the token goes as a bearer without a proof (`bearer`).
 */
function tamperWithApiRequests(page, mode, api) {
  return page.evaluate(
    async (how, api) => {
      const login = document.getElementById('login');
      // A proof the login made and the network never saw.
      const keep = async (url, init) => {
        window.e2e.intercept = () => new Response(null, { status: 204 });
        try {
          await login.fetch(url, init);
        } finally {
          window.e2e.intercept = null;
        }
        return window.e2e.wire.at(-1).dpop;
      };
      let proof;
      if (how === 'replay') proof = window.e2e.wire.find(({ url }) => url === api).dpop;
      if (how === 'url') proof = await keep(api.replace('/api/dpop/profile', '/api/profile'));
      if (how === 'method') proof = await keep(api, { method: 'POST' });
      window.e2e.intercept = (request) => {
        if (request.url !== api) return undefined;
        const headers = new Headers(request.headers);
        if (how === 'bearer') {
          headers.set('Authorization', headers.get('Authorization').replace(/^DPoP /, 'Bearer '));
          headers.delete('DPoP');
        } else {
          headers.set('DPoP', proof);
        }
        return new Request(request, { headers });
      };
    },
    mode,
    api,
  );
}
