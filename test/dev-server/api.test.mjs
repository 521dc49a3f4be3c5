import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { implicitToken, startWithClock } from './helpers.mjs';

let server;
let advance;
before(async () => {
  ({ server, advance } = await startWithClock({ autoApprove: true, testKnobs: true, tokenLifetimeSeconds: 2 }));
});
after(() => server.close());
beforeEach(() => {
  server.seenBearers.length = 0;
});

const api = (path, authorization) =>
  fetch(server.url + path, { headers: authorization === undefined ? {} : { authorization }, redirect: 'manual' });

describe('bearer token checks (RFC 6750 §3)', () => {
  it('challenges a request without a token, with no error code', async () => {
    const response = await api('/api/profile');
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="oauth-elements-demo"');
  });

  it('treats another scheme like no token', async () => {
    const response = await api('/api/profile', 'Basic ZGVtbzpkZW1v');
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="oauth-elements-demo"');
  });

  it('rejects an unknown token with invalid_token', async () => {
    const response = await api('/api/profile', 'Bearer not-a-real-token');
    assert.equal(response.status, 401);
    assert.match(
      response.headers.get('www-authenticate'),
      /^Bearer realm="oauth-elements-demo", error="invalid_token", error_description="[^"]+"$/,
    );
    assert.equal((await response.json()).error, 'invalid_token');
  });

  it('rejects a malformed Authorization header with invalid_request', async () => {
    const response = await api('/api/profile', 'Bearer two words');
    assert.equal(response.status, 400);
    assert.match(response.headers.get('www-authenticate'), /error="invalid_request"/);
  });

  it('accepts a token until its lifetime ends, then reports it expired', async () => {
    const token = await implicitToken(server);
    advance(1.9);
    assert.equal((await api('/api/profile', `Bearer ${token}`)).status, 200);
    advance(0.1);
    const response = await api('/api/profile', `Bearer ${token}`);
    assert.equal(response.status, 401);
    assert.equal(
      response.headers.get('www-authenticate'),
      'Bearer realm="oauth-elements-demo", error="invalid_token", error_description="The access token expired"',
    );
  });

  it('refuses a token without the needed scope with insufficient_scope', async () => {
    const token = await implicitToken(server, 'read');
    const response = await api('/api/profile', `Bearer ${token}`);
    assert.equal(response.status, 403);
    const challenge = response.headers.get('www-authenticate');
    assert.match(challenge, /error="insufficient_scope"/);
    assert.match(challenge, /scope="profile"/);
    assert.equal((await api('/api/data?items=1', `Bearer ${token}`)).status, 200);
  });

  it('accepts the token only in the Authorization header, not in the query', async () => {
    const token = await implicitToken(server);
    const response = await api(`/api/profile?access_token=${token}`);
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="oauth-elements-demo"');
  });

  it('accepts the scheme name in any case', async () => {
    const token = await implicitToken(server);
    assert.equal((await api('/api/profile', `bearer ${token}`)).status, 200);
  });
});

describe('protected resources', () => {
  it('GET /api/profile returns the user and the granted scope', async () => {
    const token = await implicitToken(server, 'profile');
    const response = await api('/api/profile', `Bearer ${token}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), { sub: 'demo', name: 'Ada Demo', email: 'ada@example.test', scope: 'profile' });
  });

  it('GET /api/data returns as many records as asked for, 1000 by default', async () => {
    const token = await implicitToken(server, 'read');
    const three = await (await api('/api/data?items=3', `Bearer ${token}`)).json();
    assert.equal(three.count, 3);
    assert.deepEqual(
      three.items.map((item) => item.id),
      [1, 2, 3],
    );
    for (const item of three.items) {
      assert.deepEqual(Object.keys(item), ['id', 'name', 'tags', 'active', 'score', 'createdAt']);
      assert.ok(Array.isArray(item.tags));
    }
    const byDefault = await (await api('/api/data', `Bearer ${token}`)).json();
    assert.equal(byDefault.items.length, 1000);
  });

  it('GET /api/data serves up to 100000 records and refuses more', async () => {
    const token = await implicitToken(server, 'read');
    const max = await (await api('/api/data?items=100000', `Bearer ${token}`)).json();
    assert.equal(max.items.length, 100000);
    assert.equal((await api('/api/data?items=100001', `Bearer ${token}`)).status, 400);
    assert.equal((await api('/api/data?items=ten', `Bearer ${token}`)).status, 400);
  });
});

describe('seenBearers', () => {
  it('records every Authorization header the API received, in order, valid or not', async () => {
    const token = await implicitToken(server);
    await api('/api/profile', `Bearer ${token}`);
    await api('/api/profile');
    await api('/api/data?items=1', 'Bearer forged');
    await api('/api/nothing-here', 'Basic abc');
    assert.deepEqual(server.seenBearers, [`Bearer ${token}`, 'Bearer forged', 'Basic abc']);
  });

  it('can be reset by emptying the array', async () => {
    await api('/api/profile', 'Bearer one');
    server.seenBearers.length = 0;
    await api('/api/profile', 'Bearer two');
    assert.deepEqual(server.seenBearers, ['Bearer two']);
  });

  it('does not include what the token endpoint or authorize endpoint received', async () => {
    await fetch(`${server.url}/.well-known/openid-configuration`, { headers: { authorization: 'Bearer discovery' } });
    await implicitToken(server);
    assert.deepEqual(server.seenBearers, []);
  });
});

describe('GET /api/redirect (test knob)', () => {
  it('redirects to the given URL', async () => {
    const response = await api(`/api/redirect?to=${encodeURIComponent('http://127.0.0.1:1/api/profile')}`);
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), 'http://127.0.0.1:1/api/profile');
  });

  it('refuses a target that is not an http(s) URL', async () => {
    assert.equal((await api('/api/redirect?to=javascript:alert(1)')).status, 400);
  });

  it('does not exist without testKnobs', async () => {
    const { server: plain } = await startWithClock();
    try {
      const response = await fetch(`${plain.url}/api/redirect?to=http://127.0.0.1:1/`, { redirect: 'manual' });
      assert.equal(response.status, 404);
      assert.equal(response.headers.get('location'), null);
    } finally {
      await plain.close();
    }
  });
});
