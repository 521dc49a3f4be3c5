import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWithClock } from './helpers.mjs';

let server;
before(async () => {
  ({ server } = await startWithClock());
});
after(() => server.close());

const loopbackOrigins = ['http://localhost:8000', 'http://127.0.0.1:41234', 'http://[::1]:8000', 'http://localhost'];
const foreignOrigins = ['https://evil.example', 'http://localhost.evil.example:8000', 'https://localhost:8000', 'null'];

const preflight = (path, origin, method = 'GET', headers = 'authorization') =>
  fetch(server.url + path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

describe('CORS for the protected API', () => {
  for (const origin of loopbackOrigins) {
    it(`lets ${origin} read responses, including the WWW-Authenticate header of a 401`, async () => {
      const response = await fetch(`${server.url}/api/profile`, { headers: { origin } });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('access-control-allow-origin'), origin);
      assert.match(response.headers.get('access-control-expose-headers'), /\bWWW-Authenticate\b/i);
      assert.equal(response.headers.get('access-control-allow-credentials'), null);
      assert.match(response.headers.get('vary'), /Origin/);
    });
  }

  for (const origin of foreignOrigins) {
    it(`does not let ${origin} read responses`, async () => {
      const response = await fetch(`${server.url}/api/profile`, { headers: { origin } });
      assert.equal(response.headers.get('access-control-allow-origin'), null);
    });
  }

  it('answers a preflight that asks to send Authorization', async () => {
    const response = await preflight('/api/data', 'http://localhost:8000');
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:8000');
    assert.match(response.headers.get('access-control-allow-headers'), /\bAuthorization\b/i);
    assert.match(response.headers.get('access-control-allow-methods'), /\bGET\b/);
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
  });

  it('does not record a preflight in seenBearers', async () => {
    server.seenBearers.length = 0;
    await preflight('/api/profile', 'http://localhost:8000');
    assert.deepEqual(server.seenBearers, []);
  });

  it('gives a foreign preflight nothing to go on', async () => {
    const response = await preflight('/api/data', 'https://evil.example');
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(response.headers.get('access-control-allow-headers'), null);
  });
});

describe('discovery (RFC 8414)', () => {
  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    it(`serves ${path} with this server's endpoints, readable by loopback pages`, async () => {
      const response = await fetch(server.url + path, { headers: { origin: 'http://localhost:8000' } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:8000');
      const doc = await response.json();
      assert.equal(doc.issuer, server.url);
      assert.equal(doc.authorization_endpoint, `${server.url}/authorize`);
      assert.equal(doc.token_endpoint, `${server.url}/token`);
      assert.equal(doc.revocation_endpoint, `${server.url}/revoke`);
      assert.deepEqual(doc.response_types_supported, ['code', 'token', 'id_token token']);
      assert.equal(doc.jwks_uri, `${server.url}/jwks`);
      assert.deepEqual(doc.id_token_signing_alg_values_supported, ['ES256']);
      assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
      assert.deepEqual(doc.scopes_supported, ['openid', 'profile', 'read', 'email']);
      assert.equal(doc.authorization_response_iss_parameter_supported, true);
    });
  }
});
