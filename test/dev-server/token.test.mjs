import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOOPBACK_ORIGIN, authorizationCode, exchangeCode, postForm, startWithClock } from './helpers.mjs';

let server;
let advance;
before(async () => {
  ({ server, advance } = await startWithClock({ autoApprove: true, tokenLifetimeSeconds: 300 }));
});
after(() => server.close());

const profileStatus = async (token) => (await fetch(`${server.url}/api/profile`, { headers: { authorization: `Bearer ${token}` } })).status;

async function assertTokenError(response, error) {
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const body = await response.json();
  assert.equal(body.error, error);
  assert.ok(body.error_description);
  return body;
}

describe('authorization code exchange with PKCE (RFC 6749 §4.1.3, RFC 7636)', () => {
  it('returns a bearer token, a refresh token and the scope, uncached', async () => {
    const response = await exchangeCode(server, await authorizationCode(server));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.match(response.headers.get('content-type'), /^application\/json/);
    const body = await response.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 300);
    assert.equal(body.scope, 'profile read');
    assert.notEqual(body.access_token, body.refresh_token);
    assert.equal(await profileStatus(body.access_token), 200);
  });

  it('rejects a wrong code_verifier with invalid_grant', async () => {
    const { code } = await authorizationCode(server);
    const { verifier: other } = await authorizationCode(server);
    await assertTokenError(await exchangeCode(server, { code, verifier: other }), 'invalid_grant');
  });

  it('burns the code on a failed attempt', async () => {
    const { code, verifier } = await authorizationCode(server);
    await exchangeCode(server, { code, verifier: `${verifier.slice(0, -1)}x` });
    await assertTokenError(await exchangeCode(server, { code, verifier }), 'invalid_grant');
  });

  it('rejects a missing code_verifier with invalid_request', async () => {
    const { code } = await authorizationCode(server);
    await assertTokenError(
      await postForm(`${server.url}/token`, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'http://localhost:8000/',
        client_id: 'demo-app',
      }),
      'invalid_request',
    );
  });

  it('rejects a replayed code and revokes the tokens issued from it', async () => {
    const grant = await authorizationCode(server);
    const first = await (await exchangeCode(server, grant)).json();
    assert.equal(await profileStatus(first.access_token), 200);
    const body = await assertTokenError(await exchangeCode(server, grant), 'invalid_grant');
    assert.match(body.error_description, /already used/);
    assert.equal(await profileStatus(first.access_token), 401);
    await assertTokenError(
      await postForm(`${server.url}/token`, {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        client_id: 'demo-app',
      }),
      'invalid_grant',
    );
  });

  it('rejects a redirect_uri that differs from the authorization request, even a registered one', async () => {
    const grant = await authorizationCode(server);
    await assertTokenError(await exchangeCode(server, { ...grant, redirectUri: 'http://127.0.0.1:8000/' }), 'invalid_grant');
  });

  it('rejects a code presented by another client', async () => {
    const grant = await authorizationCode(server);
    await assertTokenError(await exchangeCode(server, { ...grant, clientId: 'other-app' }), 'invalid_grant');
  });

  it('accepts a code just before 60 s and rejects it from 60 s on', async () => {
    const fresh = await authorizationCode(server);
    advance(59);
    assert.equal((await exchangeCode(server, fresh)).status, 200);
    const stale = await authorizationCode(server);
    advance(60);
    const body = await assertTokenError(await exchangeCode(server, stale), 'invalid_grant');
    assert.match(body.error_description, /expired/);
  });

  it('rejects an unknown client with invalid_client', async () => {
    const grant = await authorizationCode(server);
    const response = await exchangeCode(server, { ...grant, clientId: 'nobody' });
    assert.equal((await response.json()).error, 'invalid_client');
  });

  it('rejects a repeated parameter with invalid_request', async () => {
    const { code, verifier } = await authorizationCode(server);
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://localhost:8000/',
      client_id: 'demo-app',
      code_verifier: verifier,
    });
    body.append('code', code);
    const response = await fetch(`${server.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    await assertTokenError(response, 'invalid_request');
  });

  it('rejects an unknown grant type with unsupported_grant_type', async () => {
    await assertTokenError(
      await postForm(`${server.url}/token`, { grant_type: 'password', client_id: 'demo-app' }),
      'unsupported_grant_type',
    );
  });

  it('lets a loopback page read the response, and no other origin', async () => {
    const allowed = await exchangeCode(server, await authorizationCode(server));
    assert.equal(allowed.headers.get('access-control-allow-origin'), null);
    const fromDemo = await fetch(`${server.url}/token`, {
      method: 'POST',
      headers: { origin: LOOPBACK_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=x',
    });
    assert.equal(fromDemo.headers.get('access-control-allow-origin'), LOOPBACK_ORIGIN);
    assert.equal(fromDemo.headers.get('access-control-allow-credentials'), null);
    const fromElsewhere = await fetch(`${server.url}/token`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=x',
    });
    assert.equal(fromElsewhere.headers.get('access-control-allow-origin'), null);
  });
});

describe('refresh tokens (RFC 6749 §6) rotate', () => {
  const refresh = (refresh_token, extra = {}) =>
    postForm(`${server.url}/token`, { grant_type: 'refresh_token', refresh_token, client_id: 'demo-app', ...extra });

  it('issues a new access token and a new refresh token', async () => {
    const first = await (await exchangeCode(server, await authorizationCode(server))).json();
    const response = await refresh(first.refresh_token);
    assert.equal(response.status, 200);
    const second = await response.json();
    assert.notEqual(second.access_token, first.access_token);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.equal(second.scope, 'profile read');
    assert.equal(await profileStatus(second.access_token), 200);
  });

  it('treats a reused refresh token as theft and revokes the whole grant', async () => {
    const first = await (await exchangeCode(server, await authorizationCode(server))).json();
    const second = await (await refresh(first.refresh_token)).json();
    await assertTokenError(await refresh(first.refresh_token), 'invalid_grant');
    await assertTokenError(await refresh(second.refresh_token), 'invalid_grant');
    assert.equal(await profileStatus(second.access_token), 401);
  });

  it('narrows the scope on request but never widens it', async () => {
    const first = await (await exchangeCode(server, await authorizationCode(server, { scope: 'profile' }))).json();
    await assertTokenError(await refresh(first.refresh_token, { scope: 'profile read' }), 'invalid_scope');
    const second = await (await exchangeCode(server, await authorizationCode(server))).json();
    const narrowed = await (await refresh(second.refresh_token, { scope: 'read' })).json();
    assert.equal(narrowed.scope, 'read');
    assert.equal(await profileStatus(narrowed.access_token), 403);
    const again = await (await refresh(narrowed.refresh_token)).json();
    assert.equal(again.scope, 'profile read');
  });

  it('refuses a refresh token presented by another client', async () => {
    const first = await (await exchangeCode(server, await authorizationCode(server))).json();
    await assertTokenError(await refresh(first.refresh_token, { client_id: 'other-app' }), 'invalid_grant');
  });
});

describe('revocation (RFC 7009)', () => {
  const revoke = (token, client_id = 'demo-app') => postForm(`${server.url}/revoke`, { token, client_id });

  it('revokes an access token', async () => {
    const { access_token } = await (await exchangeCode(server, await authorizationCode(server))).json();
    assert.equal((await revoke(access_token)).status, 200);
    assert.equal(await profileStatus(access_token), 401);
  });

  it('revokes a refresh token together with the access tokens of its grant', async () => {
    const { access_token, refresh_token } = await (await exchangeCode(server, await authorizationCode(server))).json();
    assert.equal((await revoke(refresh_token)).status, 200);
    assert.equal(await profileStatus(access_token), 401);
  });

  it('answers 200 for an unknown token', async () => {
    assert.equal((await revoke('not-a-token')).status, 200);
  });

  it('does not let another client revoke a token', async () => {
    const { access_token } = await (await exchangeCode(server, await authorizationCode(server))).json();
    assert.equal((await revoke(access_token, 'other-app')).status, 200);
    assert.equal(await profileStatus(access_token), 200);
  });
});

describe('test handles: tokenRequests and revokeAllGrants', () => {
  it('lists every token endpoint call with its grant type and status', async () => {
    const before = server.tokenRequests.length;
    const { refresh_token } = await (await exchangeCode(server, await authorizationCode(server))).json();
    await postForm(`${server.url}/token`, { grant_type: 'refresh_token', refresh_token: 'unknown', client_id: 'demo-app' });
    assert.ok(refresh_token);
    assert.deepEqual(server.tokenRequests.slice(before), [
      { grantType: 'authorization_code', status: 200 },
      { grantType: 'refresh_token', status: 400 },
    ]);
  });

  it('revokeAllGrants ends every refresh token and access token', async () => {
    const { access_token, refresh_token } = await (await exchangeCode(server, await authorizationCode(server))).json();
    server.revokeAllGrants();
    assert.equal(await profileStatus(access_token), 401);
    const response = await postForm(`${server.url}/token`, { grant_type: 'refresh_token', refresh_token, client_id: 'demo-app' });
    await assertTokenError(response, 'invalid_grant');
  });
});
