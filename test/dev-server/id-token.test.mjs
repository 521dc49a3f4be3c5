// OpenID Connect's implicit flow (Core §3.2): `response_type=id_token token` brings an
// access token and an ID token signed ES256 with the key published at the discovery
// document's jwks_uri, bound to the request by its nonce and to the access token by at_hash.
// Everything is checked here with node:crypto alone, as a relying party would.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { Browser, DEMO_REDIRECT, authorizePath, fragmentOf, signInAndDecide, startClosedAfterAll } from './helpers.mjs';

const start = startClosedAfterAll();

const openidImplicit = (extra = {}) => ({
  response_type: 'id_token token',
  client_id: 'demo-app',
  redirect_uri: DEMO_REDIRECT,
  scope: 'openid profile',
  state: 'st-oidc',
  nonce: 'n-0S6_WzA2Mj',
  ...extra,
});

const get = (server, params, browser) =>
  browser ? browser.fetch(server.url + authorizePath(params)) : fetch(server.url + authorizePath(params), { redirect: 'manual' });

const jsonPart = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** The left half of SHA-256 of the access token, base64url: at_hash for ES256 (Core §3.2.2.9). */
const expectedAtHash = (accessToken) => createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');

/**
 * Verifies `idToken` the way a relying party would: the key is found through discovery's
 * jwks_uri by the header's kid, and the ES256 signature (r || s) is checked with it.
 * Returns the header and claims, or throws.
 */
async function verifiedIdToken(server, idToken) {
  const parts = idToken.split('.');
  assert.equal(parts.length, 3, 'a JWS in compact form');
  const header = jsonPart(parts[0]);
  const claims = jsonPart(parts[1]);
  const discovery = await (await fetch(`${server.url}/.well-known/openid-configuration`)).json();
  const jwks = await (await fetch(discovery.jwks_uri)).json();
  const jwk = jwks.keys.find((key) => key.kid === header.kid);
  assert.ok(jwk, `the JWKS has the key ${header.kid}`);
  const valid = verify(
    'sha256',
    Buffer.from(`${parts[0]}.${parts[1]}`),
    { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(parts[2], 'base64url'),
  );
  if (!valid) throw new Error('The ID token signature does not verify');
  return { header, claims };
}

describe('response_type=id_token token (OpenID Connect Core §3.2)', () => {
  it('answers in the fragment with the access token, state, iss and an ID token', async () => {
    const { server } = await start({ autoApprove: true });
    const response = await get(server, openidImplicit());
    assert.equal(response.status, 302);
    assert.ok(response.headers.get('location').startsWith(`${DEMO_REDIRECT}#`), 'in the fragment, never the query');
    const fragment = fragmentOf(response);
    assert.deepEqual([...fragment.keys()].sort(), ['access_token', 'expires_in', 'id_token', 'iss', 'scope', 'state', 'token_type']);
    assert.match(fragment.get('access_token'), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(fragment.get('token_type'), 'Bearer');
    assert.equal(fragment.get('expires_in'), '3600');
    assert.equal(fragment.get('scope'), 'openid profile');
    assert.equal(fragment.get('state'), 'st-oidc');
    assert.equal(fragment.get('iss'), server.url);
    // The access token is a real one: the API takes it.
    const profile = await fetch(`${server.url}/api/profile`, { headers: { authorization: `Bearer ${fragment.get('access_token')}` } });
    assert.equal(profile.status, 200);
  });

  it('signs the ID token ES256 with a key from jwks_uri, with iss, sub, aud, exp, iat, nonce and at_hash', async () => {
    const { server } = await start({ autoApprove: true });
    const fragment = fragmentOf(await get(server, openidImplicit()));
    const { header, claims } = await verifiedIdToken(server, fragment.get('id_token'));
    assert.equal(header.alg, 'ES256');
    assert.equal(header.typ, 'JWT');
    assert.ok(header.kid, 'a kid names the key');
    const iat = Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000);
    assert.deepEqual(claims, {
      iss: server.url,
      sub: 'demo',
      aud: 'demo-app',
      exp: iat + 600,
      iat,
      nonce: 'n-0S6_WzA2Mj',
      at_hash: expectedAtHash(fragment.get('access_token')),
    });
  });

  it('publishes only the public key, as a JWK Set loopback pages may read', async () => {
    const { server } = await start();
    const response = await fetch(`${server.url}/jwks`, { headers: { origin: 'http://localhost:8000' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^application\/jwk-set\+json/);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:8000');
    const { keys } = await response.json();
    assert.equal(keys.length, 1);
    const [key] = keys;
    assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    assert.deepEqual([key.kty, key.crv, key.alg, key.use], ['EC', 'P-256', 'ES256', 'sig']);
    // The kid is the RFC 7638 thumbprint, so it names this key and no other.
    const thumbprint = createHash('sha256')
      .update(JSON.stringify({ crv: key.crv, kty: key.kty, x: key.x, y: key.y }))
      .digest('base64url');
    assert.equal(key.kid, thumbprint);
  });

  it('signs with a key of its own: a changed claim or another server’s key does not verify', async () => {
    const { server } = await start({ autoApprove: true });
    const { server: other } = await start({ autoApprove: true });
    const [head, body, signature] = fragmentOf(await get(server, openidImplicit()))
      .get('id_token')
      .split('.');
    const altered = Buffer.from(JSON.stringify({ ...jsonPart(body), sub: 'mallory' })).toString('base64url');
    await assert.rejects(verifiedIdToken(server, `${head}.${altered}.${signature}`), /does not verify/);
    const theirs = fragmentOf(await get(other, openidImplicit())).get('id_token');
    assert.notEqual(jsonPart(theirs.split('.')[0]).kid, jsonPart(head).kid, 'every server start makes a new key');
    await assert.rejects(verifiedIdToken(server, theirs), /has the key/);
  });

  it('takes the values in either order (token id_token)', async () => {
    const { server } = await start({ autoApprove: true });
    const fragment = fragmentOf(await get(server, openidImplicit({ response_type: 'token id_token' })));
    const { claims } = await verifiedIdToken(server, fragment.get('id_token'));
    assert.equal(claims.at_hash, expectedAtHash(fragment.get('access_token')));
  });

  it('carries the nonce through the login and consent pages', async () => {
    const { server } = await start();
    const response = await signInAndDecide(server, openidImplicit({ nonce: 'through-the-pages' }));
    const fragment = fragmentOf(response);
    const { claims } = await verifiedIdToken(server, fragment.get('id_token'));
    assert.equal(claims.nonce, 'through-the-pages');
    assert.equal(claims.at_hash, expectedAtHash(fragment.get('access_token')));
  });

  it('with prompt=none and a login session: a new ID token for the new nonce, no page', async () => {
    const { server } = await start();
    const browser = new Browser();
    assert.ok(fragmentOf(await signInAndDecide(server, openidImplicit(), { browser })).get('id_token'));
    const response = await get(server, openidImplicit({ prompt: 'none', nonce: 'silent-nonce' }), browser);
    assert.equal(response.status, 302);
    const fragment = fragmentOf(response);
    const { claims } = await verifiedIdToken(server, fragment.get('id_token'));
    assert.equal(claims.nonce, 'silent-nonce');
    assert.equal(claims.at_hash, expectedAtHash(fragment.get('access_token')));
    assert.deepEqual(server.silentRequests, [{ clientId: 'demo-app', outcome: 'issued' }]);
  });

  it('with prompt=none and no login session: login_required in the fragment', async () => {
    const { server } = await start();
    const fragment = fragmentOf(await get(server, openidImplicit({ prompt: 'none' }), new Browser()));
    assert.equal(fragment.get('error'), 'login_required');
    assert.equal(fragment.get('state'), 'st-oidc');
    assert.equal(fragment.get('iss'), server.url);
    assert.equal(fragment.has('id_token'), false);
  });
});

describe('id_token token requests that are refused', () => {
  /** A refusal redirected to the client in the fragment, with state and iss, and no token of any kind. */
  async function refusal(server, params) {
    const response = await get(server, params);
    assert.equal(response.status, 302);
    assert.ok(response.headers.get('location').startsWith(`${DEMO_REDIRECT}#`));
    const fragment = fragmentOf(response);
    assert.equal(fragment.get('state'), 'st-oidc');
    assert.equal(fragment.get('iss'), server.url);
    assert.equal(fragment.has('access_token'), false);
    assert.equal(fragment.has('id_token'), false);
    return fragment;
  }

  it('without a nonce: invalid_request', async () => {
    const { server } = await start({ autoApprove: true });
    const { nonce, ...withoutNonce } = openidImplicit();
    for (const params of [withoutNonce, openidImplicit({ nonce: '' })]) {
      const fragment = await refusal(server, params);
      assert.equal(fragment.get('error'), 'invalid_request');
      assert.match(fragment.get('error_description'), /nonce/);
    }
  });

  it('with the nonce twice: invalid_request', async () => {
    const { server } = await start({ autoApprove: true });
    const response = await fetch(`${server.url}${authorizePath(openidImplicit())}&nonce=another`, { redirect: 'manual' });
    assert.equal(fragmentOf(response).get('error'), 'invalid_request');
    assert.equal(fragmentOf(response).has('id_token'), false);
  });

  it('without the openid scope: invalid_scope', async () => {
    const { server } = await start({ autoApprove: true });
    assert.equal((await refusal(server, openidImplicit({ scope: 'profile' }))).get('error'), 'invalid_scope');
  });

  it('from a client not registered for it: unauthorized_client', async () => {
    const { server } = await start({ autoApprove: true });
    const fragment = await refusal(server, openidImplicit({ client_id: 'other-app', scope: 'profile' }));
    assert.equal(fragment.get('error'), 'unauthorized_client');
  });
});

describe('idTokenFaults, the test hook that makes ID tokens wrong on purpose', () => {
  it('wrongNonce: a validly signed ID token whose nonce is not the request’s', async () => {
    const { server } = await start({ autoApprove: true });
    server.idTokenFaults.wrongNonce = true;
    const fragment = fragmentOf(await get(server, openidImplicit()));
    const { claims } = await verifiedIdToken(server, fragment.get('id_token'));
    assert.equal(typeof claims.nonce, 'string');
    assert.notEqual(claims.nonce, 'n-0S6_WzA2Mj');
    assert.equal(claims.at_hash, expectedAtHash(fragment.get('access_token')), 'only the nonce is wrong');

    server.idTokenFaults.wrongNonce = false;
    assert.equal(
      (await verifiedIdToken(server, fragmentOf(await get(server, openidImplicit())).get('id_token'))).claims.nonce,
      'n-0S6_WzA2Mj',
    );
  });

  it('wrongAtHash: a validly signed ID token whose at_hash is not the access token’s', async () => {
    const { server } = await start({ autoApprove: true });
    server.idTokenFaults.wrongAtHash = true;
    const fragment = fragmentOf(await get(server, openidImplicit()));
    const { claims } = await verifiedIdToken(server, fragment.get('id_token'));
    assert.match(claims.at_hash, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(claims.at_hash, expectedAtHash(fragment.get('access_token')));
    assert.equal(claims.nonce, 'n-0S6_WzA2Mj', 'only the at_hash is wrong');
  });

  it('is off unless a test turns it on', async () => {
    const { server } = await start();
    assert.deepEqual(server.idTokenFaults, { wrongNonce: false, wrongAtHash: false });
  });
});
