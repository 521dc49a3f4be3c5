import assert from 'node:assert/strict';
import { randomBytes, webcrypto } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startAuthServer } from '../../dev-server/auth-server.mjs';
import { createDpopVerifier } from '../../dev-server/dpop.mjs';
import { newDpopKey as newKey, sha256, signDpopProof } from '../helpers/dpop-proof.mjs';
import { DEMO_REDIRECT, LOOPBACK_ORIGIN, authorizationCode, postForm } from './helpers.mjs';

const { subtle } = webcrypto;
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Starts a server whose clock the test holds, and signs proofs against that clock. */
async function startServer(options = {}) {
  const clock = { ms: Date.parse('2030-01-01T00:00:00Z') };
  const server = await startAuthServer({ port: 0, now: () => clock.ms, autoApprove: true, ...options });

  const proof = (key, { htu, ...options }) =>
    signDpopProof(key, { htu: htu.startsWith('/') ? server.url + htu : htu, iat: Math.floor(clock.ms / 1000), ...options });

  const exchange = async (key, proofOptions = {}) => {
    const { code, verifier } = await authorizationCode(server);
    const fields = { grant_type: 'authorization_code', code, redirect_uri: DEMO_REDIRECT, client_id: 'demo-app', code_verifier: verifier };
    const headers = key ? { dpop: await proof(key, { htm: 'POST', htu: '/token', ...proofOptions }) } : {};
    return postForm(`${server.url}/token`, fields, headers);
  };

  const refresh = async (refreshToken, key) =>
    postForm(
      `${server.url}/token`,
      { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'demo-app' },
      key ? { dpop: await proof(key, { htm: 'POST', htu: '/token' }) } : {},
    );

  const api = async (path, authorization, dpopProof) =>
    fetch(server.url + path, { headers: { authorization, ...(dpopProof === undefined ? {} : { dpop: dpopProof }) } });

  /** A GET with `Authorization: DPoP` and a fresh, correct proof (unless `proofOptions` spoil it). */
  const dpopGet = async (path, accessToken, key, proofOptions = {}) =>
    api(path, `DPoP ${accessToken}`, await proof(key, { htm: 'GET', htu: path, accessToken, ...proofOptions }));

  return { server, clock, proof, exchange, refresh, api, dpopGet };
}

const challengeOf = (response) => response.headers.get('www-authenticate');

describe('DPoP at the dev server (RFC 9449)', () => {
  let env;
  let key;
  before(async () => {
    env = await startServer();
    key = await newKey();
  });
  after(() => env.server.close());

  describe('token endpoint', () => {
    it('binds the tokens to the key of a valid proof: token_type DPoP', async () => {
      const response = await env.exchange(key);
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.equal(body.token_type, 'DPoP');
      assert.ok(body.refresh_token);
      assert.equal((await env.dpopGet('/api/dpop/profile', body.access_token, key)).status, 200);
      assert.equal((await env.dpopGet('/api/profile', body.access_token, key)).status, 200);
    });

    it('issues a plain bearer token without a proof', async () => {
      const body = await (await env.exchange(undefined)).json();
      assert.equal(body.token_type, 'Bearer');
      assert.equal((await env.api('/api/profile', `Bearer ${body.access_token}`)).status, 200);
    });

    it('refuses an invalid proof with invalid_dpop_proof, and burns nothing', async () => {
      const { code, verifier } = await authorizationCode(env.server);
      const fields = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: DEMO_REDIRECT,
        client_id: 'demo-app',
        code_verifier: verifier,
      };
      const wrongUrl = await env.proof(key, { htm: 'POST', htu: '/revoke' });
      const refused = await postForm(`${env.server.url}/token`, fields, { dpop: wrongUrl });
      assert.equal(refused.status, 400);
      assert.equal((await refused.json()).error, 'invalid_dpop_proof');
      const retried = await postForm(`${env.server.url}/token`, fields, { dpop: await env.proof(key, { htm: 'POST', htu: '/token' }) });
      assert.equal(retried.status, 200);
    });

    it('refuses a replayed proof', async () => {
      const replayed = await env.proof(key, { htm: 'POST', htu: '/token' });
      const send = async () => {
        const { code, verifier } = await authorizationCode(env.server);
        const fields = {
          grant_type: 'authorization_code',
          code,
          redirect_uri: DEMO_REDIRECT,
          client_id: 'demo-app',
          code_verifier: verifier,
        };
        return postForm(`${env.server.url}/token`, fields, { dpop: replayed });
      };
      assert.equal((await send()).status, 200);
      const second = await send();
      assert.equal(second.status, 400);
      assert.match((await second.json()).error_description, /already used/);
    });

    it('refreshes a bound refresh token only with a proof by the same key, and a wrong key does not burn it', async () => {
      const first = await (await env.exchange(key)).json();
      const other = await newKey();
      for (const attempt of [undefined, other]) {
        const refused = await env.refresh(first.refresh_token, attempt);
        assert.equal(refused.status, 400);
        assert.equal((await refused.json()).error, 'invalid_grant');
      }
      const renewed = await env.refresh(first.refresh_token, key);
      assert.equal(renewed.status, 200);
      const body = await renewed.json();
      assert.equal(body.token_type, 'DPoP');
      assert.equal((await env.dpopGet('/api/dpop/profile', body.access_token, key)).status, 200);
      assert.equal((await env.dpopGet('/api/dpop/profile', body.access_token, other)).status, 401);
    });

    it('lets a browser send the DPoP header and read DPoP-Nonce', async () => {
      const preflight = await fetch(`${env.server.url}/token`, {
        method: 'OPTIONS',
        headers: { origin: LOOPBACK_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'dpop' },
      });
      assert.match(preflight.headers.get('access-control-allow-headers'), /\bDPoP\b/i);
      const response = await postForm(`${env.server.url}/token`, { client_id: 'demo-app' }, { origin: LOOPBACK_ORIGIN });
      assert.match(response.headers.get('access-control-expose-headers'), /\bDPoP-Nonce\b/i);
    });

    it('advertises ES256 in its metadata', async () => {
      const metadata = await (await fetch(`${env.server.url}/.well-known/oauth-authorization-server`)).json();
      assert.deepEqual(metadata.dpop_signing_alg_values_supported, ['ES256']);
    });
  });

  describe('protected API', () => {
    let token;
    before(async () => {
      token = (await (await env.exchange(key)).json()).access_token;
    });

    it('refuses a bound token sent as a bearer with invalid_token', async () => {
      for (const path of ['/api/profile', '/api/data']) {
        const response = await env.api(path, `Bearer ${token}`);
        assert.equal(response.status, 401);
        assert.match(challengeOf(response), /^Bearer .*error="invalid_token"/);
      }
    });

    it('refuses a bearer token on the DPoP-only endpoint, with a DPoP challenge', async () => {
      const bearer = (await (await env.exchange(undefined)).json()).access_token;
      const response = await env.api('/api/dpop/profile', `Bearer ${bearer}`);
      assert.equal(response.status, 401);
      assert.match(challengeOf(response), /^DPoP .*algs="ES256"/);
      const unbound = await env.api(
        '/api/dpop/profile',
        `DPoP ${bearer}`,
        await env.proof(key, { htm: 'GET', htu: '/api/dpop/profile', accessToken: bearer }),
      );
      assert.equal(unbound.status, 401);
      assert.match(challengeOf(unbound), /error="invalid_token"/);
    });

    it('refuses the DPoP scheme without a proof', async () => {
      const response = await env.api('/api/dpop/profile', `DPoP ${token}`);
      assert.equal(response.status, 401);
      assert.match(challengeOf(response), /^DPoP .*error="invalid_dpop_proof"/);
    });

    it('refuses a replayed proof', async () => {
      const proof = await env.proof(key, { htm: 'GET', htu: '/api/dpop/profile', accessToken: token });
      assert.equal((await env.api('/api/dpop/profile', `DPoP ${token}`, proof)).status, 200);
      const replay = await env.api('/api/dpop/profile', `DPoP ${token}`, proof);
      assert.equal(replay.status, 401);
      assert.match(challengeOf(replay), /error="invalid_dpop_proof", error_description="[^"]*already used/);
    });

    it('refuses a proof for another URL or another method', async () => {
      for (const spoiled of [{ htu: '/api/profile' }, { htu: 'http://localhost:1/api/dpop/profile' }, { htm: 'POST' }]) {
        const response = await env.dpopGet('/api/dpop/profile', token, key, spoiled);
        assert.equal(response.status, 401, JSON.stringify(spoiled));
        assert.match(challengeOf(response), /error="invalid_dpop_proof"/);
      }
    });

    it('compares htu without the query and fragment', async () => {
      const proof = await env.proof(key, { htm: 'GET', htu: '/api/data#top', accessToken: token });
      assert.equal((await env.api('/api/data?items=2', `DPoP ${token}`, proof)).status, 200);
    });

    it('refuses a proof whose ath is missing or another token’s hash', async () => {
      for (const claims of [{ ath: undefined }, { ath: sha256('another token') }]) {
        const response = await env.dpopGet('/api/dpop/profile', token, key, { claims });
        assert.equal(response.status, 401);
        assert.match(challengeOf(response), /error="invalid_dpop_proof"/);
      }
    });

    it('refuses a proof signed by another key than the token is bound to', async () => {
      const response = await env.dpopGet('/api/dpop/profile', token, await newKey());
      assert.equal(response.status, 401);
      assert.match(challengeOf(response), /error="invalid_token"/);
    });

    it('accepts iat up to 60 seconds either way, not beyond', async () => {
      const at = (offset) => env.dpopGet('/api/dpop/profile', token, key, { claims: { iat: Math.floor(env.clock.ms / 1000) + offset } });
      assert.equal((await at(60)).status, 200);
      assert.equal((await at(-60)).status, 200);
      assert.equal((await at(61)).status, 401);
      assert.equal((await at(-61)).status, 401);
    });

    it('refuses a proof that is not an ES256 dpop+jwt signed by its own public jwk', async () => {
      const extractable = await newKey({ extractable: true });
      const { d } = await subtle.exportKey('jwk', extractable.pair.privateKey);
      const spoiled = {
        'typ JWT': { header: { typ: 'JWT' } },
        'alg ES384': { header: { alg: 'ES384' } },
        'alg none': { header: { alg: 'none' } },
        'a private jwk': { header: { jwk: { ...extractable.jwk, d } }, signWith: extractable.pair.privateKey },
        'an RSA jwk': { header: { jwk: { kty: 'RSA', e: 'AQAB', n: 'AQAB' } } },
        'a signature by another key': { signWith: extractable.pair.privateKey },
      };
      for (const [what, options] of Object.entries(spoiled)) {
        const response = await env.dpopGet('/api/dpop/profile', token, key, options);
        assert.equal(response.status, 401, what);
        assert.match(challengeOf(response), /error="invalid_dpop_proof"/, what);
      }
      // The private jwk alone is the reason: the same key without d passes.
      assert.equal(
        (await env.dpopGet('/api/profile', (await (await env.exchange(extractable)).json()).access_token, extractable)).status,
        200,
      );
    });

    it('refuses two DPoP headers, even two valid proofs', async () => {
      const proofs = [];
      for (let i = 0; i < 2; i++) proofs.push(await env.proof(key, { htm: 'GET', htu: '/api/dpop/profile', accessToken: token }));
      // fetch would join them into one line; node:http sends an array as separate header lines.
      const status = await new Promise((resolve, reject) => {
        const request = httpGet(
          `${env.server.url}/api/dpop/profile`,
          { headers: { authorization: `DPoP ${token}`, dpop: proofs } },
          (response) => {
            response.resume();
            resolve(response.statusCode);
          },
        );
        request.on('error', reject);
      });
      assert.equal(status, 401);
      assert.equal((await env.api('/api/dpop/profile', `DPoP ${token}`, proofs.join(', '))).status, 401);
      assert.equal((await env.api('/api/dpop/profile', `DPoP ${token}`, proofs[0])).status, 200);
    });

    it('lets a browser send the DPoP header and read DPoP-Nonce and WWW-Authenticate', async () => {
      const preflight = await fetch(`${env.server.url}/api/dpop/profile`, {
        method: 'OPTIONS',
        headers: {
          origin: LOOPBACK_ORIGIN,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization,dpop',
        },
      });
      assert.match(preflight.headers.get('access-control-allow-headers'), /\bDPoP\b/i);
      const response = await fetch(`${env.server.url}/api/dpop/profile`, { headers: { origin: LOOPBACK_ORIGIN } });
      const exposed = response.headers.get('access-control-expose-headers');
      assert.match(exposed, /\bDPoP-Nonce\b/i);
      assert.match(exposed, /\bWWW-Authenticate\b/i);
    });
  });
});

describe('DPoP nonces at the dev server (RFC 9449 §8, §9)', () => {
  let env;
  let key;
  before(async () => {
    env = await startServer({ requireDpopNonce: true });
    key = await newKey();
  });
  after(() => env.server.close());

  it('demands a nonce at the token endpoint, then accepts the proof that carries it', async () => {
    const { code, verifier } = await authorizationCode(env.server);
    const fields = { grant_type: 'authorization_code', code, redirect_uri: DEMO_REDIRECT, client_id: 'demo-app', code_verifier: verifier };
    const demand = await postForm(`${env.server.url}/token`, fields, { dpop: await env.proof(key, { htm: 'POST', htu: '/token' }) });
    assert.equal(demand.status, 400);
    assert.equal((await demand.json()).error, 'use_dpop_nonce');
    const nonce = demand.headers.get('dpop-nonce');
    assert.ok(nonce);
    const accepted = await postForm(`${env.server.url}/token`, fields, {
      dpop: await env.proof(key, { htm: 'POST', htu: '/token', nonce }),
    });
    assert.equal(accepted.status, 200);
    assert.equal((await accepted.json()).token_type, 'DPoP');
  });

  it('demands a nonce at the API with a DPoP challenge, then accepts it; a made-up or stale nonce is refused', async () => {
    const tokenNonce = (await postForm(`${env.server.url}/token`, { client_id: 'demo-app' })).headers.get('dpop-nonce');
    const token = (await (await env.exchange(key, { nonce: tokenNonce })).json()).access_token;
    assert.ok(token);
    const demand = await env.dpopGet('/api/dpop/profile', token, key);
    assert.equal(demand.status, 401);
    assert.match(challengeOf(demand), /^DPoP .*error="use_dpop_nonce"/);
    const nonce = demand.headers.get('dpop-nonce');
    assert.equal((await env.dpopGet('/api/dpop/profile', token, key, { nonce })).status, 200);
    assert.equal((await env.dpopGet('/api/dpop/profile', token, key, { nonce: 'made-up' })).status, 401);
    // Nonces rotate every 5 minutes; the previous one still passes, the one before does not.
    env.clock.ms += 301_000;
    assert.equal((await env.dpopGet('/api/dpop/profile', token, key, { nonce })).status, 200);
    env.clock.ms += 301_000;
    assert.equal((await env.dpopGet('/api/dpop/profile', token, key)).status, 401);
    assert.equal((await env.dpopGet('/api/dpop/profile', token, key, { nonce })).status, 401);
  });
});

describe('the DPoP replay cache', () => {
  it('stays bounded, yet never lets an evicted proof back in', async () => {
    let ms = Date.parse('2030-01-01T00:00:00Z');
    const verifier = createDpopVerifier({ now: () => ms, replayCacheSize: 2 });
    const key = await newKey();
    const url = 'http://127.0.0.1:1/api/dpop/profile';
    const sign = async (claims) => {
      const input = `${b64({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk })}.${b64({ htm: 'GET', htu: url, ...claims })}`;
      const signature = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.pair.privateKey, Buffer.from(input));
      return `${input}.${Buffer.from(signature).toString('base64url')}`;
    };
    const proofAt = (second) => sign({ jti: randomBytes(16).toString('base64url'), iat: Math.floor(ms / 1000) + second });
    const first = await proofAt(0);
    await verifier.verify([first], { method: 'GET', url });
    ms += 1000;
    await verifier.verify([await proofAt(0)], { method: 'GET', url });
    ms += 1000;
    await verifier.verify([await proofAt(0)], { method: 'GET', url });
    await assert.rejects(verifier.verify([first], { method: 'GET', url }), /already used/);
    ms += 1000;
    await verifier.verify([await proofAt(0)], { method: 'GET', url });
  });
});
