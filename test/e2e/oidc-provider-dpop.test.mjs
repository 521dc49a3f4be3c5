// DPoP (RFC 9449) as oidc-provider does it, driven over HTTP without a browser: what the
// DPoP-only clients of the e2e provider accept and refuse, so browser tests can rely on it.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../dev-server/helpers.mjs';
import { newDpopKey, signDpopProof } from '../helpers/dpop-proof.mjs';
import { ACCOUNT, DPOP_CLIENT_ID, DPOP_NONCE_CLIENT_ID, startOidcProvider } from './support/oidc-provider-server.mjs';

const REDIRECT_URI = 'http://127.0.0.1:9/callback.html';

let op;
let metadata;
before(async () => {
  op = await startOidcProvider({ redirectUris: [REDIRECT_URI], pageOrigin: 'http://127.0.0.1:9' });
  metadata = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json();
});
after(() => op.close());

/** Signs in through the provider's own login and consent forms and returns the code and its verifier. */
async function authorizationCode(clientId) {
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(metadata.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile',
    state: 'state',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const browser = new Browser();
  let response = await browser.fetch(authorize.href);
  for (let step = 0; step < 12; step++) {
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, op.issuer);
      if (next.href.startsWith(REDIRECT_URI)) return { code: next.searchParams.get('code'), verifier };
      response = await browser.fetch(next.href);
      continue;
    }
    const page = await response.text();
    const action = /action="([^"]+)"/.exec(page)?.[1];
    assert.ok(action, `no form on the provider's page: ${page}`);
    const fields = page.includes('name="username"') ? { username: ACCOUNT.sub, password: ACCOUNT.password } : { decision: 'allow' };
    response = await browser.postForm(new URL(action, op.issuer).href, fields);
  }
  throw new Error(`The sign-in did not come back: ${JSON.stringify(op.errors)}`);
}

const tokenRequest = (fields, dpop) =>
  fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(dpop === undefined ? {} : { dpop }) },
    body: new URLSearchParams(fields),
  });

async function exchange(clientId, key, { nonce } = {}) {
  const { code, verifier } = await authorizationCode(clientId);
  const fields = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: clientId, code_verifier: verifier };
  const proof = key && (await signDpopProof(key, { htm: 'POST', htu: metadata.token_endpoint, nonce }));
  return { response: await tokenRequest(fields, proof), fields };
}

const userinfo = async (accessToken, key, proof) =>
  fetch(metadata.userinfo_endpoint, {
    headers: key
      ? {
          authorization: `DPoP ${accessToken}`,
          dpop: proof ?? (await signDpopProof(key, { htm: 'GET', htu: metadata.userinfo_endpoint, accessToken })),
        }
      : { authorization: `Bearer ${accessToken}` },
  });

describe('oidc-provider with DPoP (RFC 9449)', () => {
  it('advertises ES256 for proofs', () => {
    assert.ok(metadata.dpop_signing_alg_values_supported.includes('ES256'));
  });

  it('refuses a DPoP-only client a token request without a proof', async () => {
    const { response } = await exchange(DPOP_CLIENT_ID, undefined);
    assert.equal(response.status, 400);
    assert.ok((await response.json()).error);
  });

  it('binds the tokens to the proof key, and userinfo then wants that key, not a bearer', async () => {
    const key = await newDpopKey();
    const { response } = await exchange(DPOP_CLIENT_ID, key);
    assert.equal(response.status, 200, JSON.stringify(op.errors));
    const body = await response.json();
    assert.equal(body.token_type, 'DPoP');
    assert.ok(body.refresh_token);

    const me = await userinfo(body.access_token, key);
    assert.equal(me.status, 200);
    assert.equal((await me.json()).sub, ACCOUNT.sub);
    assert.equal((await userinfo(body.access_token)).status, 401, 'a bound token sent as a bearer');
    assert.equal((await userinfo(body.access_token, await newDpopKey())).status, 401, 'a proof by another key');

    const replayed = await signDpopProof(key, { htm: 'GET', htu: metadata.userinfo_endpoint, accessToken: body.access_token });
    assert.equal((await userinfo(body.access_token, key, replayed)).status, 200);
    assert.equal((await userinfo(body.access_token, key, replayed)).status, 401, 'a replayed proof');
    const wrongMethod = await signDpopProof(key, { htm: 'POST', htu: metadata.userinfo_endpoint, accessToken: body.access_token });
    assert.equal((await userinfo(body.access_token, key, wrongMethod)).status, 401, 'a proof for another method');
  });

  it('refreshes a bound refresh token only with a proof by the same key', async () => {
    const key = await newDpopKey();
    const first = await (await exchange(DPOP_CLIENT_ID, key)).response.json();
    const refresh = async (proofKey) =>
      tokenRequest(
        { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: DPOP_CLIENT_ID },
        await signDpopProof(proofKey, { htm: 'POST', htu: metadata.token_endpoint }),
      );
    const stolen = await refresh(await newDpopKey());
    assert.equal(stolen.status, 400);
    assert.equal((await stolen.json()).error, 'invalid_grant');
    const renewed = await refresh(key);
    assert.equal(renewed.status, 200, JSON.stringify(op.errors));
    assert.equal((await renewed.json()).token_type, 'DPoP');
  });

  it('demands a nonce from the nonce client once, then accepts the proof that carries it', async () => {
    const key = await newDpopKey();
    const { response: demand, fields } = await exchange(DPOP_NONCE_CLIENT_ID, key);
    assert.equal(demand.status, 400);
    assert.equal((await demand.json()).error, 'use_dpop_nonce');
    const nonce = demand.headers.get('dpop-nonce');
    assert.ok(nonce);
    const accepted = await tokenRequest(fields, await signDpopProof(key, { htm: 'POST', htu: metadata.token_endpoint, nonce }));
    assert.equal(accepted.status, 200, JSON.stringify(op.errors));
    assert.equal((await accepted.json()).token_type, 'DPoP');
  });
});
